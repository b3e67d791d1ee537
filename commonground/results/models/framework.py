"""The results framework: objectives (impact → outcomes → outputs), indicators that measure
them, disaggregation dimensions, targets and their revisions.

Vocabulary from Akvo RSR / TolaData and the IATI standard (result types, indicator measures).
Every row carries its partnership_id.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    IMPACT = "impact", _("Impact")
    OUTCOME = "outcome", _("Outcome")
    OUTPUT = "output", _("Output")


# IATI ResultType codes: 1 output, 2 outcome, 3 impact.
IATI_RESULT_TYPE = {Level.OUTPUT: "1", Level.OUTCOME: "2", Level.IMPACT: "3"}
# A child sits one or more levels below its parent.
LEVEL_RANK = {Level.IMPACT: 3, Level.OUTCOME: 2, Level.OUTPUT: 1}


class Measure(models.TextChoices):
    """IATI IndicatorMeasure codes."""

    UNIT = "1", _("Unit")
    PERCENTAGE = "2", _("Percentage")
    NOMINAL = "3", _("Nominal")
    ORDINAL = "4", _("Ordinal")
    QUALITATIVE = "5", _("Qualitative")


NUMERIC_MEASURES = {Measure.UNIT, Measure.PERCENTAGE, Measure.ORDINAL}


class Direction(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    MAINTAIN = "maintain", _("Maintain")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum of periods (counts per period)")
    LATEST = "latest", _("Latest value (stocks and rates)")
    AVERAGE = "average", _("Average of periods")
    MAXIMUM = "maximum", _("Maximum of periods")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")


class Objective(models.Model):
    """A node of the results framework: an impact, outcome or output."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="objectives"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    sdg_targets = models.JSONField(default=list, blank=True, help_text=_("UN SDG target codes."))
    responsible_partners = models.ManyToManyField(
        "partnerships.Partner", through="ObjectivePartner", related_name="objectives", blank=True
    )
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(1))
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["partnership", "parent"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.title}"

    @property
    def iati_result_type(self) -> str:
        return IATI_RESULT_TYPE[Level(self.level)]


class ObjectivePartner(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE)
    partner = models.ForeignKey("partnerships.Partner", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["objective", "partner"], name="objective_partner_once")
        ]


class Dimension(models.Model):
    """A way to break results down, defined per partnership: e.g. sex, age band, neighbourhood,
    each with its list of allowed values."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="dimensions"
    )
    name = models.CharField(max_length=60)
    values = models.JSONField(default=list, help_text=_("The allowed values, in display order."))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="dimension_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    """How an objective is measured."""

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="indicators"
    )
    objective = models.ForeignKey(Objective, on_delete=models.PROTECT, related_name="indicators")
    title = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text=_("e.g. people, beds, %."))
    measure = models.CharField(max_length=1, choices=Measure.choices, default=Measure.UNIT)
    direction = models.CharField(
        max_length=10, choices=Direction.choices, default=Direction.INCREASE
    )
    aggregation = models.CharField(
        _("values add up by"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    baseline_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target_value = models.DecimalField(
        _("end target"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    target_date = models.DateField(_("end target date"), null=True, blank=True)
    frequency = models.CharField(
        _("reporting frequency"),
        max_length=12,
        choices=Frequency.choices,
        default=Frequency.QUARTERLY,
    )
    means_of_verification = models.TextField(blank=True)
    responsible_partner = models.ForeignKey(
        "partnerships.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
    )
    sdg_indicator = models.CharField(_("SDG indicator"), max_length=12, blank=True)
    dimensions = models.ManyToManyField(
        Dimension, through="IndicatorDimension", related_name="indicators", blank=True
    )
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal(1))
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["partnership", "objective"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_numeric(self) -> bool:
        return self.measure in NUMERIC_MEASURES

    @property
    def is_percentage(self) -> bool:
        return self.measure == Measure.PERCENTAGE


class IndicatorDimension(models.Model):
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE)
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "dimension"], name="indicator_dimension_once"
            )
        ]


class PeriodTarget(models.Model):
    """The value an indicator should reach in one reporting period."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="period_targets"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=4)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start"], name="one_target_per_period"
            )
        ]


class RevisionReason(models.TextChoices):
    ADAPTIVE_MANAGEMENT = "adaptive_management", _("Adaptive management")
    BUDGET_CHANGE = "budget_change", _("Budget change")
    CONTEXT_CHANGE = "context_change", _("Change in context")
    IMPLEMENTATION_DELAY = "implementation_delay", _("Implementation delay")
    REQUIREMENT = "requirement", _("Partner or funder requirement")
    PARTNERSHIP_DECISION = "partnership_decision", _("Partnership decision")
    OTHER = "other", _("Other")


class TargetRevision(models.Model):
    """A change to a target that was already set, kept with its reason. Never edited."""

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.PROTECT)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="revisions")
    period_start = models.DateField(null=True, blank=True, help_text=_("Empty for the end target."))
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    new_value = models.DecimalField(max_digits=20, decimal_places=4, null=True)
    old_date = models.DateField(null=True, blank=True)
    new_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=30, choices=RevisionReason.choices)
    reason_text = models.TextField(blank=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    revised_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-revised_at", "-pk"]


class ResultsSettings(models.Model):
    """Per-partnership thresholds of the progress status (defaults in docs/glossary.md)."""

    partnership = models.OneToOneField(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="results_settings"
    )
    on_track = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.90"))
    at_risk = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.70"))
    stale_periods = models.PositiveSmallIntegerField(default=2)
    version = models.PositiveIntegerField(default=1)
