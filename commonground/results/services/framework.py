"""Writes for the results framework: objectives, dimensions, indicators, targets and revisions.

Each is atomic, validates first, and records one audit event in the same transaction.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.accounts.models import User
from commonground.core.audit import diff, record_event
from commonground.core.codelists import sdg_indicators, sdg_targets
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict, field_error
from commonground.core.validation import Errors, choice, date, decimal, text
from commonground.partnerships.access import require
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.results import periods
from commonground.results.access import ResultsPerm
from commonground.results.models import (
    Aggregation,
    Dimension,
    Direction,
    Frequency,
    Indicator,
    IndicatorDimension,
    Level,
    Measure,
    Objective,
    ObjectivePartner,
    PeriodTarget,
    ResultBreakdown,
    RevisionReason,
    TargetRevision,
)
from commonground.results.models.framework import LEVEL_RANK
from commonground.results.services.summaries import refresh_indicator, refresh_partnership

_NOT_SDG = gettext_lazy("“%(code)s” is not an SDG indicator code such as 11.5.1.")


def _level(code: str) -> str:
    """A level's name in the reader's language, in lower case ("outcome")."""
    return str(Level(code).label).lower()


OBJECTIVE_FIELDS = ("level", "title", "description", "parent_id", "sdg_targets", "weight")


def _partners_of(partnership: Partnership, ids: Any, errors: Errors, key: str) -> list[Partner]:
    wanted = {int(i) for i in (ids or []) if str(i).strip()}
    found = list(Partner.objects.filter(partnership=partnership, pk__in=wanted))
    if len(found) != len(wanted):
        errors.add(key, _("Choose partners of this partnership."))
    return found


def _clean_objective(
    partnership: Partnership, data: dict[str, Any], objective: Objective | None = None
) -> tuple[dict[str, Any], list[Partner]]:
    errors = Errors()
    cleaned: dict[str, Any] = {
        "level": choice(data.get("level"), "level", errors, Level),
        "title": text(data, "title", errors, required=True, max_length=300, label=_("a title")),
        "description": text(data, "description", errors),
    }
    parent_id = data.get("parent_id") or None
    parent = None
    if parent_id is not None:
        parent = Objective.objects.filter(partnership=partnership, pk=parent_id).first()
        if parent is None:
            errors.add("parent_id", _("Choose an objective of this partnership as the parent."))
    if (
        parent
        and cleaned["level"] in LEVEL_RANK
        and LEVEL_RANK[Level(parent.level)] <= LEVEL_RANK[Level(cleaned["level"])]
    ):
        errors.add(
            "parent_id",
            _(
                "An objective of the level “%(level)s” sits below an objective of a higher level "
                "(impact → outcome → output), not below one of the level “%(parent)s”."
            )
            % {"level": _level(cleaned["level"]), "parent": _level(parent.level)},
        )
    if objective is not None and cleaned["level"] in LEVEL_RANK:
        # The objectives already below it must stay below: an impact with outcomes cannot
        # become an output.
        rank = LEVEL_RANK[Level(cleaned["level"])]
        below = sorted(
            {c.level for c in objective.children.all() if LEVEL_RANK[Level(c.level)] >= rank}
        )
        if below:
            errors.add(
                "level",
                _(
                    "An objective of the level “%(level)s” cannot have objectives of the level "
                    "%(below)s below it: move the objectives below it first."
                )
                % {
                    "level": _level(cleaned["level"]),
                    "below": ", ".join(f"“{_level(level)}”" for level in below),
                },
            )
    if objective is not None and parent is not None:
        node: Objective | None = parent
        while node is not None:  # refuse cycles
            if node.pk == objective.pk:
                errors.add("parent_id", _("An objective cannot sit below itself."))
                break
            node = node.parent
    cleaned["parent_id"] = parent.pk if parent else None
    known_targets = {code for code, _ in sdg_targets()}
    targets = sorted({str(code).strip() for code in data.get("sdg_targets") or []})
    unknown = [code for code in targets if code not in known_targets]
    if unknown:
        errors.add(
            "sdg_targets", _("Unknown SDG targets: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    cleaned["sdg_targets"] = targets
    weight = decimal(data.get("weight", 1), "weight", errors)
    weight = Decimal(1) if weight is None else weight  # 0 is refused below, not replaced
    if weight <= 0:
        errors.add("weight", _("The weight must be above 0."))
    cleaned["weight"] = weight
    partners = _partners_of(
        partnership, data.get("responsible_partner_ids"), errors, "responsible_partner_ids"
    )
    errors.raise_if_any(_("Some objective details need correcting."))
    return cleaned, partners


def _set_partners(objective: Objective, partners: list[Partner]) -> None:
    ObjectivePartner.objects.filter(objective=objective).delete()
    ObjectivePartner.objects.bulk_create(
        ObjectivePartner(partnership_id=objective.partnership_id, objective=objective, partner=p)
        for p in partners
    )


@transaction.atomic
def objective_create(*, actor: User, seat: Seat, data: dict[str, Any]) -> Objective:
    """Add an impact, outcome or output to the framework."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK)
    partnership = seat.partnership
    cleaned, partners = _clean_objective(partnership, data)
    position = Objective.objects.filter(partnership=partnership).count()
    objective = Objective.objects.create(partnership=partnership, position=position, **cleaned)
    _set_partners(objective, partners)
    record_event(
        actor=actor,
        action="objective.create",
        obj=objective,
        partnership_id=partnership.pk,
        changes={
            **{k: [None, v] for k, v in cleaned.items() if v not in (None, "", [])},
            "responsible_partners": [None, sorted(p.organisation.name for p in partners)],
        },
    )
    return objective


