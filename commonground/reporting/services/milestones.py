"""Writes for milestones, and the achievements the partnership celebrates.

An achievement is recorded automatically, exactly once, when a milestone is marked done
(key "milestone:<id>") or when an indicator reaches its target (key
"target:<indicator id>:<target value>": a revised target reached again is a new achievement).
The unique key makes a second attempt (a retried request, the daily progress refresh, two
approvals at once) a no-op. Achievements are derived rows, like progress summaries: the change
that caused one (the milestone marked done, the result approved) is what the audit ledger
records.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.core.audit import diff, record_event
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict
from commonground.core.validation import Errors, date, text
from commonground.partnerships.access import can
from commonground.partnerships.models import Seat
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import Achievement, AchievementKind, Milestone
from commonground.results.models import Indicator, IndicatorProgress

MAX_DESCRIPTION = 5_000
EDITABLE = ("title", "description", "due_date")


def _require(seat: Seat, partnership_id: int) -> None:
    if seat.partnership_id != partnership_id or not can(seat, ReportingPerm.MANAGE_REPORTING):
        raise PermissionDenied(_("Your role cannot manage milestones."))


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    errors = Errors()
    clean = {
        "title": " ".join(
            text(data, "title", errors, required=True, max_length=200, label=_("a title")).split()
        ),
        "description": text(data, "description", errors, max_length=MAX_DESCRIPTION),
        "due_date": date(data.get("due_date"), "due_date", errors),
    }
    errors.raise_if_any(_("Some details of the milestone need correcting."))
    return clean


@transaction.atomic
def milestone_create(*, actor: User, seat: Seat, data: dict[str, Any]) -> Milestone:
    """A milestone of the seat's partnership (coordinators and editors)."""
    _require(seat, seat.partnership_id)
    milestone = Milestone.objects.create(partnership_id=seat.partnership_id, **_clean(data))
    record_event(
        actor=actor,
        action="milestone.create",
        obj=milestone,
        partnership_id=milestone.partnership_id,
        changes=diff({}, {field: getattr(milestone, field) for field in EDITABLE}),
    )
    return milestone


@transaction.atomic
def milestone_edit(
    *,
    actor: User,
    seat: Seat,
    milestone: Milestone,
    data: dict[str, Any],
    expected_version: int | None,
) -> Milestone:
    """Change a milestone's title, description or due date, refusing a stale version."""
    _require(seat, milestone.partnership_id)
    clean = _clean(data)
    before = {field: getattr(milestone, field) for field in EDITABLE}
    bump_version(milestone, expected_version, **clean)
    record_event(
        actor=actor,
        action="milestone.edit",
        obj=milestone,
        partnership_id=milestone.partnership_id,
        changes=diff(before, clean),
    )
    return milestone


@transaction.atomic
def milestone_mark_done(
    *, actor: User, seat: Seat, milestone: Milestone, expected_version: int | None
) -> Milestone:
    """Mark a milestone reached; the feed celebrates it (an achievement, once)."""
    _require(seat, milestone.partnership_id)
    if milestone.done_at is not None:
        raise Conflict(
            _("This milestone was already marked done on %(day)s.")
            % {"day": date_format(timezone.localtime(milestone.done_at), "DATE_FORMAT")},
            code="already_done",
        )
    now = timezone.now()
    bump_version(milestone, expected_version, done_at=now, done_by=actor)
    record_event(
        actor=actor,
        action="milestone.done",
        obj=milestone,
        partnership_id=milestone.partnership_id,
        changes={"done_at": [None, now]},
    )
    detail = milestone.description
    if milestone.due_date is not None:
        detail = _due_note(milestone.due_date, now.date()) + (f"\n\n{detail}" if detail else "")
    _achievement(
        key=f"milestone:{milestone.pk}",
        partnership_id=milestone.partnership_id,
        kind=AchievementKind.MILESTONE_DONE,
        # i18n: stored English; Achievement.shown_title says it in the reader's language
        title=f"Milestone reached: {milestone.title}",
        detail=detail,
        milestone=milestone,
        occurred_at=now,
    )
    return milestone


def _due_note(due: dt.date, done: dt.date) -> str:
    if done <= due:
        return f"Reached on {done:%Y-%m-%d}, due {due:%Y-%m-%d}."
    return f"Reached on {done:%Y-%m-%d}, {(done - due).days} days after its due date."


def _achievement(*, key: str, **fields: Any) -> Achievement | None:
    """Create the achievement `key` unless it exists; None when it did."""
    if Achievement.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            return Achievement.objects.create(key=key, **fields)
    except IntegrityError:  # recorded at the same moment by another transaction
        return None


def _number(value: Decimal) -> str:
    text_value = format(value.normalize(), "f")
    return "0" if text_value == "-0" else text_value


def record_target_reached(indicator: Indicator, summary: IndicatorProgress) -> Achievement | None:
    """Celebrate an indicator whose progress summary says its target is achieved, once per
    target value. The reaction to the `results.target_reached` fact (core.facts),
    stated by results.services.summaries.refresh_indicator; harmless to call again."""
    if summary.status != "achieved" or indicator.target_value is None:
        return None
    target = _number(indicator.target_value)
    unit = f" {indicator.unit}" if indicator.unit else ""
    value = "" if summary.value_to_date is None else _number(summary.value_to_date)
    detail = f"{indicator.title} reached its target of {target}{unit}"
    if value:
        detail += f" with {value}{unit} to date"
    if indicator.target_date is not None:
        detail += f" (target date {indicator.target_date:%Y-%m-%d})"
    return _achievement(
        key=f"target:{indicator.pk}:{target}",
        partnership_id=indicator.partnership_id,
        kind=AchievementKind.TARGET_REACHED,
        # i18n: stored English; Achievement.shown_title says it in the reader's language
        title=f"Target reached: {indicator.title}"[:300],
        detail=detail + ".",
        indicator=indicator,
        occurred_at=timezone.now(),
    )
