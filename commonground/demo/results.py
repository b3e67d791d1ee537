"""`seed_results`: the Riverside results frameworks (demo/results_data.py) and their results,
written through the services as the scenario's people, then the evaluation sessions
(demo/evaluations.py).

Values follow each indicator's straight line from baseline to target at its plan's pace, with
noise from a generator seeded per indicator and period: a period's value depends only on the
calendar, so seeding a month later adds that month and keeps every earlier value. Which periods
are still in draft, awaiting review, returned or overdue is counted back from `today`, so the demo
always has recent work to review and a few gaps to chase.
"""

import datetime as dt
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from commonground.accounts.models import User
from commonground.demo.evaluations import seed_evaluations
from commonground.demo.partnerships import ORGANISATIONS
from commonground.demo.results_data import (
    FRAMEWORKS,
    CommentDemo,
    FrameworkDemo,
    IndicatorDemo,
    Plan,
)
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.results import periods
from commonground.results.models import Indicator, Objective, Result
from commonground.results.services.entry import (
    ReportedValue,
    breakdown_key,
    result_approve,
    result_comment,
    result_reopen,
    result_return,
    result_save,
    result_submit,
)
from commonground.results.services.framework import (
    dimension_create,
    indicator_create,
    objective_create,
    period_target_set,
    target_revise,
)
from commonground.results.services.summaries import refresh_indicator, refresh_partnership

SEED = 20261123
# Draft, submitted, returned and missing results belong to running partnerships: one that
# ended longer ago than this has every result approved, so it looks finished.
FINISHED_AFTER_DAYS = 200


# Planning: what each partner reports, as plain data (no database).


@dataclass(frozen=True)
class PlannedResult:
    indicator: str
    number: int  # the period's number from 0
    period: periods.Period
    reporter: str
    org: str
    value: Decimal | None
    breakdown: dict[str, Decimal]
    text_value: str
    state: str  # the final state: draft, submitted, returned or approved
    history: str = ""  # "corrected" or "reopened"
    first_value: Decimal | None = None  # what was reported before the correction
    first_breakdown: dict[str, Decimal] = field(default_factory=dict)


def _rng(*parts: object) -> random.Random:
    # One generator per indicator and period, so no value depends on how many periods ended.
    return random.Random(":".join(str(part) for part in (SEED, *parts)))


def _round(value: float, places: int) -> Decimal:
    return Decimal(str(round(value, places)))


def _allocate(total: Decimal, weights: Sequence[float], places: int) -> list[Decimal]:
    """Split `total` by `weights` into parts of `places` decimals that add up exactly."""
    unit = Decimal(1).scaleb(-places)
    units = int(total / unit)
    whole = sum(weights)
    raw = [units * w / whole for w in weights]
    parts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda k: raw[k] - parts[k], reverse=True)
    for k in by_remainder[: units - sum(parts)]:
        parts[k] += 1
    return [Decimal(part) * unit for part in parts]


def _breakdown(
    indicator: IndicatorDemo, total: Decimal | None, rng: random.Random
) -> dict[str, Decimal]:
    if not indicator.split or total is None:
        return {}
    names = sorted(indicator.split)
    combos = list(itertools.product(*(indicator.split[name].items() for name in names)))
    keys = [
        breakdown_key({name: value for name, (value, _) in zip(names, combo, strict=True)})
        for combo in combos
    ]
    weights = []
    for combo in combos:
        weight = 1.0
        for _, share in combo:
            weight *= share
        weights.append(weight * rng.uniform(0.8, 1.2))
    return dict(zip(keys, _allocate(total, weights, indicator.places), strict=True))


def _month_weights(
    indicator: IndicatorDemo, start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, float]]:
    """(first day, last day, weight per day) of each month between start and end."""
    months = []
    for period in periods.periods_between(periods.Frequency.MONTHLY, start, end):
        weight = indicator.plan.season[period.start.month - 1] if indicator.plan.season else 1.0
        months.append((max(period.start, start), min(period.end, end), weight))
    return months


def _share(months: list[tuple[dt.date, dt.date, float]], first: dt.date, last: dt.date) -> float:
    """The part of the whole span's (weighted) days that falls between first and last."""
    total = part = 0.0
    for month_start, month_end, weight in months:
        days = (month_end - month_start).days + 1
        total += days * weight
        overlap = (min(month_end, last) - max(month_start, first)).days + 1
        if overlap > 0:
            part += overlap * weight
    return part / total if total else 0.0


