"""Signals of the reporting capability: facts other parts of the capability react to, sent
inside the transaction that makes them true (a receiver's writes commit or roll back with it).

- `report_published(sender=ReportExport, export=<ReportExport>)`: a progress report export was
  published (`services.exports.on_report_published`).
- `digest_sent(sender=..., partnership_id, user_id, period_key)`: a digest was sent to one
  person for one partnership (`services.digests`).

The communication plan listens to both (`connect_plan`, called from the app's ready()): a
published report marks its "printed report" entries done, a sent digest its "digest" entries.
The signals keep exports and digests from importing the plan.
"""

from typing import Any

from django.dispatch import Signal

report_published = Signal()
digest_sent = Signal()


def _on_report_published(sender: Any, export: Any, **kwargs: Any) -> None:
    from commonground.reporting.services.plan import record_channel_done

    if export.partnership_id is not None:
        record_channel_done(
            export.partnership_id,
            "printed_report",
            "report",
            note=f"Progress report {export.date_from} to {export.date_to} published",
        )


def _on_digest_sent(sender: Any, partnership_id: int, period_key: str, **kwargs: Any) -> None:
    from commonground.reporting.models import CommunicationDone
    from commonground.reporting.services.plan import record_channel_done

    # Many people get the digest of one period: the plan counts it done once per period.
    note = f"Digest {period_key} sent"
    if not CommunicationDone.objects.filter(
        partnership_id=partnership_id, source="digest", note=note
    ).exists():
        record_channel_done(partnership_id, "digest", "digest", note=note)


def connect_plan() -> None:
    report_published.connect(_on_report_published, dispatch_uid="plan-report-published")
    digest_sent.connect(_on_digest_sent, dispatch_uid="plan-digest-sent")
