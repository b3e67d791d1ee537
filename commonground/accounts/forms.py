from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from commonground.core.codelists import organisation_types
from commonground.core.forms import CodelistSelect


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    org_type = forms.ChoiceField(
        label=_("Sector (IATI organisation type)"),
        choices=[("", _("Choose a sector")), *organisation_types()],
        widget=CodelistSelect,
    )
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        help_text=_("Two-letter ISO code, for example NL."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    identifier = forms.CharField(
        label=_("Organisation identifier"),
        max_length=100,
        required=False,
        help_text=_("IATI organisation identifier, if it has one (for example NL-KVK-12345678)."),
    )
    confirm_new = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        initial=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. 'nightly sync'."),
    )


class LocalisedPasswordResetForm(PasswordResetForm):
    """The reset e-mail is written in the recipient's language: the one on their profile, else
    the language of the page they asked from (they chose none yet)."""

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):  # type: ignore[no-untyped-def]
        chosen = getattr(context.get("user"), "language", "")
        if chosen not in {code for code, _name in settings.LANGUAGES}:
            chosen = translation.get_language()
        with translation.override(chosen):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)
