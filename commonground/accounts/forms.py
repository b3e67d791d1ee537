from django import forms

from commonground.core.codelists import organisation_types


class OrganisationForm(forms.Form):
    name = forms.CharField(max_length=200)
    org_type = forms.ChoiceField(
        label="Sector (IATI organisation type)",
        choices=[("", "Choose a sector"), *organisation_types()],
    )
    country = forms.CharField(
        max_length=2, required=False, help_text="Two-letter ISO code, for example NL."
    )
    website = forms.URLField(required=False, assume_scheme="https")
    identifier = forms.CharField(
        label="Organisation identifier",
        max_length=100,
        required=False,
        help_text="IATI organisation identifier, if it has one (for example NL-KVK-12345678).",
    )
    confirm_new = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        initial=False,
    )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Token name", max_length=100, help_text="What the token is for, e.g. 'nightly sync'."
    )
