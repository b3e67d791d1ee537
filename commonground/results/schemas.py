"""Schemas of the results API: explicit In / Patch / Out per resource.

Decimal values leave the API as strings ("12.5", never 12.500000001) so no client loses precision;
they come in as JSON numbers or, exactly, as strings. Checking a value against its indicator is
the services' job: these schemas only give the shape, so every refusal names its field the same
way on the pages, in imports and here.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema

from commonground.core.errors import InvalidInput
from commonground.results import periods
from commonground.results.models import Criterion, IndicatorProgress
from commonground.results.progress import STATUS_LABELS, Status
from commonground.results.services.entry import breakdown_key
from commonground.results.services.summaries import NodeProgress

DECIMAL_NOTE = 'A decimal number as a string, exact (e.g. "12.5").'


def decimal_text(value: Any) -> Any:
    """Decimal → "12.5": fixed-point, without the trailing zeros of the stored scale."""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return value


def status_label(status: str | None) -> str | None:
    """The status's label in the reader's language (the API's bodies are cached per language)."""
    return STATUS_LABELS[Status(status)] if status else None


DecimalStr = Annotated[
    str,
    BeforeValidator(decimal_text),
    WithJsonSchema({"type": "string", "description": DECIMAL_NOTE, "examples": ["12.5"]}),
]
# Numbers in: a JSON number or a decimal string (exact). The services parse and check them.
NumberIn = Annotated[
    Decimal | str | None,
    WithJsonSchema(
        {
            "anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}],
            "description": 'A number, or a decimal string for exact values ("12.5").',
        }
    ),
]


class PersonRef(Schema):
    id: int
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.full_name or obj.email)


# --- objectives ------------------------------------------------------------------------------


class ObjectiveOut(Schema):
    id: int
    level: str = Field(description="impact, outcome or output")
    iati_result_type: str = Field(description="IATI ResultType code: 1 output, 2 outcome, 3 impact")
    parent_id: int | None
    title: str
    description: str
    sdg_targets: list[str] = Field(description="UN SDG target codes, e.g. 11.1")
    responsible_partner_ids: list[int]
    weight: DecimalStr
    position: int
    status: str | None = Field(
        None, description="Rolled up from its indicators and the objectives below it"
    )
    status_label: str | None = None
    percent: DecimalStr | None = Field(None, description="Weighted percent of target reached")
    version: int

    @classmethod
    def build(cls, objective: Any, node: NodeProgress) -> "ObjectiveOut":
        """The objective with its rolled-up progress (computed once per request)."""
        state = node.status.value if node.status else None
        return cls(
            id=objective.pk,
            level=objective.level,
            iati_result_type=objective.iati_result_type,
            parent_id=objective.parent_id,
            title=objective.title,
            description=objective.description,
            sdg_targets=objective.sdg_targets,
            responsible_partner_ids=[p.pk for p in objective.responsible_partners.all()],
            weight=objective.weight,
            position=objective.position,
            status=state,
            status_label=status_label(state),
            percent=decimal_text(node.percent),
            version=objective.version,
        )


class ObjectiveIn(Schema):
    level: str = Field(description="impact, outcome or output")
    title: str
    description: str = ""
    parent_id: int | None = Field(
        None, description="An objective of a higher level in this partnership"
    )
    sdg_targets: list[str] = []
    responsible_partner_ids: list[int] = []
    weight: NumberIn = Field(None, description="Weight in the roll-up (default 1)")


class ObjectivePatch(Schema):
    title: str | None = None
    level: str | None = None
    description: str | None = None
    parent_id: int | None = None
    sdg_targets: list[str] | None = None
    responsible_partner_ids: list[int] | None = None
    weight: NumberIn = None


# --- dimensions ------------------------------------------------------------------------------


class DimensionOut(Schema):
    id: int
    name: str
    values: list[str] = Field(description="The allowed values, in display order")
    version: int


class DimensionIn(Schema):
    name: str
    values: list[str] = Field([], description="The allowed values, e.g. female, male, other")


class DimensionPatch(Schema):
    name: str | None = None
    values: list[str] | None = None


