"""The progress rules for one indicator, on plain numbers: how partners' reports combine, what the
value to date is, how far towards its target an indicator has come, and whether it is on track.

Pure module: no models, no database. Decimal throughout, at full precision; round only for display
(`round_percent`). The rules are defined in words in docs/glossary.md; this is their one source.
"""

from collections.abc import ItemsView, Iterator, Mapping, Sequence, ValuesView
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import cast

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from commonground.results.periods import Frequency, Period, period_containing, shift

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class Direction(StrEnum):
    """Which way an indicator should move from its baseline."""

    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


class Aggregation(StrEnum):
    """How an indicator's period values add up over time."""

    SUM = "sum"
    LATEST = "latest"
    AVERAGE = "average"
    MAXIMUM = "maximum"


class Status(StrEnum):
    """Where an indicator (or objective, or partnership) stands against its targets."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NOT_STARTED = "not_started"
    NO_RECENT_DATA = "no_recent_data"


class StatusLabels(Mapping[Status, str]):
    """The statuses' names for people. `labels[status]` is the name in the active language, as
    a str (like a model's get_FOO_display(), so it can go into a spreadsheet cell or a JSON
    body); iterating (items(), values()) gives lazy names, safe to keep at import time (form
    choices, module constants) and rendered when shown. What is stored is the Status code."""

    def __init__(self, labels: dict[Status, Promise]) -> None:
        self._labels = labels

    def __getitem__(self, status: Status) -> str:
        return str(self._labels[status])

    def __iter__(self) -> Iterator[Status]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)

    def items(self) -> ItemsView[Status, str]:
        return cast(ItemsView[Status, str], self._labels.items())

    def values(self) -> ValuesView[str]:
        return cast(ValuesView[str], self._labels.values())


STATUS_LABELS = StatusLabels(
    {
        Status.ACHIEVED: _("Achieved"),
        Status.ON_TRACK: _("On track"),
        Status.AT_RISK: _("At risk"),
        Status.OFF_TRACK: _("Off track"),
        Status.NOT_STARTED: _("Not started"),
        Status.NO_RECENT_DATA: _("No recent data"),
    }
)


@dataclass(frozen=True)
class Thresholds:
    """The documented defaults (docs/glossary.md): on track at ≥ 90 % of the expected progress,
    at risk at ≥ 70 %, no recent data after 2 whole periods without a result, and a "maintain"
    indicator holds its target while within 5 % of it."""

    on_track: Decimal = Decimal("0.9")
    at_risk: Decimal = Decimal("0.7")
    stale_periods: int = 2
    maintain_tolerance: Decimal = Decimal("0.05")

    def __post_init__(self) -> None:
        if not ZERO <= self.at_risk <= self.on_track:
            raise ValueError("Thresholds need 0 ≤ at_risk ≤ on_track.")
        if self.stale_periods < 1:
            raise ValueError("stale_periods must be at least 1.")
        if self.maintain_tolerance < 0:
            raise ValueError("maintain_tolerance cannot be negative.")


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def combine_reports(
    values: Sequence[Decimal], aggregation: Aggregation | str, is_percentage: bool
) -> Decimal | None:
    """One period's value from the values several partners reported for it; None if none."""
    if not values:
        return None
    aggregation = Aggregation(aggregation)
    if aggregation is Aggregation.MAXIMUM:
        return max(values)
    # Rates are never added: three sites at 80 % are 80 %, not 240 %. Partners report only the
    # rate, not its denominator, so the mean is unweighted.
    if is_percentage or aggregation is Aggregation.AVERAGE:
        return _mean(values)
    # Counts and stocks held by different partners add up (beds at three shelters), even for a
    # "latest" indicator: "latest" is about time, not about partners.
    return sum(values, ZERO)


def _when(key: Period | date) -> date:
    return key.end if isinstance(key, Period) else key


