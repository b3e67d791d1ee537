"""Partner reports: the state machine (every allowed and every forbidden transition), who may do
what, locking, the period's results submitted with the report, notifications and history."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from commonground.core.errors import Conflict, InvalidInput, StaleVersion
from commonground.core.models import AuditEvent
from commonground.notifications.models import Notification
from commonground.reporting.models import (
    PartnerReport,
    ReportState,
    ReportStatus,
    ReportStep,
)
from commonground.reporting.services import reports
from commonground.reporting.tests.factories import fill, make_schedule, report_of, submit
from commonground.results.models import ResultStatus
from commonground.results.tests.factories import make_indicator, make_objective
from commonground.results.tests.factories import report as report_result

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mid_2025():
    with time_machine.travel(dt.datetime(2025, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def report(world) -> PartnerReport:
    schedule = make_schedule(world)
    return report_of(world, schedule, "2025-Q1")


def _to(world, report: PartnerReport, status: str) -> PartnerReport:
    """Walk a report to `status` through the services."""
    if status == ReportStatus.DRAFT:
        return report
    submit(world, report)
    if status == ReportStatus.SUBMITTED:
        return report
    coordinator = world.seat(world.coordinator)
    if status == ReportStatus.RETURNED:
        return reports.report_return(
            actor=world.coordinator, seat=coordinator, report=report, comment="Add the numbers."
        )
    reports.report_accept(actor=world.coordinator, seat=coordinator, report=report)
    return report


def _do(world, report: PartnerReport, action: str) -> PartnerReport:
    coordinator = world.seat(world.coordinator)
    if action == "submit":
        return reports.report_submit(
            actor=world.reporter, seat=world.seat(world.reporter), report=report
        )
    if action == "return":
        return reports.report_return(
            actor=world.coordinator, seat=coordinator, report=report, comment="Why?"
        )
    if action == "accept":
        return reports.report_accept(actor=world.coordinator, seat=coordinator, report=report)
    return reports.report_reopen(
        actor=world.coordinator, seat=coordinator, report=report, reason="A figure was wrong."
    )


ALLOWED = {
    (ReportStatus.DRAFT, "submit"): ReportStatus.SUBMITTED,
    (ReportStatus.RETURNED, "submit"): ReportStatus.SUBMITTED,
    (ReportStatus.SUBMITTED, "return"): ReportStatus.RETURNED,
    (ReportStatus.SUBMITTED, "accept"): ReportStatus.ACCEPTED,
    (ReportStatus.ACCEPTED, "reopen"): ReportStatus.RETURNED,
}
EVERY = [(status, action) for status in ReportStatus for action in reports.LIFECYCLE.moves]


@pytest.mark.parametrize(("status", "action"), EVERY)
def test_every_transition_is_allowed_or_refused_as_the_state_machine_says(
    world, report, status, action
):
    _to(world, report, status)
    report.refresh_from_db()
    assert report.status == status
    if (status, action) in ALLOWED:
        if action == "submit":
            fill(world, report)
            report.refresh_from_db()
        _do(world, report, action)
        report.refresh_from_db()
        assert report.status == ALLOWED[(status, action)]
        assert report.steps.last().action == action
    else:
        with pytest.raises(Conflict) as caught:
            _do(world, report, action)
        assert caught.value.code == "invalid_transition"
        report.refresh_from_db()
        assert report.status == status


def test_a_report_is_not_submitted_without_achievements_and_challenges(world, report):
    with pytest.raises(InvalidInput) as caught:
        reports.report_submit(actor=world.reporter, seat=world.seat(world.reporter), report=report)
    assert set(caught.value.fields) == {"achievements", "challenges"}


def test_an_accepted_report_is_locked_until_reopened_with_a_reason(world, report):
    _to(world, report, ReportStatus.ACCEPTED)
    report.refresh_from_db()
    with pytest.raises(Conflict) as caught:
        fill(world, report, achievements="Changed afterwards")
    assert caught.value.code == "report_locked"
    with pytest.raises(Conflict) as caught:
        reports.report_reopen(
            actor=world.coordinator, seat=world.seat(world.coordinator), report=report, reason=" "
        )
    assert caught.value.code == "reason_required"
    reports.report_reopen(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        report=report,
        reason="The beds figure was wrong.",
    )
    report.refresh_from_db()
    fill(world, report, achievements="Opened 11 beds (corrected).")
    report.refresh_from_db()
    assert report.achievements == "Opened 11 beds (corrected)."
    step = ReportStep.objects.filter(report=report, action="reopen").get()
    assert step.comment == "The beds figure was wrong." and step.actor == world.coordinator


def test_returning_needs_a_comment_and_the_partner_sees_it(world, report):
    _to(world, report, ReportStatus.SUBMITTED)
    with pytest.raises(Conflict) as caught:
        reports.report_return(
            actor=world.coordinator, seat=world.seat(world.coordinator), report=report, comment=""
        )
    assert caught.value.fields == {"comment": ["Say what needs changing."]}
    reports.report_return(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        report=report,
        comment="Please add the waiting list.",
    )
    note = Notification.objects.get(user=world.reporter, kind="report_return")
    assert "Please add the waiting list." in note.body
    assert note.link == f"/partnerships/{world.a.pk}/reports/{report.pk}/"


def test_nobody_accepts_their_own_report(world, report):
    fill(world, report)
    report.refresh_from_db()
    # The editor writes and submits the NGO's report on its behalf, then may not accept it.
    reports.report_submit(actor=world.editor, seat=world.seat(world.editor), report=report)
    with pytest.raises(Conflict) as caught:
        reports.report_accept(actor=world.editor, seat=world.seat(world.editor), report=report)
    assert caught.value.code == "own_submission"
    reports.report_accept(
        actor=world.coordinator, seat=world.seat(world.coordinator), report=report
    )


def test_reporters_write_their_own_organisations_reports_only(world):
    schedule = make_schedule(world, partner_ids=[world.ngo_a.pk, world.lead_a.pk])
    city_report = PartnerReport.objects.get(
        period__schedule=schedule, period__key="2025-Q1", partner=world.lead_a
    )
    with pytest.raises(PermissionDenied):
        fill(world, city_report)
    with pytest.raises(PermissionDenied):
        reports.report_accept(
            actor=world.reporter, seat=world.seat(world.reporter), report=city_report
        )
    with pytest.raises(PermissionDenied):
        reports.report_save(
            actor=world.viewer,
            seat=world.seat(world.viewer),
            report=report_of(world, schedule, "2025-Q1"),
            data={"achievements": "x"},
            expected_version=1,
        )


def test_a_stale_edit_is_refused_not_overwritten(world, report):
    fill(world, report)
    with pytest.raises(StaleVersion):
        reports.report_save(
            actor=world.reporter,
            seat=world.seat(world.reporter),
            report=PartnerReport.objects.get(pk=report.pk),
            data={"achievements": "Old tab"},
            expected_version=1,
        )
    report.refresh_from_db()
    assert report.achievements == "Opened 12 new beds."


def test_submitting_the_report_submits_the_periods_draft_results(world, report):
    outcome = make_objective(world)
    housed = make_indicator(world, outcome, title="People housed")
    monthly = make_indicator(world, outcome, title="Meals served", frequency="monthly")
    in_period = [
        report_result(world, housed, "2025-Q1", 10, status="draft"),
        report_result(world, monthly, "2025-02", 300, status="draft"),
    ]
    outside = report_result(world, housed, "2025-Q2", 12, status="draft")
    returned = report_result(world, monthly, "2025-03", 280, status="returned")
    submit(world, report)
    returned.refresh_from_db()
    assert returned.status == ResultStatus.RETURNED, "a returned value waits for its correction"
    for result in in_period:
        result.refresh_from_db()
        assert result.status == ResultStatus.SUBMITTED
    outside.refresh_from_db()
    assert outside.status == ResultStatus.DRAFT
    event = AuditEvent.objects.filter(action="report.submit").get()
    assert event.changes["results"] == [0, 2]


def test_submission_notifies_the_reviewers_and_every_step_is_in_the_history(world, report):
    submit(world, report)
    reviewers = set(
        Notification.objects.filter(kind="report_submitted").values_list("user__email", flat=True)
    )
    assert reviewers == {world.coordinator.email, world.editor.email}
    reports.report_return(
        actor=world.coordinator,
        seat=world.seat(world.coordinator),
        report=report,
        comment="More detail.",
    )
    report.refresh_from_db()
    reports.report_submit(actor=world.reporter, seat=world.seat(world.reporter), report=report)
    reports.report_accept(actor=world.editor, seat=world.seat(world.editor), report=report)
    steps = list(report.steps.values_list("action", "actor__email"))
    assert steps == [
        ("submit", world.reporter.email),
        ("return", world.coordinator.email),
        ("submit", world.reporter.email),
        ("accept", world.editor.email),
    ]
    assert list(
        AuditEvent.objects.filter(action__startswith="report.", partnership=world.a)
        .exclude(action="report.save")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["report.submit", "report.return", "report.submit", "report.accept"]


def test_the_state_follows_the_calendar_until_submitted(world):
    schedule = make_schedule(world)
    q2 = report_of(world, schedule, "2025-Q2")  # 1 April - 30 June, due 30 July
    assert q2.state_on(dt.date(2025, 6, 29)) == ReportState.NOT_YET_DUE
    assert q2.state_on(dt.date(2025, 6, 30)) == ReportState.DUE
    assert q2.state_on(dt.date(2025, 7, 30)) == ReportState.DUE
    assert q2.state_on(dt.date(2025, 7, 31)) == ReportState.OVERDUE
    submit(world, q2)
    q2.refresh_from_db()
    assert q2.state_on(dt.date(2025, 9, 1)) == ReportState.SUBMITTED
