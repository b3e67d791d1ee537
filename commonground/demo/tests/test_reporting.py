"""The reporting demo that `commonground seed` adds (demo/reporting.py)."""

from commonground.core.audit import verify
from commonground.demo.tests.test_results import DEMO_DAY, demo_partnerships
from commonground.notifications.models import EmailStatus, Notification
from commonground.reporting.models import (
    PartnerReport,
    ReportingSchedule,
    ReportStatus,
)


class TestTheReportingDemo:
    def test_seed_says_what_it_added(self, demo):
        assert "Reporting schedules for 4 partnerships" in demo

    def test_running_partnerships_have_a_schedule_and_the_closed_pilot_none(self, demo):
        titles = set(ReportingSchedule.objects.values_list("partnership__title", flat=True))
        assert len(titles) == 4
        assert "Winter Night Shelter Pilot 2024/25" not in titles

    def test_reports_exist_in_every_state(self, demo):
        today = DEMO_DAY.date()
        states = {r.state_on(today) for r in PartnerReport.objects.select_related("period")}
        assert states >= {"not_yet_due", "overdue", "submitted", "returned", "accepted"}

    def test_nobody_accepted_their_own_report_and_returns_say_why(self, demo):
        for report in PartnerReport.objects.filter(status=ReportStatus.ACCEPTED):
            assert report.reviewed_by_id != report.submitted_by_id
            assert report.submitted_at is not None and report.reviewed_at is not None
            assert report.submitted_at <= report.reviewed_at
        for report in PartnerReport.objects.filter(status=ReportStatus.RETURNED):
            assert report.review_comment

    def test_past_steps_are_dated_before_the_demo_day(self, demo):
        for report in PartnerReport.objects.filter(status=ReportStatus.ACCEPTED):
            assert report.submitted_at is not None and report.reviewed_at is not None
            assert report.submitted_at.date() <= report.period.due_date
            assert report.reviewed_at.date() <= DEMO_DAY.date()

    def test_old_notifications_are_history_and_recent_ones_are_waiting(self, demo):
        old = Notification.objects.filter(email_status=EmailStatus.NONE)
        assert old.exists() and not old.filter(read_at__isnull=True).exists()
        assert Notification.objects.filter(email_status=EmailStatus.PENDING).count() < 40

    def test_the_audit_chains_still_verify(self, demo):
        for partnership in demo_partnerships():
            assert all(report.ok for report in verify(partnership.pk))