@transaction.atomic
def objective_update(
    *, actor: User, seat: Seat, objective: Objective, data: dict[str, Any], version: int | None
) -> Objective:
    """Change an objective; refuses if someone else changed it first."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, objective.partnership_id)
    current_partners = [
        op.partner_id for op in ObjectivePartner.objects.filter(objective=objective)
    ]
    merged = {key: data.get(key, getattr(objective, key)) for key in OBJECTIVE_FIELDS}
    merged["responsible_partner_ids"] = data.get("responsible_partner_ids", current_partners)
    cleaned, partners = _clean_objective(objective.partnership, merged, objective)
    before = {key: getattr(objective, key) for key in OBJECTIVE_FIELDS}
    changes = diff(before, cleaned)
    if sorted(p.pk for p in partners) != sorted(current_partners):
        changes["responsible_partners"] = [sorted(current_partners), sorted(p.pk for p in partners)]
        _set_partners(objective, partners)
    bump_version(objective, version, **cleaned)
    if changes:
        record_event(
            actor=actor,
            action="objective.update",
            obj=objective,
            partnership_id=objective.partnership_id,
            changes=changes,
        )
    if {"weight", "parent_id"} & set(changes):
        refresh_partnership(objective.partnership_id)  # the roll-up follows weights and parents
    return objective


@transaction.atomic
def objective_delete(*, actor: User, seat: Seat, objective: Objective) -> None:
    """Remove an objective that has no indicators and no objectives below it."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, objective.partnership_id)
    if objective.children.exists() or objective.indicators.exists():
        raise Conflict(
            _("Move or remove its indicators and the objectives below it first."),
            code="objective_in_use",
        )
    record_event(
        actor=actor,
        action="objective.delete",
        obj=objective,
        partnership_id=objective.partnership_id,
        changes={"title": [objective.title, None]},
    )
    ObjectivePartner.objects.filter(objective=objective).delete()
    objective.delete()


