"""Forms of the results pages. They parse and render; the services decide what is allowed and
their refusals land on these fields (commonground.core.forms.add_domain_error)."""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonground.core.codelists import sdg_goals, sdg_indicators, sdg_targets, sector_categories
from commonground.partnerships.models import Partner
from commonground.results import periods
from commonground.results.models import (
    Aggregation,
    Dimension,
    Direction,
    Frequency,
    Indicator,
    Level,
    Measure,
    Objective,
    RevisionReason,
)
from commonground.results.progress import STATUS_LABELS


class DateInput(forms.DateInput):
    input_type = "date"


class EnglishOptions(forms.Select):
    """A select of standard names published in English only (IATI codelists, the UN SDG
    titles): each option says so with lang="en", so a screen reader pronounces it right on a
    page in another language. The empty choice ("Any sector") is ours, and translated."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] not in ("", None):
            option["attrs"] = {"lang": "en", **option["attrs"]}
        return option


def _partners(partnership_id: int) -> Any:
    return (
        Partner.objects.filter(partnership_id=partnership_id)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def _name_partners(field: forms.Field) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.label_from_instance = lambda partner: partner.organisation.name  # type: ignore[method-assign,assignment]


def sdg_target_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {title}") for code, title in sdg_targets()]


class ObjectiveForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Level"),
        choices=Level.choices,
        help_text=_("Impact → outcome → output (IATI result types 3, 2, 1)."),
    )
    parent_id = forms.ModelChoiceField(
        label=_("Sits below"),
        queryset=Objective.objects.none(),
        required=False,
        empty_label=_("Nothing: a top-level objective"),
    )
    title = forms.CharField(label=_("Title"), max_length=300)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    responsible_partner_ids = forms.ModelMultipleChoiceField(
        label=_("Partners responsible"),
        queryset=Partner.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdg_targets = forms.MultipleChoiceField(
        label=_("SDG targets"),
        required=False,
        choices=sdg_target_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The UN Sustainable Development Goal targets this objective contributes to."),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        initial=1,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_(
            "How much it counts when its parent's status is rolled up (1 = like the rest)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, partnership_id: int, objective: Objective | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        parents = Objective.objects.filter(partnership_id=partnership_id).exclude(level="output")
        if objective is not None:
            parents = parents.exclude(pk=objective.pk)
        parent = self.fields["parent_id"]
        assert isinstance(parent, forms.ModelChoiceField)
        parent.queryset = parents
        partners = self.fields["responsible_partner_ids"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = _partners(partnership_id)
        _name_partners(partners)

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "level": data["level"],
            "title": data["title"],
            "description": data["description"],
            "parent_id": data["parent_id"].pk if data["parent_id"] else None,
            "responsible_partner_ids": [p.pk for p in data["responsible_partner_ids"]],
            "sdg_targets": list(data["sdg_targets"]),
            "weight": data["weight"] if data["weight"] is not None else 1,
        }


class DimensionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=60,
        help_text=_("For example: sex, age band, neighbourhood."),
    )
    values = forms.CharField(
        label=_("Allowed values"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, in the order they should be shown."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def service_data(self) -> dict[str, Any]:
        lines = [line.strip() for line in self.cleaned_data["values"].splitlines()]
        return {"name": self.cleaned_data["name"], "values": [line for line in lines if line]}


def sdg_indicator_codes() -> list[str]:
    return [code for code, _target, _title in sdg_indicators()]


class IndicatorForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    definition = forms.CharField(
        label=_("Definition"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What exactly is counted or measured, and how."),
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("For example: people, beds, %."),
    )
    measure = forms.ChoiceField(
        label=_("Measure"), choices=Measure.choices, initial=Measure.UNIT, widget=EnglishOptions
    )
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=Direction.choices,
        initial=Direction.INCREASE,
        help_text=_("Which way is better."),
    )
    aggregation = forms.ChoiceField(
        label=_("Values add up by"), choices=Aggregation.choices, initial=Aggregation.SUM
    )
    baseline_value = forms.DecimalField(
        label=_("Baseline value"), required=False, max_digits=20, decimal_places=4
    )
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DateInput)
    target_value = forms.DecimalField(
        label=_("End target"), required=False, max_digits=20, decimal_places=4
    )
    target_date = forms.DateField(label=_("End target date"), required=False, widget=DateInput)
    frequency = forms.ChoiceField(
        label=_("Reporting frequency"), choices=Frequency.choices, initial=Frequency.QUARTERLY
    )
    dimension_ids = forms.ModelMultipleChoiceField(
        label=_("Break results down by"),
        queryset=Dimension.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    responsible_partner_id = forms.ModelChoiceField(
        label=_("Responsible partner"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("No partner yet"),
    )
    means_of_verification = forms.CharField(
        label=_("Means of verification"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the figures come from: registers, surveys, reports."),
    )
    sdg_indicator = forms.CharField(
        label=_("SDG indicator"),
        max_length=12,
        required=False,
        help_text=_("Optional code from the UN global indicator framework, e.g. 11.1.1."),
        widget=forms.TextInput(attrs={"list": "sdg-indicator-codes", "autocomplete": "off"}),
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        initial=1,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("How much it counts when its objective's status is rolled up."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, partnership_id: int, indicator: Indicator | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        dimensions = self.fields["dimension_ids"]
        assert isinstance(dimensions, forms.ModelMultipleChoiceField)
        dimensions.queryset = Dimension.objects.filter(partnership_id=partnership_id)
        dimensions.label_from_instance = lambda d: f"{d.name} ({', '.join(d.values)})"  # type: ignore[method-assign,assignment]
        partner = self.fields["responsible_partner_id"]
        assert isinstance(partner, forms.ModelChoiceField)
        partner.queryset = _partners(partnership_id)
        _name_partners(partner)
        # A target already set changes only through a revision with a reason.
        self.locked_targets: list[str] = []
        if indicator is not None:
            for key in ("target_value", "target_date"):
                if getattr(indicator, key) is not None:
                    del self.fields[key]
                    self.locked_targets.append(key)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data["dimension_ids"] = [d.pk for d in data["dimension_ids"]]
        partner = data.pop("responsible_partner_id")
        data["responsible_partner_id"] = partner.pk if partner else None
        if data.get("weight") is None:
            data["weight"] = 1
        return data


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search indicators"), required=False, max_length=100)


class TargetReviseForm(forms.Form):
    target_value = forms.DecimalField(label=_("New end target"), max_digits=20, decimal_places=4)
    target_date = forms.DateField(
        label=_("New end target date"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty to keep the current date."),
    )
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[("", _("Choose a reason")), *RevisionReason.choices]
    )
    reason_text = forms.CharField(
        label=_("Explain the change"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the reason is “Other”."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PeriodTargetForm(forms.Form):
    prefix = "pt"

    period = forms.ChoiceField(label=_("Period"))
    value = forms.DecimalField(label=_("Target for the period"), max_digits=20, decimal_places=4)
    reason = forms.ChoiceField(
        label=_("Reason for changing a target already set"),
        required=False,
        choices=[("", _("Not a change: a new period target")), *RevisionReason.choices],
    )
    reason_text = forms.CharField(
        label=_("Explain the change"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, period_choices: Sequence[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(label, label) for label in period_choices]  # type: ignore[attr-defined]


def breakdown_combinations(dimensions: Sequence[Dimension]) -> list[tuple[str, str]]:
    """Every combination of the dimensions' values as (canonical key, label), e.g.
    ("age=15-24|sex=female", "age: 15-24, sex: female")."""
    ordered = sorted(dimensions, key=lambda d: d.name)
    combos = []
    for values in itertools.product(*[d.values for d in ordered]):
        pairs = list(zip([d.name for d in ordered], values, strict=True))
        combos.append(
            (
                "|".join(f"{name}={value}" for name, value in pairs),
                ", ".join(f"{name}: {value}" for name, value in pairs),
            )
        )
    return combos if ordered else []


def breakdown_label(key: str) -> str:
    """ "age=15-24|sex=female" → "age: 15-24, sex: female"."""
    return ", ".join(part.replace("=", ": ", 1) for part in key.split("|") if part)


@dataclass
class BreakdownGrid:
    row_name: str
    column_name: str
    columns: list[str]
    rows: list[tuple[str, list[forms.BoundField]]]


class ResultForm(forms.Form):
    """One partner's result for a period: a number (or words), a breakdown field per combination
    of the indicator's dimensions, a note and evidence."""

    period = forms.ChoiceField(label=_("Period"))
    partner = forms.ModelChoiceField(
        label=_("Reported for"),
        queryset=Partner.objects.none(),
        required=False,
        empty_label=_("Choose a partner"),
    )
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    text_value = forms.CharField(
        label=_("Result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Describe in words what changed, for whom and where."),
    )
    # Holds the breakdown's errors (the service reports them under "breakdown").
    breakdown = forms.CharField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Context a reviewer needs: what changed, what the figure includes."),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("PDF, image, spreadsheet, document or text file, up to 10 MB."),
    )
    evidence_url = forms.CharField(
        label=_("Or a link to the evidence"),
        required=False,
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),  # i18n: a URL scheme
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        indicator: Indicator,
        period_choices: Sequence[str],
        partner_choice: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.fields["period"].choices = [(label, label) for label in period_choices]  # type: ignore[attr-defined]
        if partner_choice:
            partner = self.fields["partner"]
            assert isinstance(partner, forms.ModelChoiceField)
            partner.queryset = _partners(indicator.partnership_id)
            _name_partners(partner)
        else:
            del self.fields["partner"]
        if indicator.is_numeric:
            del self.fields["text_value"]
            if indicator.unit:
                self.fields["value"].label = gettext("Value (%(unit)s)") % {"unit": indicator.unit}
            if indicator.is_percentage:
                self.fields["value"].help_text = gettext("A percentage between 0 and 100.")
        else:
            del self.fields["value"]
        dimensions = sorted(indicator.dimensions.all(), key=lambda d: d.name)
        self.dimension_values = [(d.name, list(d.values)) for d in dimensions]
        self.combinations = breakdown_combinations(dimensions) if indicator.is_numeric else []
        self.breakdown_names: list[str] = []
        for index, (_key, label) in enumerate(self.combinations):
            name = f"breakdown_{index}"
            self.fields[name] = forms.CharField(
                label=label,
                required=False,
                max_length=40,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
            )
            self.breakdown_names.append(name)
        if self.combinations:
            self.fields["value"].help_text = (
                gettext("The total. Leave it empty to use the sum of the breakdown below.")
                if indicator.measure == Measure.UNIT
                else gettext("The overall value.")
            )

    def breakdown_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.breakdown_names]

    def breakdown_grid(self) -> "BreakdownGrid | None":
        """With exactly two dimensions the breakdown is laid out as a grid: one row per value
        of the first, one column per value of the second."""
        if len(self.dimension_values) != 2 or not self.combinations:
            return None
        (row_name, row_values), (column_name, column_values) = self.dimension_values
        fields = self.breakdown_fields()
        width = len(column_values)
        return BreakdownGrid(
            row_name=row_name,
            column_name=column_name,
            columns=column_values,
            rows=[
                (value, fields[index * width : (index + 1) * width])
                for index, value in enumerate(row_values)
            ],
        )

    def main_fields(self) -> list[forms.BoundField]:
        skip = {"breakdown", "version", "evidence_file", "evidence_url", "note", "period"}
        skip.update(self.breakdown_names)
        skip.add("partner")
        return [self[name] for name in self.fields if name not in skip]

    def reported_breakdown(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            key: data[name]
            for (key, _label), name in zip(self.combinations, self.breakdown_names, strict=True)
            if str(data.get(name) or "").strip()
        }

    @classmethod
    def initial_for(cls, result: Any, combinations: Sequence[tuple[str, str]]) -> dict[str, Any]:
        """The form's initial values from a saved result (to edit a draft or returned one)."""
        values = {b.key: b.value for b in result.breakdown.all()}
        initial: dict[str, Any] = {
            "period": periods.Period(result.period_start, result.period_end).label,
            "partner": result.partner_id,
            "value": "" if result.value is None else f"{result.value.normalize():f}",
            "text_value": result.text_value,
            "note": result.note,
            "evidence_url": result.evidence_url,
            "version": result.version,
        }
        for index, (key, _label) in enumerate(combinations):
            if key in values:
                initial[f"breakdown_{index}"] = f"{values[key].normalize():f}"
        return initial


