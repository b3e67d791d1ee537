"""Writes for reporting schedules: create, change, and the periods and reports they generate."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.concurrency import bump_version
from commonground.core.errors import Conflict
from commonground.core.validation import Errors, choice, text
from commonground.partnerships.access import can
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import (
    Frequency,
    PartnerReport,
    ReportingPeriod,
    ReportingSchedule,
    ReportStatus,
    SchedulePartner,
)
from commonground.reporting.periods import reporting_slots

MAX_DUE_DAYS = 180
MAX_OFFSET = 90


def _require(seat: Seat, partnership: Partnership) -> None:
    if seat.partnership_id != partnership.pk or not can(seat, ReportingPerm.MANAGE_REPORTING):
        raise PermissionDenied(_("Your role cannot manage reporting schedules."))


def _clean(partnership: Partnership, data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    title = text(data, "title", errors, required=True, max_length=200, label=_("a title"))
    frequency = choice(data.get("frequency"), "frequency", errors, Frequency)
    due_days: int | None = None
    raw = data.get("due_days")
    try:
        due_days = int(str(raw).strip())
        if not 0 <= due_days <= MAX_DUE_DAYS:
            errors.add(
                "due_days", _("Give a number of days from 0 to %(max)s.") % {"max": MAX_DUE_DAYS}
            )
    except (TypeError, ValueError):
        errors.add("due_days", _("Give the number of days after the period ends, e.g. 30."))
    offsets = _offsets(data.get("reminder_offsets"), errors)
    partners = _partners(partnership, data.get("partner_ids"), errors)
    return {
        "title": title,
        "frequency": frequency,
        "due_days": due_days,
        "reminder_offsets": offsets,
        "partners": partners,
    }


def _offsets(raw: Any, errors: Errors) -> list[int]:
    """ "-7, 0, 3" or [-7, 0, 3]: days relative to the due date."""
    if raw in (None, ""):
        return []
    items = raw.replace(";", ",").split(",") if isinstance(raw, str) else list(raw)
    offsets = set()
    for item in items:
        if str(item).strip() == "":
            continue
        try:
            offset = int(str(item).strip())
        except ValueError:
            errors.add(
                "reminder_offsets",
                _("“%(item)s” is not a whole number of days: write e.g. -7, 0, 3.")
                % {"item": item},
            )
            continue
        if abs(offset) > MAX_OFFSET:
            errors.add(
                "reminder_offsets",
                _("Keep reminders within %(max)s days of the due date.") % {"max": MAX_OFFSET},
            )
            continue
        offsets.add(offset)
    return sorted(offsets)


def _partners(partnership: Partnership, raw: Any, errors: Errors) -> list[Partner]:
    ids = set()
    for item in raw or []:
        try:
            ids.add(int(item))
        except (TypeError, ValueError):
            errors.add("partner_ids", _("Choose partners of this partnership."))
    partners = list(Partner.objects.filter(partnership=partnership, pk__in=ids))
    if len(partners) != len(ids):
        errors.add("partner_ids", _("Choose partners of this partnership."))
    elif not partners:
        errors.add("partner_ids", _("Choose at least one partner who reports."))
    return partners


def generate(schedule: ReportingSchedule, *, today: dt.date | None = None) -> int:
    """Create the schedule's missing periods, and a report for each reporting partner in each
    period that has none; move due dates of periods not yet accepted everywhere. Idempotent.
    Returns how many reports were created."""
    today = today or timezone.localdate()
    partnership = schedule.partnership
    slots = reporting_slots(
        schedule.frequency,
        partnership.start_date,
        partnership.end_date,
        schedule.due_days,
        today=today,
    )
    existing = {p.key: p for p in schedule.periods.all()}
    wanted = {slot.key for slot in slots}
    for slot in slots:
        period = existing.get(slot.key)
        if period is None:
            existing[slot.key] = ReportingPeriod.objects.create(
                partnership=partnership,
                schedule=schedule,
                key=slot.key,
                start=slot.start,
                end=slot.end,
                due_date=slot.due_date,
            )
        elif (period.start, period.end, period.due_date) != (slot.start, slot.end, slot.due_date):
            period.start, period.end, period.due_date = slot.start, slot.end, slot.due_date
            period.save(update_fields=["start", "end", "due_date"])
    # Periods the partnership's dates no longer cover go, unless somebody reported in them.
    for key, period in list(existing.items()):
        if (
            key not in wanted
            and not period.reports.exclude(
                status=ReportStatus.DRAFT, **{f: "" for f in _NARRATIVE}
            ).exists()
        ):
            period.reports.all().delete()
            period.delete()
            del existing[key]
    partner_ids = list(schedule.reporters.values_list("partner_id", flat=True))
    have = set(
        PartnerReport.objects.filter(period__schedule=schedule).values_list(
            "period_id", "partner_id"
        )
    )
    # Reports start with the first period due on or after the day the schedule was set up (a
    # schedule made mid-partnership does not open with a pile of overdue reports); a partner
    # added later starts with the first period not yet past due.
    since = timezone.localdate(schedule.created_at)
    started = {partner_id for _, partner_id in have}
    new = [
        PartnerReport(partnership=partnership, period=period, partner_id=partner_id)
        for period in existing.values()
        for partner_id in partner_ids
        if (period.pk, partner_id) not in have
        and period.due_date >= since
        and (partner_id in started or period.due_date >= today)
    ]
    PartnerReport.objects.bulk_create(new)
    return len(new)


_NARRATIVE = ("achievements", "challenges", "lessons", "next_steps", "support_needed")


@transaction.atomic
def schedule_create(
    *, actor: User, seat: Seat, partnership: Partnership, data: dict[str, Any]
) -> ReportingSchedule:
    """A reporting schedule with its periods and the partners' reports."""
    _require(seat, partnership)
    errors = Errors()
    clean = _clean(partnership, data, errors)
    errors.raise_if_any(_("Some schedule details need correcting."))
    schedule = ReportingSchedule.objects.create(
        partnership=partnership,
        title=clean["title"],
        frequency=clean["frequency"],
        due_days=clean["due_days"],
        reminder_offsets=clean["reminder_offsets"],
        created_by=actor,
    )
    SchedulePartner.objects.bulk_create(
        SchedulePartner(partnership=partnership, schedule=schedule, partner=partner)
        for partner in clean["partners"]
    )
    reports = generate(schedule)
    record_event(
        actor=actor,
        action="schedule.create",
        obj=schedule,
        partnership_id=partnership.pk,
        changes={
            "title": [None, schedule.title],
            "frequency": [None, schedule.frequency],
            "due_days": [None, schedule.due_days],
            "reminder_offsets": [None, schedule.reminder_offsets],
            "partners": [None, sorted(p.organisation.name for p in clean["partners"])],
            "reports": [None, reports],
        },
    )
    return schedule