def _clean_dimension(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    name = text(data, "name", errors, required=True, max_length=60, label=_("a name"))
    values: list[str] = []
    for raw in data.get("values") or []:
        value = str(raw).strip()
        if value and value not in values:
            values.append(value)
    if not values:
        errors.add("values", _("List the allowed values, e.g. female, male, other."))
    if any(("|" in v or "=" in v or len(v) > 60) for v in [*values, name]):
        errors.add(
            "values", _("Values and names may not contain | or = and stay under 60 characters.")
        )
    errors.raise_if_any(_("Some dimension details need correcting."))
    return {"name": name, "values": values}


@transaction.atomic
def dimension_create(*, actor: User, seat: Seat, data: dict[str, Any]) -> Dimension:
    """Define a way to break results down (e.g. sex: female, male, other)."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK)
    partnership = seat.partnership
    cleaned = _clean_dimension(data)
    if Dimension.objects.filter(partnership=partnership, name__iexact=cleaned["name"]).exists():
        raise field_error(
            "name", _("There is already a dimension called %(name)s.") % {"name": cleaned["name"]}
        )
    dimension = Dimension.objects.create(partnership=partnership, **cleaned)
    record_event(
        actor=actor,
        action="dimension.create",
        obj=dimension,
        partnership_id=partnership.pk,
        changes={k: [None, v] for k, v in cleaned.items()},
    )
    return dimension


@transaction.atomic
def dimension_update(
    *, actor: User, seat: Seat, dimension: Dimension, data: dict[str, Any], version: int | None
) -> Dimension:
    """Rename a dimension or change its values; values already used in results stay."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, dimension.partnership_id)
    cleaned = _clean_dimension(
        {"name": data.get("name", dimension.name), "values": data.get("values", dimension.values)}
    )
    removed = set(dimension.values) - set(cleaned["values"])
    if removed:
        # Compare whole "name=value" parts of the keys: "age=15" is not used by "age=15-24".
        keys = ResultBreakdown.objects.filter(
            indicator__in=IndicatorDimension.objects.filter(dimension=dimension).values("indicator")
        ).values_list("key", flat=True)
        used = {part for key in keys.distinct() for part in key.split("|")}
        for value in sorted(removed):
            if f"{dimension.name}={value}" in used:
                raise field_error(
                    "values",
                    _("“%(value)s” is used in reported results; keep it.") % {"value": value},
                )
    if (
        cleaned["name"] != dimension.name
        and IndicatorDimension.objects.filter(dimension=dimension).exists()
    ):
        raise field_error("name", _("Indicators use this dimension; it keeps its name."))
    changes = diff({"name": dimension.name, "values": dimension.values}, cleaned)
    bump_version(dimension, version, **cleaned)
    if changes:
        record_event(
            actor=actor,
            action="dimension.update",
            obj=dimension,
            partnership_id=dimension.partnership_id,
            changes=changes,
        )
    return dimension


INDICATOR_FIELDS = (
    "title",
    "definition",
    "unit",
    "measure",
    "direction",
    "aggregation",
    "baseline_value",
    "baseline_date",
    "frequency",
    "means_of_verification",
    "responsible_partner_id",
    "sdg_indicator",
    "weight",
    "target_value",
    "target_date",
)


def _clean_indicator(
    partnership: Partnership, data: dict[str, Any]
) -> tuple[dict[str, Any], list[Dimension]]:
    errors = Errors()
    c: dict[str, Any] = {
        "title": text(data, "title", errors, required=True, max_length=300, label=_("a title")),
        "definition": text(data, "definition", errors),
        "unit": text(data, "unit", errors, max_length=40),
        "means_of_verification": text(data, "means_of_verification", errors),
        "measure": choice(data.get("measure"), "measure", errors, Measure, Measure.UNIT),
        "direction": choice(
            data.get("direction"), "direction", errors, Direction, Direction.INCREASE
        ),
        "aggregation": choice(
            data.get("aggregation"), "aggregation", errors, Aggregation, Aggregation.SUM
        ),
        "frequency": choice(
            data.get("frequency"), "frequency", errors, Frequency, Frequency.QUARTERLY
        ),
        "baseline_value": decimal(data.get("baseline_value"), "baseline_value", errors),
        "baseline_date": date(data.get("baseline_date"), "baseline_date", errors),
        "target_value": decimal(data.get("target_value"), "target_value", errors),
        "target_date": date(data.get("target_date"), "target_date", errors),
        "weight": decimal(data.get("weight", 1), "weight", errors),
    }
    if c["weight"] is None:  # 0 is refused below, not replaced
        c["weight"] = Decimal(1)
    if c["weight"] <= 0:
        errors.add("weight", _("The weight must be above 0."))
    numeric = c["measure"] in {Measure.UNIT, Measure.PERCENTAGE, Measure.ORDINAL}
    if not numeric:
        for key in ("baseline_value", "target_value"):
            if c[key] is not None:
                errors.add(key, _("Qualitative and nominal indicators have no numeric values."))
    if c["measure"] == Measure.PERCENTAGE:
        for key in ("baseline_value", "target_value"):
            if c[key] is not None and not (0 <= c[key] <= 100):
                errors.add(key, _("A percentage lies between 0 and 100."))
    if c["measure"] == Measure.PERCENTAGE and c["aggregation"] == Aggregation.SUM:
        errors.add("aggregation", _("Percentages are never added up: choose latest or average."))
    if c["baseline_date"] and c["target_date"] and c["target_date"] <= c["baseline_date"]:
        errors.add("target_date", _("The target date comes after the baseline date."))
    sdg = text(data, "sdg_indicator", errors, max_length=12)
    if sdg and sdg not in {code for code, _, _ in sdg_indicators()}:
        errors.add("sdg_indicator", _NOT_SDG % {"code": sdg})
    c["sdg_indicator"] = sdg
    partner_id = data.get("responsible_partner_id") or None
    if (
        partner_id is not None
        and not Partner.objects.filter(partnership=partnership, pk=partner_id).exists()
    ):
        errors.add("responsible_partner_id", _("Choose a partner of this partnership."))
    c["responsible_partner_id"] = int(partner_id) if partner_id is not None else None
    wanted = {int(i) for i in data.get("dimension_ids") or []}
    dimensions = list(Dimension.objects.filter(partnership=partnership, pk__in=wanted))
    if len(dimensions) != len(wanted):
        errors.add("dimension_ids", _("Choose dimensions defined for this partnership."))
    errors.raise_if_any(_("Some indicator details need correcting."))
    return c, dimensions


def _set_dimensions(indicator: Indicator, dimensions: list[Dimension]) -> None:
    IndicatorDimension.objects.filter(indicator=indicator).delete()
    IndicatorDimension.objects.bulk_create(
        IndicatorDimension(
            partnership_id=indicator.partnership_id, indicator=indicator, dimension=d
        )
        for d in dimensions
    )


@transaction.atomic
def indicator_create(
    *, actor: User, seat: Seat, objective: Objective, data: dict[str, Any]
) -> Indicator:
    """Define how an objective is measured."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, objective.partnership_id)
    cleaned, dimensions = _clean_indicator(objective.partnership, data)
    position = Indicator.objects.filter(objective=objective).count()
    indicator = Indicator.objects.create(
        partnership_id=objective.partnership_id, objective=objective, position=position, **cleaned
    )
    _set_dimensions(indicator, dimensions)
    record_event(
        actor=actor,
        action="indicator.create",
        obj=indicator,
        partnership_id=objective.partnership_id,
        changes={
            **{k: [None, v] for k, v in cleaned.items() if v not in (None, "")},
            "dimensions": [None, [d.name for d in dimensions]],
        },
    )
    refresh_indicator(indicator)
    return indicator


@transaction.atomic
def indicator_update(
    *, actor: User, seat: Seat, indicator: Indicator, data: dict[str, Any], version: int | None
) -> Indicator:
    """Change an indicator. A target already set changes only through a recorded revision."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, indicator.partnership_id)
    current_dims = list(indicator.dimensions.values_list("pk", flat=True))
    merged = {key: data.get(key, getattr(indicator, key)) for key in INDICATOR_FIELDS}
    merged["dimension_ids"] = data.get("dimension_ids", current_dims)
    cleaned, dimensions = _clean_indicator(indicator.partnership, merged)
    for key in ("target_value", "target_date"):
        old = getattr(indicator, key)
        if old is not None and cleaned[key] != old:
            raise field_error(key, _("The end target is set: revise it with a reason instead."))
    if indicator.results.exists():
        for key in ("measure", "frequency"):
            if cleaned[key] != getattr(indicator, key):
                raise field_error(key, _("Results were reported already; this cannot change."))
        if sorted(d.pk for d in dimensions) != sorted(current_dims):
            raise field_error(
                "dimension_ids", _("Results were reported already; the breakdown cannot change.")
            )
    before = {key: getattr(indicator, key) for key in INDICATOR_FIELDS}
    changes = diff(before, cleaned)
    if sorted(d.pk for d in dimensions) != sorted(current_dims):
        _set_dimensions(indicator, dimensions)
        changes["dimensions"] = [sorted(current_dims), sorted(d.pk for d in dimensions)]
    bump_version(indicator, version, **cleaned)
    if changes:
        record_event(
            actor=actor,
            action="indicator.update",
            obj=indicator,
            partnership_id=indicator.partnership_id,
            changes=changes,
        )
        refresh_indicator(indicator)
    return indicator


@transaction.atomic
def indicator_copy(
    *, actor: User, seat: Seat, source: Indicator, objective: Objective
) -> Indicator:
    """Start from an indicator of a partnership the actor can see (the caller looks it up with
    access.access_indicator_to_copy); definitions travel, targets, dimensions and partners do
    not."""
    data = {
        key: getattr(source, key)
        for key in (
            "title",
            "definition",
            "unit",
            "measure",
            "direction",
            "aggregation",
            "frequency",
            "means_of_verification",
            "sdg_indicator",
        )
    }
    return indicator_create(actor=actor, seat=seat, objective=objective, data=data)


@transaction.atomic
def indicator_from_sdg(*, actor: User, seat: Seat, objective: Objective, code: str) -> Indicator:
    """Start from an indicator of the UN SDG global indicator framework."""
    match = next((row for row in sdg_indicators() if row[0] == code), None)
    if match is None:
        raise field_error("code", _NOT_SDG % {"code": code})
    title = match[2] if len(match[2]) <= 300 else match[2][:297] + "…"
    return indicator_create(
        actor=actor,
        seat=seat,
        objective=objective,
        data={
            "title": title,
            "definition": match[2],
            "sdg_indicator": code,
            # Becomes the indicator's own text, in the language of the person who adds it.
            "means_of_verification": _("UN SDG global indicator framework (unstats.un.org)."),
        },
    )


def _clean_reason(reason: str, reason_text: str) -> tuple[str, str]:
    errors = Errors()
    reason = choice(reason, "reason", errors, RevisionReason)
    reason_text = (reason_text or "").strip()
    if reason == RevisionReason.OTHER and not reason_text:
        errors.add("reason_text", _("Say why the target changes."))
    errors.raise_if_any(_("Give the reason for the revision."))
    return reason, reason_text


@transaction.atomic
def target_revise(
    *,
    actor: User,
    seat: Seat,
    indicator: Indicator,
    value: Any,
    target_date: Any = None,
    reason: str,
    reason_text: str = "",
    version: int | None,
) -> TargetRevision:
    """Change the end target, keeping the old one, the reason, who and when."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, indicator.partnership_id)
    errors = Errors()
    new_value = decimal(value, "target_value", errors, required=True, label=_("the new target"))
    new_date = date(target_date, "target_date", errors) or indicator.target_date
    errors.raise_if_any()
    reason, reason_text = _clean_reason(reason, reason_text)
    if not indicator.is_numeric:
        raise field_error(
            "target_value", _("Qualitative and nominal indicators have no numeric values.")
        )
    if indicator.is_percentage and new_value is not None and not (0 <= new_value <= 100):
        raise field_error("target_value", _("A percentage lies between 0 and 100."))
    if indicator.baseline_date and new_date and new_date <= indicator.baseline_date:
        raise field_error("target_date", _("The target date comes after the baseline date."))
    if new_value == indicator.target_value and new_date == indicator.target_date:
        raise field_error("target_value", _("That is the current target."))
    revision = TargetRevision.objects.create(
        partnership_id=indicator.partnership_id,
        indicator=indicator,
        period_start=None,
        old_value=indicator.target_value,
        new_value=new_value,
        old_date=indicator.target_date,
        new_date=new_date,
        reason=reason,
        reason_text=reason_text,
        revised_by=actor,
    )
    changes = diff(
        {"target_value": indicator.target_value, "target_date": indicator.target_date},
        {"target_value": new_value, "target_date": new_date},
    )
    bump_version(indicator, version, target_value=new_value, target_date=new_date)
    record_event(
        actor=actor,
        action="target.revise",
        obj=indicator,
        partnership_id=indicator.partnership_id,
        changes={**changes, "reason": [None, reason], "reason_text": [None, reason_text]},
    )
    refresh_indicator(indicator)
    return revision


@transaction.atomic
def period_target_set(
    *,
    actor: User,
    seat: Seat,
    indicator: Indicator,
    period_label: str,
    value: Any,
    reason: str = "",
    reason_text: str = "",
) -> PeriodTarget:
    """Set a period's target; changing one already set needs a reason and is kept as a
    revision."""
    require(seat, ResultsPerm.EDIT_FRAMEWORK, indicator.partnership_id)
    errors = Errors()
    try:
        period = periods.parse_period(period_label, periods.Frequency(indicator.frequency))
    except periods.PeriodError as error:
        raise field_error("period", str(error)) from None
    number = decimal(value, "value", errors, required=True, label=_("the target value"))
    errors.raise_if_any()
    assert number is not None
    if indicator.is_percentage and not (0 <= number <= 100):
        raise field_error("value", _("A percentage lies between 0 and 100."))
    existing = PeriodTarget.objects.filter(indicator=indicator, period_start=period.start).first()
    if existing is None:
        target = PeriodTarget.objects.create(
            partnership_id=indicator.partnership_id,
            indicator=indicator,
            period_start=period.start,
            period_end=period.end,
            value=number,
        )
        record_event(
            actor=actor,
            action="period_target.set",
            obj=indicator,
            partnership_id=indicator.partnership_id,
            changes={period.label: [None, number]},
        )
        return target
    if existing.value == number:
        return existing
    reason, reason_text = _clean_reason(reason, reason_text)
    TargetRevision.objects.create(
        partnership_id=indicator.partnership_id,
        indicator=indicator,
        period_start=period.start,
        old_value=existing.value,
        new_value=number,
        reason=reason,
        reason_text=reason_text,
        revised_by=actor,
    )
    record_event(
        actor=actor,
        action="target.revise",
        obj=indicator,
        partnership_id=indicator.partnership_id,
        changes={
            period.label: [existing.value, number],
            "reason": [None, reason],
            "reason_text": [None, reason_text],
        },
    )
    bump_version(existing, None, value=number)
    return existing
