"""Facts the results capability states, for other apps to react to (see core.facts)."""

from commonground.core.facts import Fact

target_reached = Fact(
    "results.target_reached",
    "An indicator's progress summary reached its target: "
    "state(indicator=Indicator, summary=IndicatorProgress), inside the refresh's transaction.",
)
