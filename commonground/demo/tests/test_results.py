"""The Riverside results frameworks that `commonground seed` adds (demo/results.py)."""

import datetime as dt
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from commonground.core.audit import verify
from commonground.core.models import AuditEvent
from commonground.demo.management.commands.seed import seed_scenario
from commonground.demo.partnerships import PARTNERSHIPS, WINTER
from commonground.demo.results import FRAMEWORKS, plan_results
from commonground.partnerships.access import can
from commonground.partnerships.models import Partnership, Seat, SeatRole
from commonground.results import periods
from commonground.results.access import ResultsPerm
from commonground.results.models import (
    Dimension,
    EvaluationFinding,
    EvaluationSession,
    Indicator,
    IndicatorProgress,
    Objective,
    PeriodTarget,
    Recommendation,
    Result,
    ResultBreakdown,
    ResultComment,
    ResultStatus,
    TargetRevision,
)
from commonground.results.selectors import smart_check
from commonground.results.services.evaluation import may_complete

# The day the demo is seeded in these tests: statuses depend on the date.
DEMO_DAY = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
DEMO_SETTINGS = {
    "DEBUG": True,
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
}
MODELS = (
    Objective,
    Indicator,
    Dimension,
    PeriodTarget,
    TargetRevision,
    Result,
    ResultBreakdown,
    ResultComment,
    EvaluationSession,
    EvaluationFinding,
    Recommendation,
    AuditEvent,
)


