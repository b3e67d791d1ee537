"""Small helpers that build a results framework in the `world` fixture through the real services.

Partnership A runs from 2025-01-01 to 2027-12-31. `make_indicator` gives a complete quarterly
count (baseline 0 on 2025-01-01, target 100 by 2027-12-31, reported by the NGO); pass fields to
change any of it. `report` saves a result and moves it as far as asked: draft, submitted or
approved (the reporter submits, the coordinator approves, so nobody approves their own work).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from commonground.accounts.models import User
from commonground.core.models import AuditEvent
from commonground.partnerships.access import seat_of
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.results.models import Dimension, Indicator, Objective, Result, ResultStatus
from commonground.results.services import entry, framework
from conftest import World

COMPLETE_INDICATOR: dict[str, Any] = {
    "title": "People housed",
    "unit": "people",
    "measure": "1",
    "direction": "increase",
    "aggregation": "sum",
    "frequency": "quarterly",
    "baseline_value": 0,
    "baseline_date": "2025-01-01",
    "target_value": 100,
    "target_date": "2027-12-31",
}


def make_objective(
    world: World,
    *,
    level: str = "outcome",
    title: str = "People housed",
    parent: Objective | None = None,
    partnership: Partnership | None = None,
    actor: User | None = None,
    **data: Any,
) -> Objective:
    """An objective in A (or `partnership`), created by A's coordinator unless `actor` says."""
    actor = actor or world.coordinator
    return framework.objective_create(
        actor=actor,
        seat=seat_of(actor, (partnership or world.a).pk),
        data={
            "level": level,
            "title": title,
            "parent_id": parent.pk if parent else None,
            **data,
        },
    )


def make_indicator(
    world: World,
    objective: Objective | None = None,
    *,
    actor: User | None = None,
    responsible: Partner | None = None,
    **data: Any,
) -> Indicator:
    """A complete quarterly count under `objective` (a new outcome in A if none is given)."""
    objective = objective or make_objective(world)
    fields = {**COMPLETE_INDICATOR, **data}
    if "responsible_partner_id" not in data and objective.partnership_id == world.a.pk:
        fields["responsible_partner_id"] = (responsible or world.ngo_a).pk
    actor = actor or world.coordinator
    return framework.indicator_create(
        actor=actor,
        seat=seat_of(actor, objective.partnership_id),
        objective=objective,
        data=fields,
    )


def make_dimension(
    world: World, name: str = "sex", values: tuple[str, ...] = ("female", "male")
) -> Dimension:
    return framework.dimension_create(
        actor=world.coordinator,
        seat=seat(world, world.coordinator),
        data={"name": name, "values": list(values)},
    )


def seat(world: World, user: User) -> Seat:
    return Seat.objects.get(partnership=world.a, user=user)


def report(
    world: World,
    indicator: Indicator,
    period: str,
    value: Any = None,
    *,
    status: str = ResultStatus.APPROVED,
    reporter: User | None = None,
    reviewer: User | None = None,
    partner: Partner | None = None,
    **reported: Any,
) -> Result:
    """Save a result for `period` and take it to `status` (draft, submitted or approved).

    The reporter (of the NGO) reports by default and the coordinator reviews; when the
    coordinator reports, the editor reviews.
    """
    reporter = reporter or world.reporter
    reviewer = reviewer or (world.editor if reporter == world.coordinator else world.coordinator)
    result = entry.result_save(
        actor=reporter,
        seat=seat(world, reporter),
        indicator=indicator,
        period=period,
        partner=partner,
        reported=entry.ReportedValue(value=value, **reported),
    )
    if status in (ResultStatus.SUBMITTED, ResultStatus.APPROVED, ResultStatus.RETURNED):
        result = entry.result_submit(
            actor=reporter, seat=seat_of(reporter, result.partnership_id), result=result
        )
    if status == ResultStatus.APPROVED:
        result = entry.result_approve(
            actor=reviewer, seat=seat_of(reviewer, result.partnership_id), result=result
        )
    if status == ResultStatus.RETURNED:
        result = entry.result_return(
            actor=reviewer,
            seat=seat_of(reviewer, result.partnership_id),
            result=result,
            comment="Check it.",
        )
    return result


@contextmanager
def records(*actions: str) -> Iterator[list[AuditEvent]]:
    """Assert that the block writes exactly these audit events, in this order (none: nothing).

    The list it yields is filled with the new events when the block ends.
    """
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    events: list[AuditEvent] = []
    yield events
    events.extend(AuditEvent.objects.filter(pk__gt=last).order_by("pk"))
    assert [event.action for event in events] == list(actions)