@transaction.atomic
def schedule_update(
    *,
    actor: User,
    seat: Seat,
    schedule: ReportingSchedule,
    data: dict[str, Any],
    expected_version: int,
) -> ReportingSchedule:
    """Change a schedule. The frequency is fixed once any report was submitted (its periods
    would no longer match what was reported); partners taken off keep what they submitted."""
    partnership = schedule.partnership
    _require(seat, partnership)
    errors = Errors()
    clean = _clean(partnership, data, errors)
    errors.raise_if_any(_("Some schedule details need correcting."))
    submitted = PartnerReport.objects.filter(period__schedule=schedule).exclude(
        status=ReportStatus.DRAFT
    )
    if clean["frequency"] != schedule.frequency and submitted.exists():
        raise Conflict(
            _(
                "Reports were already submitted on this schedule, so its frequency stays: "
                "make a new schedule instead."
            ),
            code="frequency_fixed",
            fields={"frequency": [_("Fixed once reports were submitted.")]},
        )
    before = {
        "title": schedule.title,
        "frequency": schedule.frequency,
        "due_days": schedule.due_days,
        "reminder_offsets": schedule.reminder_offsets,
        "partners": sorted(
            schedule.reporters.values_list("partner__organisation__name", flat=True)
        ),
    }
    bump_version(schedule, expected_version)
    if clean["frequency"] != schedule.frequency:
        schedule.periods.all().delete()  # no report was submitted: nothing is lost
    schedule.title = clean["title"]
    schedule.frequency = clean["frequency"]
    schedule.due_days = clean["due_days"]
    schedule.reminder_offsets = clean["reminder_offsets"]
    schedule.save(update_fields=["title", "frequency", "due_days", "reminder_offsets"])
    keep = {p.pk for p in clean["partners"]}
    gone = schedule.reporters.exclude(partner_id__in=keep)
    PartnerReport.objects.filter(
        period__schedule=schedule,
        partner_id__in=gone.values("partner_id"),
        status=ReportStatus.DRAFT,
        **{f: "" for f in _NARRATIVE},
    ).delete()
    gone.delete()
    have = set(schedule.reporters.values_list("partner_id", flat=True))
    SchedulePartner.objects.bulk_create(
        SchedulePartner(partnership=partnership, schedule=schedule, partner=partner)
        for partner in clean["partners"]
        if partner.pk not in have
    )
    generate(schedule)
    after = {
        "title": schedule.title,
        "frequency": schedule.frequency,
        "due_days": schedule.due_days,
        "reminder_offsets": schedule.reminder_offsets,
        "partners": sorted(p.organisation.name for p in clean["partners"]),
    }
    record_event(
        actor=actor,
        action="schedule.update",
        obj=schedule,
        partnership_id=partnership.pk,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
    )
    return schedule


def extend_all(*, today: dt.date | None = None) -> int:
    """Daily: schedules of partnerships without an end date get their next periods."""
    created = 0
    for schedule in ReportingSchedule.objects.filter(active=True).select_related("partnership"):
        with transaction.atomic():
            created += generate(schedule, today=today)
    return created