def _period_targets(
    indicator: IndicatorDemo, start: dt.date, target_date: dt.date
) -> list[tuple[periods.Period, Decimal]]:
    every = periods.periods_between(periods.Frequency(indicator.frequency), start, target_date)
    if indicator.period_targets:
        return list(zip(every, (Decimal(v) for v in indicator.period_targets), strict=False))
    if not indicator.even_period_targets or indicator.target is None:
        return []
    span = float(Decimal(indicator.target) - Decimal(indicator.baseline or 0))
    months = _month_weights(indicator, start, target_date)
    targets, cumulative, reached = [], 0.0, Decimal(0)
    for period in every:
        cumulative += span * _share(months, period.start, period.end)
        value = _round(cumulative, indicator.places) - reached
        reached += value
        targets.append((period, value))
    return targets


def _values(
    indicator: IndicatorDemo,
    start: dt.date,
    target_date: dt.date,
    ended: list[periods.Period],
) -> list[Decimal | None]:
    """The indicator's total for each ended period, partners combined."""
    if indicator.target is None:
        return [None] * len(ended)
    plan = indicator.plan
    baseline = float(indicator.baseline or 0)
    span = float(indicator.target) - baseline
    months = _month_weights(indicator, start, target_date)
    profile = {p.start: float(v) for p, v in _period_targets(indicator, start, target_date)}
    values: list[Decimal | None] = []
    cumulative, reported = 0.0, Decimal(0)
    for period in ended:
        rng = _rng(indicator.key, period.label)
        wobble = rng.uniform(-1, 1) * plan.noise
        if indicator.aggregation == "sum":
            planned = profile.get(period.start)
            step = (
                planned if planned is not None else span * _share(months, period.start, period.end)
            )
            cumulative += max(step * plan.pace * (1 + wobble), 0.0)
            value = _round(cumulative, indicator.places) - reported
            reported += value
        elif indicator.direction == "maintain":
            value = _round(float(indicator.target) * (1 + wobble), indicator.places)
        else:
            reached = min(_share(months, start, period.end) * plan.pace, 1.15)
            value = _round(baseline + span * reached + abs(span) * wobble, indicator.places)
        if indicator.measure == "2":
            value = min(max(value, Decimal(0)), Decimal(100))
        values.append(max(value, Decimal(0)))
    return values


def _overcounted(indicator: IndicatorDemo, value: Decimal) -> Decimal:
    """What a report said before it was returned: about a tenth too much."""
    step = Decimal(1).scaleb(-indicator.places)
    first = value + max(_round(float(value) * 0.1, indicator.places), step)
    return min(first, Decimal(100)) if indicator.measure == "2" else first


def _state(plan: Plan, number: int, count: int, running: bool) -> str:
    back = count - 1 - number
    if number < plan.skip_first:
        return "missing"
    if running and back < len(plan.recent):
        return plan.recent[back]
    return "approved"


def plan_results(
    framework: FrameworkDemo, *, start: dt.date, end: dt.date | None, today: dt.date
) -> list[PlannedResult]:
    """Every result the demo reports for a framework, in the order they are reported."""
    planned = []
    running = end is None or (today - end).days <= FINISHED_AFTER_DAYS
    for indicator in framework.indicators:
        target_date = indicator.target_date or end
        assert target_date is not None, indicator.key
        frequency = periods.Frequency(indicator.frequency)
        ended = [
            p for p in periods.periods_between(frequency, start, end or today) if p.end < today
        ]
        totals = _values(indicator, start, target_date, ended)
        shares = indicator.shares or (1.0,) * len(indicator.reporters)
        for number, (period, total) in enumerate(zip(ended, totals, strict=True)):
            state = _state(indicator.plan, number, len(ended), running)
            if state == "missing":
                continue
            history = ""
            if state == "approved" and number in indicator.plan.corrected:
                history = "corrected"
            elif state == "approved" and number in indicator.plan.reopened:
                history = "reopened"
            parts: Sequence[Decimal | None] = (
                [None] * len(shares)
                if total is None
                else _allocate(total, shares, indicator.places)
            )
            for (email, org), value in zip(indicator.reporters, parts, strict=True):
                rng = _rng(indicator.key, period.label, org)
                first = None
                if value is not None and (history or state == "returned"):
                    first = _overcounted(indicator, value)
                text = indicator.texts[number % len(indicator.texts)] if indicator.texts else ""
                planned.append(
                    PlannedResult(
                        indicator=indicator.key,
                        number=number,
                        period=period,
                        reporter=email,
                        org=org,
                        value=value,
                        breakdown=_breakdown(indicator, value, rng),
                        text_value=text,
                        state=state,
                        history=history,
                        first_value=first,
                        first_breakdown=_breakdown(indicator, first, rng),
                    )
                )
    positions = {indicator.key: n for n, indicator in enumerate(framework.indicators)}
    return sorted(planned, key=lambda r: (r.period.end, positions[r.indicator], r.org))


