from collections.abc import Callable
from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpResponseBase
from django.urls import path, reverse_lazy

from commonground.accounts import views
from commonground.accounts.forms import LocalisedPasswordResetForm
from commonground.core.access import declare

app_name = "accounts"


def _public(view_class: Any, **options: Any) -> Callable[..., HttpResponseBase]:
    return declare(view_class.as_view(**options), "public")


urlpatterns = [
    path(
        "accounts/login/",
        _public(
            auth_views.LoginView,
            template_name="accounts/login.html",
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", _public(auth_views.LogoutView), name="logout"),
    path(
        "accounts/password-reset/",
        _public(
            auth_views.PasswordResetView,
            template_name="accounts/password_reset.html",
            form_class=LocalisedPasswordResetForm,
            email_template_name="accounts/email/password_reset.txt",
            subject_template_name="accounts/email/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        _public(
            auth_views.PasswordResetDoneView, template_name="accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        _public(
            auth_views.PasswordResetConfirmView,
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        _public(
            auth_views.PasswordResetCompleteView,
            template_name="accounts/password_reset_complete.html",
        ),
        name="password_reset_complete",
    ),
    path("profile/", views.profile, name="profile"),
    path("language/", views.language, name="language"),
    path("profile/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
]
