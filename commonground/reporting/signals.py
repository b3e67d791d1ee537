"""Signals the reporting capability sends for other parts to listen to.

`report_published(sender=ReportExport, export=<ReportExport>)` is sent when a progress report
export is published (`services.exports.on_report_published`), inside the publishing
transaction: a receiver's writes commit or roll back with the publication. The communication
plan connects to it to mark its "printed report" entries done (plan.record_channel_done); the
signal keeps exports from importing the plan, which is written separately.
"""

from django.dispatch import Signal

report_published = Signal()
