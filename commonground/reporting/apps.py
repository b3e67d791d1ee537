from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "commonground.reporting"
    label = "reporting"
    verbose_name = _("Reporting and communication")

    def ready(self) -> None:
        # Registers ReportingPerm with the partnership policy before the first request.
        from commonground.reporting import access  # noqa: F401  # isort: skip

        # Reactions to facts (core.facts): a reached target is celebrated in the feed; a
        # published report and a sent digest mark the communication plan's entries done.
        from commonground.notifications import registry
        from commonground.notifications.facts import digest_sent
        from commonground.reporting.facts import report_published
        from commonground.reporting.selectors import calendar, digest
        from commonground.reporting.services import reminders
        from commonground.reporting.services.milestones import record_target_reached
        from commonground.reporting.services.plan import plan_digest_sent, plan_report_published
        from commonground.results.facts import target_reached

        target_reached.react(record_target_reached)
        report_published.react(plan_report_published)
        digest_sent.react(plan_digest_sent)
        # What reporting contributes to notifications: reminders before and after a report's
        # due date (a last check before mailing one), due dates in calendar feeds, and its
        # part of every partnership digest.
        registry.register_kind(*reminders.KINDS, still_wanted=reminders.still_owed)
        registry.register_reminder_rule(
            "reporting.report_due",
            due=reminders.reports_to_remind,
            reminders=reminders.reminders_due,
        )
        registry.register_calendar_source("reporting.due_dates", events=calendar.due_date_events)
        registry.register_digest_section("reporting", build=digest.digest_section)

        # What reporting puts in people's "My work".
        from commonground.partnerships.standing import register_deadlines, register_highlights
        from commonground.reporting import work
        from commonground.work.registry import register_work_source

        register_work_source("reporting.reports", items=work.report_work)
        register_work_source("reporting.plan", items=work.plan_work)
        register_deadlines("reporting.deadlines", deadlines=work.report_deadlines)
        register_highlights("reporting.highlights", highlights=work.highlights)
        # Where the ledger's reporting objects are seen.
        from commonground.core.ledger_links import page, register_object_links

        register_object_links(
            {
                "reporting.partnerreport": page("reporting:report", "report_id"),
                "reporting.reportingschedule": page("reporting:reports"),
                "reporting.progressupdate": page("reporting:update", "update_id"),
                "reporting.milestone": page("reporting:milestones"),
                "reporting.communicationentry": page("reporting:plan"),
                "reporting.reportexport": page("reporting:progress_report"),
            }
        )