# Writing: through the services, as the people of the scenario.


@dataclass
class _Scene:
    partnership: Partnership
    framework: FrameworkDemo
    people: dict[str, User]
    seats: dict[str, Seat]  # by e-mail
    partners: dict[str, Partner]  # by organisation key
    indicators: dict[str, Indicator] = field(default_factory=dict)

    def reviewer(self, submitter: str) -> User:
        """The first reviewer who did not submit the result: nobody approves their own."""
        email = next(e for e in self.framework.reviewers if e != submitter)
        return self.people[email]


def _scene(framework: FrameworkDemo, partnership: Partnership) -> _Scene:
    org_keys = {spec.name: spec.key for spec in ORGANISATIONS}
    seats = {
        seat.user.email: seat
        for seat in Seat.objects.filter(partnership=partnership).select_related("user", "partner")
    }
    partners = {
        org_keys[partner.organisation.name]: partner
        for partner in Partner.objects.filter(partnership=partnership).select_related(
            "organisation"
        )
    }
    return _Scene(
        partnership=partnership,
        framework=framework,
        people={email: seat.user for email, seat in seats.items()},
        seats=seats,
        partners=partners,
    )


def _build(scene: _Scene) -> None:
    """The coordinator defines the dimensions, objectives, indicators and targets."""
    framework, partnership = scene.framework, scene.partnership
    builder = scene.people[framework.partnership.coordinator]
    dimensions = {
        spec.name: dimension_create(
            actor=builder,
            seat=scene.seats[framework.partnership.coordinator],
            data={"name": spec.name, "values": list(spec.values)},
        )
        for spec in framework.dimensions
    }
    objectives: dict[str, Objective] = {}
    for node in framework.objectives:
        objectives[node.key] = objective_create(
            actor=builder,
            seat=scene.seats[framework.partnership.coordinator],
            data={
                "level": node.level,
                "title": node.title,
                "description": node.description,
                "parent_id": objectives[node.parent].pk if node.parent else None,
                "sdg_targets": list(node.sdg_targets),
                "responsible_partner_ids": [scene.partners[org].pk for org in node.partners],
            },
        )
    for spec in framework.indicators:
        target_date = spec.target_date or partnership.end_date
        assert target_date is not None, spec.key
        indicator = indicator_create(
            actor=builder,
            seat=scene.seats[framework.partnership.coordinator],
            objective=objectives[spec.objective],
            data={
                "title": spec.title,
                "definition": spec.definition,
                "unit": spec.unit,
                "measure": spec.measure,
                "direction": spec.direction,
                "aggregation": spec.aggregation,
                "frequency": spec.frequency,
                "baseline_value": spec.baseline,
                "baseline_date": partnership.start_date,
                "target_value": spec.first_target or spec.target,
                "target_date": target_date,
                "means_of_verification": spec.verification,
                "responsible_partner_id": scene.partners[spec.reporters[0][1]].pk,
                "sdg_indicator": spec.sdg,
                "dimension_ids": [dimensions[name].pk for name in spec.split],
            },
        )
        if spec.first_target:
            reason, text = spec.revision
            target_revise(
                actor=builder,
                seat=scene.seats[framework.partnership.coordinator],
                indicator=indicator,
                value=spec.target,
                reason=reason,
                reason_text=text,
                version=indicator.version,
            )
        targets = _period_targets(spec, partnership.start_date, target_date)
        for period, value in targets:
            period_target_set(
                actor=builder,
                seat=scene.seats[framework.partnership.coordinator],
                indicator=indicator,
                period_label=period.label,
                value=value,
            )
        if spec.period_revision:
            number, revised, reason, text = spec.period_revision
            period_target_set(
                actor=builder,
                seat=scene.seats[framework.partnership.coordinator],
                indicator=indicator,
                period_label=targets[number][0].label,
                value=revised,
                reason=reason,
                reason_text=text,
            )
        scene.indicators[spec.key] = indicator
    # Reporting reads each indicator's partnership and dimensions; load them once.
    loaded = Indicator.objects.select_related("partnership").prefetch_related("dimensions")
    by_pk = {i.pk: i for i in loaded.filter(partnership=partnership)}
    scene.indicators = {key: by_pk[i.pk] for key, i in scene.indicators.items()}


