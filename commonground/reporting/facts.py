"""Facts the reporting capability states, for other apps to react to (see core.facts)."""

from commonground.core.facts import Fact

report_published = Fact(
    "reporting.report_published",
    "A progress report export was published: state(export=ReportExport).",
)
digest_sent = Fact(
    "reporting.digest_sent",
    "A digest was sent to one person for one partnership: "
    "state(partnership_id=int, user_id=int, period_key=str).",
)
