from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import Organisation
from commonground.core.codelists import activity_statuses, sdg_goals, sector_categories
from commonground.partnerships.models import Partner, PartnerRole, SeatRole


class DateInput(forms.DateInput):
    input_type = "date"


def english_checkboxes() -> forms.CheckboxSelectMultiple:
    """Checkboxes labelled from an English-only standard list (IATI codelists, the UN SDGs),
    inside lang="en" so a screen reader reads them in English on a Spanish page. An instance,
    not a subclass: the form templates tell a checkbox group by its class name."""
    widget = forms.CheckboxSelectMultiple()
    widget.template_name = "partnerships/widgets/english_checkboxes.html"
    return widget


class PartnershipForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the partnership exists and what it will do."),
    )
    vision = forms.CharField(
        label=_("Common vision"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    problem_statement = forms.CharField(
        label=_("Problem statement"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    geography = forms.CharField(
        label=_("Geography"),
        max_length=200,
        required=False,
        help_text=_("Where, for example 'Riverside district'."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DateInput)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=activity_statuses,
        initial="2",
        widget=forms.Select(attrs={"lang": "en"}),  # IATI labels are English only
    )
    sectors = forms.MultipleChoiceField(
        label=_("Sectors"),
        required=False,
        choices=sector_categories,
        widget=english_checkboxes(),
        help_text=_("OECD DAC sector categories."),
    )
    sdg_goals = forms.TypedMultipleChoiceField(
        label=_("SDG goals"),
        required=False,
        coerce=int,
        choices=lambda: [(n, f"{n}. {t}") for n, t in sdg_goals()],
        widget=english_checkboxes(),
    )
    # The version the form was opened at: required, so an edit can never skip the conflict check.
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartnershipCreateForm(PartnershipForm):
    version = None  # type: ignore[assignment]  # nothing to conflict with yet
    lead_organisation = forms.ModelChoiceField(
        label=_("Lead organisation"),
        queryset=Organisation.objects.order_by("name"),
        help_text=_("The backbone organisation; you take a seat on its behalf as coordinator."),
    )
    field_order = ["title", "lead_organisation"]


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        help_text=_("Not in the list? Add it to the organisation registry first."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    aims = forms.CharField(
        label=_("What this partner aims to achieve"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartnerEditForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    aims = forms.CharField(
        label=_("What this partner aims to achieve"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices, initial=SeatRole.REPORTER)
    partner = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Partner.objects.none(),
    )

    def __init__(self, *args: object, partnership_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["partner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Partner.objects.filter(partnership_id=partnership_id).select_related(
            "organisation"
        )
        field.label_from_instance = lambda partner: partner.organisation.name  # type: ignore[method-assign,assignment]


class SeatRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=SeatRole.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters, not a common password."),
    )