def value_to_date(
    period_values: Sequence[tuple[Period | date, Decimal]], aggregation: Aggregation | str
) -> Decimal | None:
    """The indicator's value so far from its per-period values (one per period); None if none."""
    if not period_values:
        return None
    aggregation = Aggregation(aggregation)
    values = [value for _, value in period_values]
    if aggregation is Aggregation.SUM:
        return sum(values, ZERO)
    if aggregation is Aggregation.LATEST:
        # A stock or a rate is its newest reading, never a total. On a tie the later entry wins.
        latest = period_values[0]
        for entry in period_values[1:]:
            if _when(entry[0]) >= _when(latest[0]):
                latest = entry
        return latest[1]
    if aggregation is Aggregation.AVERAGE:
        return _mean(values)
    return max(values)


def _sign(direction: Direction) -> int:
    return -1 if direction is Direction.DECREASE else 1


def percent_of_target(
    current: Decimal | None,
    baseline: Decimal | None,
    target: Decimal | None,
    direction: Direction | str,
    *,
    tolerance: Decimal = Decimal("0.05"),
    bounded: bool = True,
) -> Decimal | None:
    """How far from baseline to target `current` has come, in percent; None without a target."""
    if current is None or target is None:
        return None
    direction = Direction(direction)
    if direction is Direction.MAINTAIN:
        return _percent_maintained(current, target, tolerance)
    base = ZERO if baseline is None else baseline
    # Measured in the indicator's direction, so a fall from 12 % to 10 % unemployment towards 8 %
    # is +2 of +4, i.e. 50 %, just like a rise from 0 to 50 towards 100.
    sign = _sign(direction)
    gap = (target - base) * sign
    if gap <= 0:
        # The target asks for no change (or a change the wrong way): it is met or it is not.
        return HUNDRED if (current - target) * sign >= 0 else ZERO
    percent = (current - base) * sign * HUNDRED / gap
    if bounded:
        # Beyond the target is "achieved" anyway; moving the wrong way is no progress, not less.
        return min(max(percent, ZERO), HUNDRED)
    return percent


def _percent_maintained(current: Decimal, target: Decimal, tolerance: Decimal) -> Decimal:
    """100 within `tolerance` (a share of |target|) of the target, falling linearly to 0 at twice
    the tolerance. A target of 0 has no tolerance: only 0 holds it."""
    allowed = tolerance * abs(target)
    deviation = abs(current - target)
    if deviation <= allowed:
        return HUNDRED
    if deviation >= 2 * allowed:
        return ZERO
    return (2 * allowed - deviation) * HUNDRED / allowed


def expected_value(
    baseline: Decimal | None,
    baseline_date: date | None,
    target: Decimal | None,
    target_date: date | None,
    on: date,
) -> Decimal | None:
    """Where the indicator should be on `on`, on the straight line from baseline to target."""
    if target is None or target_date is None or baseline_date is None:
        return None
    base = ZERO if baseline is None else baseline
    # Clamped: nothing is expected before the baseline date, and no more than the target after.
    if on <= baseline_date or target_date <= baseline_date:
        return target if on >= target_date else base
    if on >= target_date:
        return target
    elapsed = (on - baseline_date).days
    total = (target_date - baseline_date).days
    return base + (target - base) * elapsed / total


def is_stale(
    last_period_end: date, today: date, frequency: Frequency | str, stale_periods: int
) -> bool:
    """Whether `stale_periods` whole periods have ended since the last reported period ended."""
    # Whole calendar periods, not days: with quarterly reports and 2 periods, data for Q1 goes
    # stale once Q3 is over (1 October), whatever the length of the months in between.
    deadline = shift(period_containing(frequency, last_period_end), stale_periods).end
    return today > deadline