# --- indicators ------------------------------------------------------------------------------


class IndicatorProgressOut(Schema):
    value_to_date: DecimalStr | None = Field(description="Approved values combined by aggregation")
    percent: DecimalStr | None = Field(description="Percent of the way from baseline to target")
    status: str | None
    status_label: str | None
    last_period_end: dt.date | None

    @staticmethod
    def resolve_status(obj: Any) -> str | None:
        return obj.status or None

    @staticmethod
    def resolve_status_label(obj: Any) -> str | None:
        return status_label(obj.status)


class PeriodTargetOut(Schema):
    period: str = Field(description="The period's label, e.g. 2025-Q2")
    period_start: dt.date
    period_end: dt.date
    value: DecimalStr
    version: int

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return periods.Period(obj.period_start, obj.period_end).label


class IndicatorOut(Schema):
    id: int
    objective_id: int
    title: str
    definition: str
    unit: str
    measure: str = Field(description="IATI IndicatorMeasure code: 1 unit … 5 qualitative")
    measure_label: str
    direction: str
    aggregation: str = Field(description="How values add up over time: sum, latest, …")
    frequency: str
    baseline_value: DecimalStr | None
    baseline_date: dt.date | None
    target_value: DecimalStr | None = Field(description="The end target")
    target_date: dt.date | None
    means_of_verification: str
    responsible_partner_id: int | None
    sdg_indicator: str
    dimensions: list[DimensionOut]
    period_targets: list[PeriodTargetOut]
    weight: DecimalStr
    position: int
    progress: IndicatorProgressOut | None
    version: int

    @staticmethod
    def resolve_measure_label(obj: Any) -> str:
        return str(obj.get_measure_display())

    @staticmethod
    def resolve_progress(obj: Any) -> Any:
        try:
            return obj.progress
        except IndicatorProgress.DoesNotExist:
            return None


class IndicatorFields(Schema):
    title: str | None = None
    definition: str | None = None
    unit: str | None = None
    measure: str | None = Field(
        None, description="IATI code: 1 unit, 2 percentage, 3 nominal, 4 ordinal, 5 qualitative"
    )
    direction: str | None = Field(None, description="increase, decrease or maintain")
    aggregation: str | None = Field(None, description="sum, latest, average or maximum")
    frequency: str | None = Field(None, description="monthly, quarterly, semiannual or annual")
    baseline_value: NumberIn = None
    baseline_date: dt.date | None = None
    target_value: NumberIn = Field(
        None, description="The end target; once set, change it through a target revision"
    )
    target_date: dt.date | None = None
    means_of_verification: str | None = None
    responsible_partner_id: int | None = None
    sdg_indicator: str | None = Field(None, description="e.g. 11.1.1")
    dimension_ids: list[int] | None = None
    weight: NumberIn = None


class IndicatorIn(IndicatorFields):
    objective_id: int
    title: str


class IndicatorPatch(IndicatorFields):
    pass


class IndicatorCopyIn(Schema):
    source_indicator_id: int = Field(
        description="An indicator of any partnership you have a seat in"
    )
    objective_id: int = Field(description="The objective of this partnership to put it under")


class IndicatorFromSdgIn(Schema):
    code: str = Field(description="An SDG indicator code, e.g. 11.1.1")
    objective_id: int


class TargetRevisionIn(Schema):
    value: NumberIn = Field(description="The new end target")
    target_date: dt.date | None = Field(None, description="The new end date (default: unchanged)")
    reason: str = Field(
        description="adaptive_management, budget_change, context_change, implementation_delay, "
        "requirement, partnership_decision or other"
    )
    reason_text: str = Field("", description="Needed when the reason is other")


class TargetRevisionOut(Schema):
    id: int
    period: str | None = Field(description="The period revised; null for the end target")
    old_value: DecimalStr | None
    new_value: DecimalStr | None
    old_date: dt.date | None
    new_date: dt.date | None
    reason: str
    reason_label: str
    reason_text: str
    revised_by: PersonRef
    revised_at: dt.datetime

    @staticmethod
    def resolve_period(obj: Any) -> str | None:
        if obj.period_start is None:
            return None
        return periods.period_containing(obj.indicator.frequency, obj.period_start).label

    @staticmethod
    def resolve_reason_label(obj: Any) -> str:
        return str(obj.get_reason_display())


