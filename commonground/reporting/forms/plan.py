"""Forms of the communication plan pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.partnerships.models import Partner
from commonground.reporting.models import Audience, Channel, PlanFrequency


class DateInput(forms.DateInput):
    input_type = "date"


class PlanEntryForm(forms.Form):
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    audience_detail = forms.CharField(
        label=_("Which group, or more about the audience"),
        required=False,
        max_length=200,
        help_text=_("Needed for a stakeholder group, e.g. “tenants of the Old Mill estate”."),
    )
    content = forms.CharField(label=_("What they get"), max_length=300)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    frequency = forms.ChoiceField(label=_("How often"), choices=PlanFrequency.choices)
    owner_id = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=Partner.objects.none(),
        help_text=_("The partner who makes sure it happens."),
    )
    starts_on = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=DateInput,
        help_text=_("The first time is due one period after this day (default: today)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_id"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = (
            Partner.objects.filter(partnership_id=partnership_id)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        owner.label_from_instance = lambda partner: partner.organisation.name  # type: ignore[method-assign,assignment]

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "audience": data["audience"],
            "audience_detail": data["audience_detail"],
            "content": data["content"],
            "channel": data["channel"],
            "frequency": data["frequency"],
            "owner_id": data["owner_id"].pk if data["owner_id"] else None,
            "starts_on": data["starts_on"],
        }


class DoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=300,
        help_text=_("e.g. which meeting, or where it was published."),
    )