class ApproveForm(forms.Form):
    prefix = "approve"

    comment = forms.CharField(
        label=_("Comment for the reporter (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(forms.Form):
    prefix = "return"

    comment = forms.CharField(
        label=_("What needs to change"),
        error_messages={"required": _("Say what needs to change.")},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The reporter sees this comment when they open the result."),
    )


class ReopenForm(forms.Form):
    prefix = "reopen"

    reason = forms.CharField(
        label=_("Why the approved result must change"),
        error_messages={"required": _("Say why the approved result must change.")},
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the activity log."),
    )


class CommentForm(forms.Form):
    prefix = "comment"

    body = forms.CharField(
        label=_("Your comment"),
        error_messages={"required": _("Write a comment.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


NO_STATUS = "none"


def status_filter_choices() -> list[tuple[str, str]]:
    return [
        ("", gettext("Any status")),
        *((s.value, label) for s, label in STATUS_LABELS.items()),
        (NO_STATUS, gettext("Not assessed")),
    ]


class PortfolioFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=status_filter_choices)
    sector = forms.ChoiceField(
        label=_("Sector"),
        required=False,
        widget=EnglishOptions,
        choices=lambda: [
            ("", gettext("Any sector")),
            *((c, f"{c} {n}") for c, n in sector_categories()),
        ],
    )
    goal = forms.TypedChoiceField(
        label=_("SDG goal"),
        required=False,
        widget=EnglishOptions,
        coerce=int,
        empty_value=None,
        choices=lambda: [("", gettext("Any goal")), *((n, f"{n}. {t}") for n, t in sdg_goals())],
    )
