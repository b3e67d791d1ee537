"""The evaluation session form: the session's own fields plus repeatable rows of findings and
recommendations, server-rendered so it works without JavaScript.

The forms only parse and render: every field is optional here and the service
(`services.evaluation.evaluation_create`) decides what is missing or wrong. Its refusals name rows
as it numbered them (`findings.2.finding` is the second row it was *sent*); blank rows are not
sent, so `EvaluationEntry` maps its numbers back to the rows on the page.
"""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from commonground.core.errors import DomainError
from commonground.partnerships.models import Partner
from commonground.results.models import Criterion

MAX_ROWS = 30
NEW_RECOMMENDATION_ROWS = 2
# A new session offers one finding row per DAC criterion, in the DAC's order.
NEW_FINDING_CRITERIA = list(Criterion.values)
ROW_KINDS = ("findings", "recommendations")


class DateInput(forms.DateInput):
    input_type = "date"


class EvaluationForm(forms.Form):
    title = forms.CharField(
        required=False,
        label=_("Title"),
        widget=forms.TextInput(attrs={"maxlength": 200}),
        help_text=_("For example: Mid-term review, Annual learning review 2026."),
    )
    held_on = forms.CharField(label=_("Held on"), required=False, widget=DateInput)
    participants = forms.CharField(
        required=False,
        label=_("Participants"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who took part: people, organisations, residents' panels."),
    )
    # How many rows the page shows (parsed leniently by EvaluationEntry, never an error).
    finding_rows = forms.CharField(widget=forms.HiddenInput, required=False)
    recommendation_rows = forms.CharField(widget=forms.HiddenInput, required=False)

    REQUIRED = ("title", "held_on")


class FindingRow(forms.Form):
    criterion = forms.ChoiceField(
        label=_("DAC criterion"),
        required=False,
        choices=[("", _("Choose a criterion")), *Criterion.choices],
    )
    finding = forms.CharField(
        label=_("Finding"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_url = forms.CharField(
        label=_("Evidence link"),
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://", "maxlength": 200}),  # i18n: scheme
        help_text=_("Optional: a report, survey or data set that supports the finding."),
    )

    def is_blank(self) -> bool:
        # A criterion alone is not a finding: new rows come with one chosen.
        return not (self._raw("finding") or self._raw("evidence_url"))

    def _raw(self, name: str) -> str:
        return str(self[name].value() or "").strip()

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("criterion", "finding", "evidence_url")}


class RecommendationRow(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_id = forms.ChoiceField(
        label=_("Owner"), required=False, help_text=_("The partner who acts.")
    )
    due_date = forms.CharField(label=_("Due date"), required=False, widget=DateInput)

    def __init__(self, *args: Any, owners: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_id"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [("", _("Choose a partner")), *owners]

    def is_blank(self) -> bool:
        return not any(str(self[name].value() or "").strip() for name in self.fields)

    def service_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ("text", "owner_id", "due_date")}


def _count(value: Any, default: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return min(max(number, 1), MAX_ROWS)


class EvaluationEntry:
    """The whole page's forms: the session, its finding rows and its recommendation rows."""

    def __init__(self, data: Any, *, partnership_id: int) -> None:
        self.bound = data is not None
        # One mutable copy shared by every form, so the hidden row counts can follow add_row.
        data = data.copy() if data is not None else None
        self._data: Any = data
        owners = [
            (str(partner.pk), partner.organisation.name)
            for partner in Partner.objects.filter(partnership_id=partnership_id)
            .select_related("organisation")
            .order_by("organisation__name")
        ]
        self.form = EvaluationForm(data)
        if self.bound:
            finding_rows = _count(data.get("finding_rows"), 1)
            recommendation_rows = _count(data.get("recommendation_rows"), 1)
        else:
            finding_rows = len(NEW_FINDING_CRITERIA)
            recommendation_rows = NEW_RECOMMENDATION_ROWS
        self.findings = [
            FindingRow(
                data,
                prefix=f"findings-{number}",
                initial={"criterion": NEW_FINDING_CRITERIA[number - 1]} if not self.bound else {},
            )
            for number in range(1, finding_rows + 1)
        ]
        self.recommendations = [
            RecommendationRow(data, prefix=f"recommendations-{number}", owners=owners)
            for number in range(1, recommendation_rows + 1)
        ]
        self._owners = owners
        self._sent: dict[str, list[Any]] = {kind: [] for kind in ROW_KINDS}
        self._sync_counts()

    def _sync_counts(self) -> None:
        self.form.initial.update(
            finding_rows=len(self.findings), recommendation_rows=len(self.recommendations)
        )
        if self._data is not None:
            # The hidden counts render from the posted data; keep them in step with the rows.
            self._data["finding_rows"] = str(len(self.findings))
            self._data["recommendation_rows"] = str(len(self.recommendations))

    def can_add(self, kind: str) -> bool:
        return len(self.rows(kind)) < MAX_ROWS

    @property
    def can_add_findings(self) -> bool:
        return self.can_add("findings")

    @property
    def can_add_recommendations(self) -> bool:
        return self.can_add("recommendations")

    def rows(self, kind: str) -> list[forms.Form]:
        return list(self.findings) if kind == "findings" else list(self.recommendations)

    def add_row(self, kind: str) -> None:
        """One more blank row of `kind`, focused when the page loads (no script needed)."""
        if kind not in ROW_KINDS or not self.can_add(kind):
            return
        row: forms.Form
        if kind == "findings":
            row = FindingRow(prefix=f"findings-{len(self.findings) + 1}")
            self.findings.append(row)
            first = "criterion"
        else:
            row = RecommendationRow(
                prefix=f"recommendations-{len(self.recommendations) + 1}", owners=self._owners
            )
            self.recommendations.append(row)
            first = "text"
        row.fields[first].widget.attrs["autofocus"] = True
        self._sync_counts()

    def is_valid(self) -> bool:
        """Parse every form (only tampered choices or null characters fail here)."""
        forms_ = [self.form, *self.findings, *self.recommendations]
        return all([form.is_valid() for form in forms_])

    def service_data(self) -> dict[str, Any]:
        """What the service takes, blank rows left out (and remembered for error mapping)."""
        self._sent = {
            "findings": [row for row in self.findings if not row.is_blank()],
            "recommendations": [row for row in self.recommendations if not row.is_blank()],
        }
        data = {name: self.form.cleaned_data[name] for name in ("title", "held_on", "participants")}
        for kind in ROW_KINDS:
            data[kind] = [row.service_data() for row in self._sent[kind]]
        return data

    def add_domain_error(self, error: DomainError) -> None:
        """Put each refusal next to its input; what names no input goes to the top."""
        placed = False
        for key, messages in error.fields.items():
            form, name = self._target(key)
            for message in messages:
                form.add_error(name, message)
                placed = placed or name is not None
        if not placed:
            self.form.add_error(None, error.message)

    def _target(self, key: str) -> tuple[forms.Form, str | None]:
        parts = key.split(".")
        if len(parts) == 3 and parts[0] in ROW_KINDS and parts[1].isdigit():
            kind, number, name = parts[0], int(parts[1]), parts[2]
            sent = self._sent.get(kind, [])
            if 1 <= number <= len(sent) and name in sent[number - 1].fields:
                return sent[number - 1], name
        if key in self.form.fields:
            return self.form, key
        return self.form, None

    def error_summary(self) -> list[tuple[str, str, str]]:
        """(input id, where, message) for every error, in page order, for the summary at the
        top that links to each input."""
        summary: list[tuple[str, str, str]] = []
        for field in self.form.visible_fields():
            summary.extend((field.id_for_label, str(field.label), str(e)) for e in field.errors)
        for kind, noun in (("findings", "Finding"), ("recommendations", "Recommendation")):
            for number, row in enumerate(self.rows(kind), start=1):
                for field in row.visible_fields():
                    where = f"{noun} {number}, {field.label}"
                    summary.extend((field.id_for_label, where, str(e)) for e in field.errors)
        return summary

    @property
    def has_errors(self) -> bool:
        return self.bound and any(
            form.errors for form in (self.form, *self.findings, *self.recommendations)
        )
