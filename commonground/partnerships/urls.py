from django.urls import path

from commonground.partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("organisations/<int:organisation_id>/", views.organisation_detail, name="organisation"),
    path("partnerships/", views.my_partnerships, name="mine"),
    path("partnerships/new/", views.partnership_create, name="create"),
    path("partnerships/<int:partnership_id>/", views.partnership_detail, name="detail"),
    path("partnerships/<int:partnership_id>/edit/", views.partnership_edit, name="edit"),
    path("partnerships/<int:partnership_id>/partners/", views.partners, name="partners"),
    path("partnerships/<int:partnership_id>/partners/add/", views.partner_add, name="partner_add"),
    path(
        "partnerships/<int:partnership_id>/partners/<int:partner_id>/edit/",
        views.partner_edit,
        name="partner_edit",
    ),
    path(
        "partnerships/<int:partnership_id>/partners/<int:partner_id>/remove/",
        views.partner_remove,
        name="partner_remove",
    ),
    path("partnerships/<int:partnership_id>/people/", views.people, name="people"),
    path("partnerships/<int:partnership_id>/people/invite/", views.invite, name="invite"),
    path(
        "partnerships/<int:partnership_id>/people/<int:seat_id>/role/",
        views.seat_role,
        name="seat_role",
    ),
    path(
        "partnerships/<int:partnership_id>/people/<int:seat_id>/revoke/",
        views.seat_revoke,
        name="seat_revoke",
    ),
    path(
        "partnerships/<int:partnership_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("partnerships/<int:partnership_id>/activity/", views.activity, name="activity"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
]
