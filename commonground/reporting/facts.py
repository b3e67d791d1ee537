"""Facts the reporting capability states, for other apps to react to (see core.facts)."""

from commonground.core.facts import Fact

report_published = Fact(
    "reporting.report_published",
    "A progress report export was published: state(export=ReportExport).",
)
