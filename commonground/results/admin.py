from django.contrib import admin

from commonground.core.admin import AuditedAdmin
from commonground.results.models import (
    Dimension,
    EvaluationSession,
    Indicator,
    Objective,
    Result,
    ResultsSettings,
    TargetRevision,
)


class PartnershipScopedAdmin(AuditedAdmin):
    partnership_field = "partnership_id"
    exclude = ("version",)
    list_filter = ("partnership",)


@admin.register(Objective)
class ObjectiveAdmin(PartnershipScopedAdmin):
    list_display = ("title", "level", "partnership", "parent")
    search_fields = ("title",)
    raw_id_fields = ("partnership", "parent")


@admin.register(Indicator)
class IndicatorAdmin(PartnershipScopedAdmin):
    list_display = ("title", "partnership", "measure", "frequency", "target_value")
    search_fields = ("title",)
    raw_id_fields = ("partnership", "objective", "responsible_partner")


@admin.register(Dimension)
class DimensionAdmin(PartnershipScopedAdmin):
    list_display = ("name", "partnership")


@admin.register(ResultsSettings)
class ResultsSettingsAdmin(PartnershipScopedAdmin):
    list_display = ("partnership", "on_track", "at_risk", "stale_periods")


@admin.register(EvaluationSession)
class EvaluationSessionAdmin(PartnershipScopedAdmin):
    list_display = ("title", "held_on", "partnership")


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    """Read-only: results change only through their review workflow."""

    list_display: tuple[str, ...] = ("indicator", "partner", "period_start", "value", "status")
    list_filter = ("status",)
    search_fields = ("indicator__title",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TargetRevision)
class TargetRevisionAdmin(ResultAdmin):
    list_display: tuple[str, ...] = (
        "indicator",
        "period_start",
        "old_value",
        "new_value",
        "reason",
        "revised_by",
    )
    list_filter = ("reason",)