class PeriodTargetIn(Schema):
    value: NumberIn = Field(description="The target for the period")
    reason: str = Field("", description="Needed to change a target already set (see revisions)")
    reason_text: str = ""


# --- results ---------------------------------------------------------------------------------


class BreakdownItem(Schema):
    dimensions: dict[str, str] = Field(description='e.g. {"sex": "female", "age": "15-24"}')
    value: NumberIn


Breakdown = dict[str, NumberIn] | list[BreakdownItem]
BREAKDOWN_NOTE = (
    'Either {"age=15-24|sex=female": 6, …} (keys name one value of every dimension, sorted, '
    'joined by |) or [{"dimensions": {"sex": "female", "age": "15-24"}, "value": 6}, …]. '
    "When a total is also given they must agree; without one, the total is their sum."
)


def breakdown_dict(breakdown: Breakdown | None) -> dict[str, Any]:
    """Either form of breakdown as {canonical key: value}; a combination given twice is refused."""
    if breakdown is None:
        return {}
    if isinstance(breakdown, dict):
        return dict(breakdown)
    combined: dict[str, Any] = {}
    for item in breakdown:
        key = breakdown_key(item.dimensions)
        if key in combined:
            raise InvalidInput(
                _("The breakdown gives a combination twice."),
                fields={"breakdown": [_("“%(key)s” appears more than once.") % {"key": key}]},
            )
        combined[key] = item.value
    return combined


class ResultFields(Schema):
    value: NumberIn = Field(None, description="The total, for numeric indicators")
    text_value: str | None = Field(None, description="For qualitative and nominal indicators")
    breakdown: Breakdown | None = Field(None, description=BREAKDOWN_NOTE)
    note: str | None = None
    evidence_url: str | None = Field(None, description="A link to the evidence (https://…)")


class ResultIn(ResultFields):
    indicator_id: int
    period: str = Field(description="The period's label in the indicator's frequency: 2025-Q2")
    partner_id: int | None = Field(
        None, description="Coordinators and editors may report for another partner"
    )


class ResultPatch(ResultFields):
    """Only the fields sent change; the rest keep their current values."""


class ResultOut(Schema):
    id: int
    indicator_id: int
    partner_id: int
    period: str
    period_start: dt.date
    period_end: dt.date
    value: DecimalStr | None
    text_value: str
    breakdown: dict[str, DecimalStr] = Field(description="Canonical key → value")
    note: str
    evidence_url: str
    evidence_file: str | None = Field(description="The uploaded evidence's address, if any")
    status: str = Field(description="draft, submitted, returned or approved")
    submitted_by: PersonRef | None
    submitted_at: dt.datetime | None
    reviewed_by: PersonRef | None
    reviewed_at: dt.datetime | None
    review_comment: str
    version: int

    @staticmethod
    def resolve_period(obj: Any) -> str:
        return periods.Period(obj.period_start, obj.period_end).label

    @staticmethod
    def resolve_breakdown(obj: Any) -> dict[str, Decimal]:
        return {row.key: row.value for row in obj.breakdown.all()}


class ReviewIn(Schema):
    comment: str = Field("", description="Optional on approval")


class ReturnIn(Schema):
    comment: str = Field("", description="What needs to change (required)")


class ReopenIn(Schema):
    reason: str = Field("", description="Why the approved result must change (required)")


class CommentIn(Schema):
    body: str


class CommentOut(Schema):
    id: int
    author: PersonRef
    body: str
    created_at: dt.datetime


# --- progress, SMART check, SDG --------------------------------------------------------------


class IndicatorProgressRow(Schema):
    id: int
    title: str
    objective_id: int
    unit: str
    target_value: DecimalStr | None
    value_to_date: DecimalStr | None
    percent: DecimalStr | None
    expected_value: DecimalStr | None = Field(
        description="Expected today on the straight line from baseline to target"
    )
    status: str | None
    status_label: str | None
    last_period_end: dt.date | None


