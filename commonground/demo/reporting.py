"""`seed_reporting`: reporting schedules for the running Riverside partnerships and partner
reports in every state, written through the services as the scenario's people.

Each running partnership gets a quarterly schedule in which every partner with a reporter or
editor seat reports. Counted back from `today`: older reports are accepted, the last period due
has one report submitted and waiting, one returned with comments and the rest overdue, and the
period under way is not yet due. The services stamp their steps with the seeding time; the demo
then dates the steps of past reports to when they would have happened (the audit ledger keeps
when they were recorded).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.demo.partnerships import PARTNERSHIPS
from commonground.notifications.models import EmailStatus, Notification
from commonground.partnerships.access import can
from commonground.partnerships.models import Partnership, Seat, SeatRole
from commonground.reporting.access import ReportingPerm
from commonground.reporting.models import (
    PartnerReport,
    ReportingSchedule,
    ReportStatus,
    ReportStep,
)
from commonground.reporting.services import reports, schedules

SEED = 20261123

ACHIEVEMENTS = (
    "Outreach reached {n} people this quarter; {m} of them now have a named case worker.",
    "We opened {n} more places and kept every one of them filled; {m} people moved on to a "
    "settled home.",
    "The joint assessment is now used by all partners: {n} referrals, none of them repeated.",
    "{n} volunteers trained; the evening service ran every night of the quarter.",
)
CHALLENGES = (
    "Two staff left in the same month. We shared a rota with the Shelter Network and covered "
    "every shift.",
    "Referrals from the hospital arrived late on Fridays; a weekly call with the ward team now "
    "catches them on Thursday.",
    "Costs of food rose by 14 %; a supermarket donation scheme filled most of the gap.",
    "Data entry lagged behind the work; one afternoon a month is now set aside for it.",
)
LESSONS = (
    "Meeting people where they are works better than appointments.",
    "A shared case list saves everyone time, but only if it is kept up to date weekly.",
)
NEXT_STEPS = (
    "Extend the evening service to Sundays and recruit two more volunteers.",
    "Start the tenancy sustainment pilot with the Tenants' Union in Eastbank.",
)
SUPPORT = (
    "A contact in the council's housing options team for same-day referrals.",
    "",
)
RETURN_COMMENTS = (
    "Thanks! Could you add how many of the people reached were new to the service, and say "
    "what the volunteer training covered?",
)


def _writer(partnership: Partnership, partner_id: int) -> User | None:
    seats = Seat.objects.filter(partnership=partnership, partner_id=partner_id).select_related(
        "user"
    )
    for seat in seats:
        if can(seat, ReportingPerm.WRITE_REPORTS):
            return seat.user
    return None


def _coordinator(partnership: Partnership) -> Seat:
    seat = (
        Seat.objects.filter(partnership=partnership, role=SeatRole.COORDINATOR)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert seat is not None, "a partnership always keeps a coordinator"
    return seat


def _narrative(rng: random.Random) -> dict[str, str]:
    return {
        "achievements": rng.choice(ACHIEVEMENTS).format(
            n=rng.randint(30, 180), m=rng.randint(5, 30)
        ),
        "challenges": rng.choice(CHALLENGES),
        "lessons": rng.choice(LESSONS),
        "next_steps": rng.choice(NEXT_STEPS),
        "support_needed": rng.choice(SUPPORT),
    }


def _redate(report: PartnerReport, submitted: dt.date, reviewed: dt.date | None) -> None:
    """Give the steps of a past report the dates they would have had."""
    at_submit = dt.datetime.combine(submitted, dt.time(10, 30), tzinfo=dt.UTC)
    PartnerReport.objects.filter(pk=report.pk).update(submitted_at=at_submit)
    ReportStep.objects.filter(report=report, action="submit").update(at=at_submit)
    if reviewed is not None:
        at_review = dt.datetime.combine(reviewed, dt.time(15, 0), tzinfo=dt.UTC)
        PartnerReport.objects.filter(pk=report.pk).update(reviewed_at=at_review)
        ReportStep.objects.filter(report=report).exclude(action="submit").update(at=at_review)


def _seed_partnership(partnership: Partnership, today: dt.date) -> int:
    coordinator = _coordinator(partnership)
    partner_ids = [
        seat.partner_id
        for seat in Seat.objects.filter(partnership=partnership).exclude(
            partner_id=coordinator.partner_id
        )
        if can(seat, ReportingPerm.WRITE_REPORTS)
    ]
    partner_ids = sorted(set(partner_ids))
    if not partner_ids:
        return 0
    schedule = schedules.schedule_create(
        actor=coordinator.user,
        seat=coordinator,
        partnership=partnership,
        data={
            "title": "Quarterly partner report",
            "frequency": "quarterly",
            "due_days": 30,
            "reminder_offsets": [-7, 0, 3],
            "partner_ids": partner_ids,
        },
    )
    # The partnership reported from its start: open the reports of every past period too.
    ReportingSchedule.objects.filter(pk=schedule.pk).update(
        created_at=dt.datetime.combine(partnership.start_date, dt.time(9), tzinfo=dt.UTC)
    )
    schedule.refresh_from_db()
    schedules.generate(schedule, today=today)
    rng = random.Random(f"{SEED}:{partnership.pk}")
    rows = list(
        PartnerReport.objects.filter(period__schedule=schedule)
        .select_related("period")
        .order_by("period__start", "partner_id")
    )
    due = sorted({r.period.due_date for r in rows if r.period.due_date < today})
    last_due = due[-1] if due else None
    count = 0
    for report in rows:
        if report.period.due_date > today:
            continue
        writer = _writer(partnership, report.partner_id)
        if writer is None:
            continue
        seat = Seat.objects.get(partnership=partnership, user=writer)
        latest = report.period.due_date == last_due
        state = ("submitted", "returned", "overdue", "overdue")[count % 4] if latest else "accepted"
        count += 1
        if state == "overdue":
            if rng.random() < 0.5:  # started but not submitted
                reports.report_save(
                    actor=writer,
                    seat=seat,
                    report=report,
                    data={"achievements": _narrative(rng)["achievements"]},
                    expected_version=report.version,
                )
            continue
        reports.report_save(
            actor=writer,
            seat=seat,
            report=report,
            data=_narrative(rng),
            expected_version=report.version,
        )
        reports.report_submit(actor=writer, seat=seat, report=report)
        submitted = report.period.due_date - dt.timedelta(days=rng.randint(0, 12))
        if state == "submitted":
            _redate(report, submitted, None)
            continue
        if state == "returned":
            reports.report_return(
                actor=coordinator.user,
                seat=coordinator,
                report=report,
                comment=RETURN_COMMENTS[0],
            )
        else:
            reports.report_accept(actor=coordinator.user, seat=coordinator, report=report)
        _redate(report, submitted, min(today, submitted + dt.timedelta(days=rng.randint(2, 9))))
    return count


def seed_reporting(*, today: dt.date) -> dict[str, int]:
    """Schedules and reports for the running Riverside partnerships; {} if already there."""
    titles = [spec.title for spec in PARTNERSHIPS]
    found = list(Partnership.objects.filter(title__in=titles).order_by("pk"))
    if not found or ReportingSchedule.objects.filter(partnership__in=found).exists():
        return {}
    counts = {"schedules": 0, "reports": 0}
    with transaction.atomic():
        for partnership in found:
            if partnership.end_date is not None and partnership.end_date < today:
                continue
            made = _seed_partnership(partnership, today)
            if made:
                counts["schedules"] += 1
                counts["reports"] += made
        # Notifications about reports long accepted are history: read, and never mailed.
        accepted = {
            f"report:{pk}:"
            for pk in PartnerReport.objects.filter(
                partnership__in=found, status=ReportStatus.ACCEPTED
            ).values_list("pk", flat=True)
        }
        history = [
            n.pk
            for n in Notification.objects.filter(partnership__in=found, kind__startswith="report")
            if n.key[: n.key.index(":", 7) + 1] in accepted
        ]
        Notification.objects.filter(pk__in=history).update(
            read_at=timezone.now(), email_status=EmailStatus.NONE
        )
    return counts