def seed() -> str:
    out = StringIO()
    with override_settings(**DEMO_SETTINGS), time_machine.travel(DEMO_DAY, tick=True):
        call_command("seed", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the class inside a transaction that is rolled back after it; each test
    runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def demo_partnerships() -> list[Partnership]:
    return list(Partnership.objects.filter(title__in=[spec.title for spec in PARTNERSHIPS]))


class TestTheSeededDemo:
    """Seeded once for the class (see `seeded`)."""

    def test_seed_reports_the_results_frameworks(self, demo):
        assert "Results frameworks for 5 partnerships" in demo

    def test_every_demo_partnership_has_an_impact_outcomes_outputs_and_indicators(self, demo):
        for partnership in demo_partnerships():
            levels = Counter(
                Objective.objects.filter(partnership=partnership).values_list("level", flat=True)
            )
            assert levels["impact"] == 1, partnership
            assert 2 <= levels["outcome"] <= 3, partnership
            assert 2 <= levels["output"] <= 4, partnership
            assert 6 <= Indicator.objects.filter(partnership=partnership).count() <= 10, partnership
            assert Dimension.objects.filter(partnership=partnership).exists(), partnership

    def test_demo_frameworks_pass_the_smart_check(self, demo):
        for partnership in demo_partnerships():
            assert smart_check(partnership) == [], partnership

    def test_indicators_cover_the_measures_directions_aggregations_and_frequencies(self, demo):
        rows = Indicator.objects.values_list("measure", "direction", "aggregation", "frequency")
        measures, directions, aggregations, frequencies = (
            set(column) for column in zip(*rows, strict=True)
        )
        assert {"1", "2", "5"} <= measures
        assert directions == {"increase", "decrease", "maintain"}
        assert {"sum", "latest", "average"} <= aggregations
        assert frequencies == {"monthly", "quarterly", "semiannual", "annual"}
        codes = set(
            Indicator.objects.exclude(sdg_indicator="").values_list("sdg_indicator", flat=True)
        )
        assert {"8.6.1", "11.1.1", "11.5.1"} <= codes
        targets = {
            code for row in Objective.objects.values_list("sdg_targets", flat=True) for code in row
        }
        assert {"1.4", "8.6", "11.1", "11.5", "13.1"} <= targets
        for indicator in Indicator.objects.exclude(measure="5"):
            assert indicator.baseline_value is not None and indicator.target_value is not None
            assert indicator.baseline_date == indicator.partnership.start_date

    def test_results_exist_in_every_review_state(self, demo):
        states = set(Result.objects.values_list("status", flat=True))
        assert states == set(ResultStatus.values)

    def test_returned_results_carry_the_reviewers_comment(self, demo):
        returned = Result.objects.filter(status=ResultStatus.RETURNED)
        assert returned.count() >= 2
        for result in returned:
            assert result.review_comment and result.reviewed_by_id
        assert AuditEvent.objects.filter(action="result.reopen").exists()
        assert ResultComment.objects.count() >= 3

    def test_reporters_report_for_their_partner_and_nobody_approves_their_own(self, demo):
        seats = {(s.partnership_id, s.user_id): s for s in Seat.objects.all()}
        for result in Result.objects.all():
            reporter = seats[(result.partnership_id, result.created_by_id)]
            assert can(reporter, ResultsPerm.REPORT_RESULTS)
            if reporter.role == SeatRole.REPORTER:
                assert result.partner_id == reporter.partner_id
            if result.reviewed_by_id:
                assert can(
                    seats[(result.partnership_id, result.reviewed_by_id)],
                    ResultsPerm.REVIEW_RESULTS,
                )
            if result.status == ResultStatus.APPROVED:
                assert result.reviewed_by_id != result.submitted_by_id

    def test_progress_statuses_are_a_mix(self, demo):
        statuses = Counter(IndicatorProgress.objects.values_list("status", flat=True))
        assert statuses["achieved"] and statuses["on_track"] >= 3
        assert statuses["at_risk"] and statuses["off_track"]
        assert statuses["no_recent_data"] and statuses["not_started"]

    def test_some_ended_periods_of_running_partnerships_are_overdue(self, demo):
        today = DEMO_DAY.date()
        overdue = 0
        for indicator in Indicator.objects.exclude(partnership__title=WINTER.title):
            partnership = indicator.partnership
            ended = [
                p
                for p in periods.periods_between(
                    indicator.frequency, partnership.start_date, partnership.end_date or today
                )
                if p.end < today
            ]
            reported = set(Result.objects.filter(indicator=indicator).values_list("period_start"))
            overdue += sum((p.start,) not in reported for p in ended)
        assert overdue >= 5

    def test_the_closed_winter_pilot_looks_finished(self, demo):
        pilot = Partnership.objects.get(title=WINTER.title)
        results = Result.objects.filter(partnership=pilot)
        assert set(results.values_list("status", flat=True)) == {ResultStatus.APPROVED}
        for indicator in Indicator.objects.filter(partnership=pilot):
            assert indicator.results.count() == 5  # November to March
        statuses = Counter(
            IndicatorProgress.objects.filter(partnership=pilot).values_list("status", flat=True)
        )
        assert set(statuses) <= {"achieved", "no_recent_data"}
        assert statuses["achieved"] > statuses["no_recent_data"]

    def test_breakdowns_add_up_to_their_totals(self, demo):
        broken_down = Result.objects.filter(breakdown__isnull=False).distinct()
        assert broken_down.count() > 100
        for result in broken_down.prefetch_related("breakdown"):
            assert sum(part.value for part in result.breakdown.all()) == result.value

    def test_target_revisions_keep_their_reasons(self, demo):
        revisions = TargetRevision.objects.all()
        budget = revisions.get(reason="budget_change")
        assert (budget.old_value, budget.new_value) == (Decimal(120), Decimal(90))
        assert all(other.reason_text for other in revisions.filter(reason="other"))
        assert revisions.filter(reason="other").exists()
        assert revisions.filter(period_start__isnull=False).exists()
        assert PeriodTarget.objects.values("indicator").distinct().count() >= 4

    def test_audit_ledger_verifies_after_seeding_results(self, demo):
        reports = verify()
        assert all(report.ok for report in reports), [r for r in reports if not r.ok]
        assert AuditEvent.objects.filter(action="result.approve").count() >= 300

    def test_evaluation_sessions_cover_every_dac_criterion_with_some_recommendations_done(
        self, demo
    ):
        assert "Evaluation sessions added: 2." in demo
        today = DEMO_DAY.date()
        for session in EvaluationSession.objects.all():
            criteria = set(session.findings.values_list("criterion", flat=True))
            assert len(criteria) == 6, session
            assert session.findings.exclude(evidence_url="").exists(), session
        recommendations = list(Recommendation.objects.select_related("session"))
        assert all(r.due_date > r.session.held_on for r in recommendations)
        done = [r for r in recommendations if r.done_at is not None]
        overdue = [r for r in recommendations if r.is_overdue(today)]
        assert len(done) >= 4 and len(overdue) == 1
        assert any(r.done_at is None and not r.is_overdue(today) for r in recommendations)
        # Everyone who marked one done was allowed to.
        by_pk = {r.pk: r for r in recommendations}
        for event in AuditEvent.objects.filter(action="recommendation.complete"):
            recommendation = by_pk[int(event.object_id)]
            seat = Seat.objects.get(partnership=recommendation.partnership_id, user=event.actor)
            assert may_complete(seat, recommendation)

    def test_seeding_again_changes_no_counts(self, demo):
        before = counts()
        output = seed()
        assert counts() == before
        assert "Demo data already present; nothing to do." in output


@pytest.mark.django_db
def test_a_database_seeded_before_results_gets_them_on_the_next_seed():
    with override_settings(**DEMO_SETTINGS):
        assert seed_scenario()
    assert not Objective.objects.exists()
    with override_settings(**DEMO_SETTINGS), time_machine.travel(dt.date(2025, 2, 10)):
        out = StringIO()
        call_command("seed", stdout=out)
    assert "Results frameworks for 5 partnerships" in out.getvalue()
    assert Objective.objects.values("partnership").distinct().count() == 5
    assert Result.objects.filter(partnership__title=WINTER.title).count() > 0


def key(planned):
    return (planned.indicator, planned.period, planned.org)


@pytest.mark.parametrize("framework", FRAMEWORKS, ids=lambda f: f.partnership.title)
def test_a_later_seed_keeps_every_earlier_value(framework):
    spec = framework.partnership
    dates = {"start": spec.start_date, "end": spec.end_date}
    now = {key(p): p.value for p in plan_results(framework, **dates, today=dt.date(2026, 11, 23))}
    later = plan_results(framework, **dates, today=dt.date(2027, 2, 10))
    assert {key(p): p.value for p in later if key(p) in now} == now
    assert plan_results(framework, **dates, today=dt.date(2026, 11, 23)) == plan_results(
        framework, **dates, today=dt.date(2026, 11, 23)
    )


@pytest.mark.parametrize(
    "today", [dt.date(2024, 1, 1), dt.date(2025, 2, 10), dt.date(2026, 11, 23), dt.date(2031, 6, 1)]
)
def test_the_plan_is_valid_on_any_day(today):
    for framework in FRAMEWORKS:
        spec = framework.partnership
        indicators = {i.key: i for i in framework.indicators}
        planned = plan_results(framework, start=spec.start_date, end=spec.end_date, today=today)
        for result in planned:
            assert result.period.end >= spec.start_date and result.period.end < today
            assert spec.end_date is None or result.period.start <= spec.end_date
            if result.value is None:
                assert result.text_value
                continue
            assert result.value >= 0
            if indicators[result.indicator].measure == "2":
                assert result.value <= 100
            for value, parts in (
                (result.value, result.breakdown),
                (result.first_value, result.first_breakdown),
            ):
                assert not parts or sum(parts.values()) == value
        finished = spec.end_date is not None and (today - spec.end_date).days > 200
        if finished:
            assert {result.state for result in planned} == {"approved"}
