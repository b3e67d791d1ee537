"""Facts the notifications app states, for other apps to react to (see core.facts)."""

from commonground.core.facts import Fact

digest_sent = Fact(
    "notifications.digest_sent",
    "A digest was sent to one person for one partnership: "
    "state(partnership_id=int, user_id=int, period_key=str).",
)