def _reported(spec: IndicatorDemo, planned: PlannedResult, *, correction: bool) -> ReportedValue:
    """The first report (over-counted when it is to be returned), or its correction."""
    first = planned.first_value is not None and not correction
    return ReportedValue(
        value=planned.first_value if first else planned.value,
        text_value=planned.text_value,
        breakdown=dict(planned.first_breakdown if first else planned.breakdown),
        note=spec.correction_note if correction else spec.notes.get(planned.number, ""),
        evidence_url=spec.evidence.format(period=planned.period.label) if spec.evidence else "",
    )


def _report(scene: _Scene, spec: IndicatorDemo, planned: PlannedResult) -> None:
    """One partner's result for one period, from draft to its planned state."""
    reporter = scene.people[planned.reporter]
    reviewer = scene.reviewer(planned.reporter)

    def save(correction: bool) -> Result:
        return result_save(
            actor=reporter,
            seat=scene.seats[planned.reporter],
            indicator=scene.indicators[spec.key],
            period=planned.period,
            reported=_reported(spec, planned, correction=correction),
            partner=scene.partners[planned.org],
        )

    result = save(correction=False)
    if planned.state == "draft":
        return
    reporter_seat, reviewer_seat = scene.seats[planned.reporter], scene.seats[reviewer.email]
    result = result_submit(actor=reporter, seat=reporter_seat, result=result)
    if planned.state == "returned" or planned.history == "corrected":
        result = result_return(
            actor=reviewer, seat=reviewer_seat, result=result, comment=spec.return_comment
        )
        if planned.state == "returned":
            return
        result = result_submit(actor=reporter, seat=reporter_seat, result=save(correction=True))
    if planned.state == "submitted":
        return
    result = result_approve(actor=reviewer, seat=reviewer_seat, result=result)
    if planned.history == "reopened":
        result_reopen(actor=reviewer, seat=reviewer_seat, result=result, reason=spec.reopen_reason)
        result = result_submit(actor=reporter, seat=reporter_seat, result=save(correction=True))
        result_approve(actor=reviewer, seat=reviewer_seat, result=result)


def _comment(scene: _Scene, comment: CommentDemo) -> bool:
    indicator = scene.indicators[comment.indicator]
    first = periods.period_containing(indicator.frequency, scene.partnership.start_date)
    period = periods.shift(first, comment.period)
    result = Result.objects.filter(indicator=indicator, period_start=period.start).first()
    if result is None:
        return False
    result_comment(
        actor=scene.people[comment.author],
        seat=scene.seats[comment.author],
        result=result,
        body=comment.body,
    )
    return True


def seed_results(*, today: dt.date) -> dict[str, int]:
    """Add the results frameworks and their results to the Riverside partnerships, as of
    `today`, and the evaluation sessions held by then; {} when all are already there (or the
    partnerships are missing). "evaluations" counts the sessions added, if any."""
    counts = _seed_frameworks(today=today)
    evaluations = seed_evaluations(today=today)
    if evaluations:
        counts["evaluations"] = evaluations
    return counts


def _seed_frameworks(*, today: dt.date) -> dict[str, int]:
    titles = [framework.partnership.title for framework in FRAMEWORKS]
    found = {p.title: p for p in Partnership.objects.filter(title__in=titles)}
    if not found or Objective.objects.filter(partnership__in=found.values()).exists():
        return {}
    counts: dict[str, int] = {"partnerships": 0, "results": 0, "comments": 0}
    with transaction.atomic():
        scenes = []
        for framework in FRAMEWORKS:
            partnership = found.get(framework.partnership.title)
            if partnership is None:
                continue
            scene = _scene(framework, partnership)
            _build(scene)
            specs = {spec.key: spec for spec in framework.indicators}
            plan = plan_results(
                framework, start=partnership.start_date, end=partnership.end_date, today=today
            )
            for planned in plan:
                _report(scene, specs[planned.indicator], planned)
            counts["comments"] += sum(_comment(scene, c) for c in framework.comments)
            counts["partnerships"] += 1
            counts["results"] += len(plan)
            scenes.append(scene)
        # Approvals refreshed the summaries as of the clock; settle them as of `today`.
        for scene in scenes:
            for indicator in scene.indicators.values():
                refresh_indicator(indicator, today=today, partnership_too=False)
            refresh_partnership(scene.partnership.pk)
    counts["objectives"] = Objective.objects.filter(partnership__in=found.values()).count()
    counts["indicators"] = Indicator.objects.filter(partnership__in=found.values()).count()
    return counts


__all__ = ["FRAMEWORKS", "plan_results", "seed_results"]