class PartnershipProgressOut(Schema):
    status: str | None = Field(description="The partnership's overall status")
    status_label: str | None
    percent: DecimalStr | None
    indicator_count: int
    counts: dict[str, int] = Field(description='Indicators by status ("none": not judged)')
    computed_at: dt.datetime | None
    indicators: list[IndicatorProgressRow]


class SmartIssueOut(Schema):
    kind: str = Field(
        description="no_indicator, no_baseline, no_target, no_target_date, "
        "no_responsible_partner or target_after_end"
    )
    message: str
    objective_id: int | None
    indicator_id: int | None

    @staticmethod
    def resolve_objective_id(obj: Any) -> int | None:
        if obj.objective is not None:
            return int(obj.objective.pk)
        return int(obj.indicator.objective_id) if obj.indicator is not None else None

    @staticmethod
    def resolve_indicator_id(obj: Any) -> int | None:
        return obj.indicator.pk if obj.indicator else None


class SdgTargetOut(Schema):
    code: str
    title: str


class SdgIndicatorOut(Schema):
    code: str
    target: str
    title: str


# --- evaluation sessions -----------------------------------------------------------------------

CRITERION_NOTE = (
    "An OECD DAC criterion: relevance, coherence, effectiveness, efficiency, impact or "
    "sustainability"
)


class FindingIn(Schema):
    criterion: str = Field("", description=CRITERION_NOTE)
    finding: str = ""
    evidence_url: str = Field("", description="A link to the evidence (https://…), optional")


class RecommendationIn(Schema):
    text: str = ""
    owner_id: int | None = Field(None, description="The partner (of this partnership) who acts")
    due_date: dt.date | None = None


class EvaluationIn(Schema):
    title: str
    held_on: dt.date = Field(description="The day the session took place")
    participants: str = ""
    findings: list[FindingIn] = []
    recommendations: list[RecommendationIn] = []


class FindingOut(Schema):
    id: int
    criterion: str = Field(description=CRITERION_NOTE)
    criterion_label: str
    finding: str
    evidence_url: str

    @staticmethod
    def resolve_criterion_label(obj: Any) -> str:
        return str(obj.get_criterion_display())


class RecommendationOut(Schema):
    id: int
    evaluation_id: int
    text: str
    owner_id: int
    owner_name: str
    due_date: dt.date
    done: bool
    done_at: dt.datetime | None
    overdue: bool = Field(description="Not done and the due date has passed")

    @staticmethod
    def resolve_evaluation_id(obj: Any) -> int:
        return int(obj.session_id)

    @staticmethod
    def resolve_owner_name(obj: Any) -> str:
        return str(obj.owner.organisation.name)

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        return bool(obj.is_overdue(timezone.localdate()))


class EvaluationFields(Schema):
    id: int
    title: str
    held_on: dt.date
    participants: str
    created_by: PersonRef
    created_at: dt.datetime


class EvaluationSummaryOut(EvaluationFields):
    finding_count: int
    recommendation_count: int
    open_recommendations: int = Field(description="Recommendations not done yet")
    overdue_recommendations: int = Field(description="Open recommendations past their due date")

    @staticmethod
    def resolve_open_recommendations(obj: Any) -> int:
        return int(obj.open_count)

    @staticmethod
    def resolve_overdue_recommendations(obj: Any) -> int:
        return int(obj.overdue_count)


class EvaluationOut(EvaluationFields):
    findings: list[FindingOut] = Field(description="In the DAC criteria's order")
    recommendations: list[RecommendationOut] = Field(description="By due date")

    @staticmethod
    def resolve_findings(obj: Any) -> list[Any]:
        order = {value: position for position, value in enumerate(Criterion.values)}
        return sorted(obj.findings.all(), key=lambda f: (order.get(f.criterion, 99), f.pk))

    @staticmethod
    def resolve_recommendations(obj: Any) -> list[Any]:
        return list(obj.recommendations.all())