def status(
    *,
    current: Decimal | None,
    baseline: Decimal | None,
    baseline_date: date | None,
    target: Decimal | None,
    target_date: date | None,
    direction: Direction | str,
    today: date,
    last_period_end: date | None,
    frequency: Frequency | str,
    thresholds: Thresholds | None = None,
) -> Status | None:
    """The indicator's status today; None when no (dated) target is set, so it cannot be judged."""
    thresholds = thresholds or Thresholds()
    direction = Direction(direction)
    if current is None:
        return Status.NOT_STARTED
    if target is None:
        return None
    tolerance = thresholds.maintain_tolerance
    percent = percent_of_target(current, baseline, target, direction, tolerance=tolerance)
    # A "maintain" indicator is never done: it holds its target or it does not.
    if direction is not Direction.MAINTAIN and percent is not None and percent >= HUNDRED:
        return Status.ACHIEVED
    # Without a last period end we cannot tell the age of the value, so we do not call it stale.
    if last_period_end is not None and is_stale(
        last_period_end, today, frequency, thresholds.stale_periods
    ):
        return Status.NO_RECENT_DATA
    if direction is Direction.MAINTAIN:
        return Status.ON_TRACK if percent == HUNDRED else Status.OFF_TRACK
    expected = expected_value(baseline, baseline_date, target, target_date, today)
    if expected is None:
        return None
    return _compare(current, baseline, target, expected, direction, thresholds)


def _compare(
    current: Decimal,
    baseline: Decimal | None,
    target: Decimal,
    expected: Decimal,
    direction: Direction,
    thresholds: Thresholds,
) -> Status:
    """Actual progress against the progress expected by now, both from the baseline."""
    base = ZERO if baseline is None else baseline
    sign = _sign(direction)
    if (target - base) * sign <= 0:
        # The target asks for no change and `current` has not met it (else it is achieved).
        return Status.OFF_TRACK
    expected_progress = (expected - base) * sign
    if expected_progress <= 0:
        # At the very start nothing is expected yet, so nobody is behind.
        return Status.ON_TRACK
    ratio = (current - base) * sign / expected_progress
    if ratio >= thresholds.on_track:
        return Status.ON_TRACK
    if ratio >= thresholds.at_risk:
        return Status.AT_RISK
    return Status.OFF_TRACK


# Rollup: how much each child status counts towards its parent's status.
ROLLUP_SCORES: dict[Status, Decimal] = {
    Status.ACHIEVED: Decimal(1),
    Status.ON_TRACK: Decimal(1),
    Status.AT_RISK: Decimal("0.5"),
    Status.OFF_TRACK: ZERO,
}
ROLLUP_ON_TRACK = Decimal("0.85")
ROLLUP_AT_RISK = Decimal("0.5")


def rollup(
    children: Sequence[tuple[Status | str | None, Decimal, Decimal | None]],
) -> tuple[Status | None, Decimal | None]:
    """A parent's (status, percent) from its children's (status, weight, percent)."""
    if any(weight < 0 for _, weight, _ in children):
        raise ValueError("Weights cannot be negative.")
    # A weight of 0 leaves a child out, like an indicator that is tracked but not counted.
    counted = [(Status(s) if s is not None else None, w, p) for s, w, p in children if w > 0]
    with_percent = [(w, p) for _, w, p in counted if p is not None]
    percent_weight = sum((w for w, _ in with_percent), ZERO)
    percent = (
        sum((w * p for w, p in with_percent), ZERO) / percent_weight if percent_weight else None
    )
    # Only judged children count; one without data or target neither helps nor hurts.
    judged = [(s, w) for s, w, _ in counted if s in ROLLUP_SCORES]
    if not judged:
        statuses = {s for s, _, _ in counted}
        # Say why nothing can be judged, rather than leaving the parent blank.
        for waiting in (Status.NO_RECENT_DATA, Status.NOT_STARTED):
            if waiting in statuses:
                return waiting, percent
        return None, percent
    if all(s is Status.ACHIEVED for s, _ in judged):
        return Status.ACHIEVED, percent
    total = sum((w for _, w in judged), ZERO)
    score = sum((ROLLUP_SCORES[s] * w for s, w in judged), ZERO) / total
    if score >= ROLLUP_ON_TRACK:
        return Status.ON_TRACK, percent
    if score >= ROLLUP_AT_RISK:
        return Status.AT_RISK, percent
    return Status.OFF_TRACK, percent


def round_percent(value: Decimal | None, places: int = 1) -> Decimal | None:
    """A percent rounded half-up for display (50.05 → 50.1); None stays None."""
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
