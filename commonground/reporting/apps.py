from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "commonground.reporting"
    label = "reporting"
    verbose_name = "Reporting and communication"

    def ready(self) -> None:
        # Registers ReportingPerm with the partnership policy before the first request.
        from commonground.reporting import access  # noqa: F401

        # Reactions to facts (core.facts): a reached target is celebrated in the feed; a
        # published report and a sent digest mark the communication plan's entries done.
        from commonground.reporting.facts import digest_sent, report_published
        from commonground.reporting.services import digests, notify, reminders
        from commonground.reporting.services.milestones import record_target_reached
        from commonground.reporting.services.plan import plan_digest_sent, plan_report_published
        from commonground.results.facts import target_reached

        target_reached.react(record_target_reached)
        report_published.react(plan_report_published)
        digest_sent.react(plan_digest_sent)
        # Kinds of message with their own e-mail or a last check before sending.
        notify.register_kind(digests.DIGEST_KIND, message=digests.digest_message)
        notify.register_kind(*reminders.KINDS, still_wanted=reminders.still_owed)
