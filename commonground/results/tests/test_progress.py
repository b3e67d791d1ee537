from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from commonground.results.periods import Frequency, period_containing, periods_between, shift
from commonground.results.progress import (
    STATUS_LABELS,
    Aggregation,
    Direction,
    Status,
    Thresholds,
    combine_reports,
    expected_value,
    percent_of_target,
    rollup,
    round_percent,
    status,
    value_to_date,
)

D = Decimal
ZERO = D(0)
numbers = st.decimals(min_value=-(10**6), max_value=10**6, places=2)
amounts = st.decimals(min_value=0, max_value=10**6, places=2)
rates = st.decimals(min_value=0, max_value=100, places=2)
directions = st.sampled_from(list(Direction))
frequencies = st.sampled_from(list(Frequency))
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


# Percent of target


@given(numbers, st.none() | numbers, numbers, directions)
def test_percent_of_target_is_between_0_and_100_when_bounded(current, baseline, target, direction):
    percent = percent_of_target(current, baseline, target, direction)
    assert percent is not None
    assert D(0) <= percent <= D(100)


def percent(current, baseline, target, direction, **kwargs) -> Decimal:
    result = percent_of_target(current, baseline, target, direction, **kwargs)
    assert result is not None
    return result


@given(numbers, numbers, st.none() | numbers, numbers, st.booleans())
def test_a_larger_value_never_lowers_the_percent_of_an_increasing_indicator(
    a, b, baseline, target, bounded
):
    low, high = sorted([a, b])
    assert percent(low, baseline, target, "increase", bounded=bounded) <= percent(
        high, baseline, target, "increase", bounded=bounded
    )


@given(numbers, numbers, st.none() | numbers, numbers, st.booleans())
def test_a_smaller_value_never_lowers_the_percent_of_a_decreasing_indicator(
    a, b, baseline, target, bounded
):
    low, high = sorted([a, b])
    assert percent(low, baseline, target, "decrease", bounded=bounded) >= percent(
        high, baseline, target, "decrease", bounded=bounded
    )


@given(st.none() | numbers, numbers, directions, st.booleans())
def test_reaching_the_target_gives_100(baseline, target, direction, bounded):
    assert percent_of_target(target, baseline, target, direction, bounded=bounded) == D(100)


@given(numbers, numbers, numbers)
def test_holding_closer_to_a_maintain_target_never_lowers_the_percent(a, b, target):
    closer, farther = sorted([a, b], key=lambda value: abs(value - target))
    assert percent(closer, None, target, "maintain") >= percent(farther, None, target, "maintain")


def test_unemployment_falling_from_12_to_10_towards_8_is_half_way():
    assert percent_of_target(D(10), D(12), D(8), Direction.DECREASE) == D(50)


def test_percent_of_target_examples():
    assert percent_of_target(D(50), None, D(200), "increase") == D(25)  # no baseline means 0
    assert percent_of_target(D(300), D(0), D(200), "increase") == D(100)
    assert percent_of_target(D(300), D(0), D(200), "increase", bounded=False) == D(150)
    assert percent_of_target(D(-10), D(0), D(200), "increase") == D(0)
    assert percent_of_target(D(-10), D(0), D(200), "increase", bounded=False) == D(-5)
    assert percent_of_target(D(14), D(12), D(8), "decrease") == D(0)  # the wrong way
    assert percent_of_target(None, D(0), D(10), "increase") is None
    assert percent_of_target(D(5), D(0), None, "increase") is None


def test_a_target_equal_to_the_baseline_is_met_or_not():
    assert percent_of_target(D(10), D(10), D(10), "increase") == D(100)
    assert percent_of_target(D(11), D(10), D(10), "increase") == D(100)
    assert percent_of_target(D(9), D(10), D(10), "increase") == D(0)
    assert percent_of_target(D(9), D(10), D(10), "decrease") == D(100)
    assert percent_of_target(D(11), D(10), D(10), "decrease") == D(0)


def test_maintain_is_100_within_tolerance_and_falls_to_0_at_twice_it():
    assert percent_of_target(D(95), D(80), D(100), "maintain") == D(100)
    assert percent_of_target(D(105), D(80), D(100), "maintain") == D(100)
    assert percent_of_target(D("107.5"), D(80), D(100), "maintain") == D(50)
    assert percent_of_target(D(90), D(80), D(100), "maintain") == D(0)
    assert percent_of_target(D(89), D(80), D(100), "maintain") == D(0)
    assert percent_of_target(D(89), D(80), D(100), "maintain", tolerance=D("0.2")) == D(100)


# Combining partners' reports and values over time


@given(st.lists(rates, min_size=1), st.sampled_from(list(Aggregation)))
def test_combining_reports_never_adds_percentages(values, aggregation):
    combined = combine_reports(values, aggregation, is_percentage=True)
    assert min(values) <= combined <= max(values)


@given(st.lists(amounts, min_size=1), st.sampled_from([Aggregation.SUM, Aggregation.LATEST]))
def test_counts_reported_by_several_partners_add_up(values, aggregation):
    assert combine_reports(values, aggregation, is_percentage=False) == sum(values)


def test_combine_reports_examples():
    assert combine_reports([D(10), D(20), D(30)], "latest", is_percentage=False) == D(60)
    assert combine_reports([D(80), D(90)], "sum", is_percentage=True) == D(85)
    assert combine_reports([D(10), D(20)], "average", is_percentage=False) == D(15)
    assert combine_reports([D(10), D(20)], "maximum", is_percentage=False) == D(20)
    assert combine_reports([], "sum", is_percentage=False) is None


@st.composite
def split_series(draw):
    """Values reported over time, split into consecutive monthly periods."""
    values = draw(st.lists(amounts, min_size=1, max_size=30))
    cuts = sorted(draw(st.sets(st.integers(1, len(values) - 1))) if len(values) > 1 else set())
    bounds = [0, *cuts, len(values)]
    chunks = [values[a:b] for a, b in pairwise(bounds)]
    periods = periods_between("monthly", date(2025, 1, 1), date(2030, 12, 31))[: len(chunks)]
    return values, list(zip(periods, chunks, strict=True))


@given(split_series())
def test_period_sums_equal_the_total(series):
    values, chunks = series
    per_period = [(period, combine_reports(chunk, "sum", False)) for period, chunk in chunks]
    assert value_to_date(per_period, "sum") == sum(values)


@given(st.lists(amounts, min_size=1, max_size=20), st.randoms(use_true_random=False))
def test_a_latest_value_indicator_is_never_summed(values, random):
    periods = periods_between("quarterly", date(2025, 1, 1), date(2040, 12, 31))[: len(values)]
    series = list(zip(periods, values, strict=True))
    random.shuffle(series)  # order of the rows does not matter, only the periods' dates
    assert value_to_date(series, "latest") == values[-1]
    if any(values[:-1]):
        assert value_to_date(series, "latest") != value_to_date(series, "sum")


@given(st.lists(amounts, min_size=1, max_size=20))
def test_average_and_maximum_over_periods(values):
    series = [(date(2025, 1, 1) + timedelta(days=i), v) for i, v in enumerate(values)]
    assert value_to_date(series, "maximum") == max(values)
    assert min(values) <= value_to_date(series, "average") <= max(values)


def test_value_to_date_examples():
    q1, q2 = (
        period_containing("quarterly", date(2025, 1, 1)),
        period_containing("quarterly", date(2025, 4, 1)),
    )
    assert value_to_date([(q2, D(7)), (q1, D(5))], "latest") == D(7)
    assert value_to_date([(q1, D(5)), (q2, D(7))], "average") == D(6)
    assert value_to_date([], "sum") is None


# Expected value


@given(numbers, numbers, days, st.integers(1, 3000), days, days)
def test_expected_value_is_monotone_and_clamped(baseline, target, start, length, a, b):
    end = start + timedelta(days=length)
    early, late = sorted([a, b])
    at_early = expected_value(baseline, start, target, end, early)
    at_late = expected_value(baseline, start, target, end, late)
    assert at_early is not None
    assert at_late is not None
    low, high = sorted([baseline, target])
    assert low <= at_early <= high
    if target >= baseline:
        assert at_early <= at_late
    else:
        assert at_early >= at_late
    if early <= start:
        assert at_early == baseline
    if late >= end:
        assert at_late == target


def test_expected_value_examples():
    start, end = date(2025, 1, 1), date(2025, 1, 11)
    assert expected_value(D(0), start, D(100), end, date(2025, 1, 6)) == D(50)
    assert expected_value(None, start, D(100), end, date(2025, 1, 6)) == D(50)
    assert expected_value(D(12), start, D(8), end, date(2025, 1, 6)) == D(10)
    assert expected_value(D(0), start, None, end, date(2025, 1, 6)) is None
    assert expected_value(D(0), start, D(100), None, date(2025, 1, 6)) is None
    assert expected_value(D(0), None, D(100), end, date(2025, 1, 6)) is None


# Status


def judge(**overrides):
    arguments = {
        "current": D(50),
        "baseline": D(0),
        "baseline_date": date(2025, 1, 1),
        "target": D(100),
        "target_date": date(2025, 1, 1) + timedelta(days=100),
        "direction": Direction.INCREASE,
        "today": date(2025, 1, 1) + timedelta(days=50),
        "last_period_end": date(2025, 1, 31),
        "frequency": Frequency.MONTHLY,
        "thresholds": Thresholds(),
    }
    return status(**(arguments | overrides))


@st.composite
def exact_progress(draw):
    """An indicator half-way through its plan, where expected progress is an exact number."""
    direction = draw(st.sampled_from([Direction.INCREASE, Direction.DECREASE]))
    sign = 1 if direction is Direction.INCREASE else -1
    baseline = draw(numbers)
    step = draw(st.decimals(min_value=D("0.01"), max_value=100, places=2))
    total = draw(st.integers(2, 2000))
    elapsed = draw(st.integers(1, total - 1))
    start = draw(days)
    thresholds = draw(
        st.tuples(
            st.decimals(min_value=D("0.05"), max_value=1, places=2),
            st.decimals(min_value=D("0.01"), max_value=1, places=2),
        ).map(lambda pair: Thresholds(on_track=max(pair), at_risk=min(pair)))
    )
    return {
        "baseline": baseline,
        "baseline_date": start,
        "target": baseline + sign * step * total,
        "target_date": start + timedelta(days=total),
        "direction": direction,
        "today": start + timedelta(days=elapsed),
        "last_period_end": start + timedelta(days=elapsed),  # reported recently
        "frequency": Frequency.ANNUAL,
        "thresholds": thresholds,
        # What is left to the test: current = baseline + sign * progress.
        "expected_progress": step * elapsed,
        "sign": sign,
    }


def at_ratio(case, ratio, nudge=ZERO):
    """The status when progress is `ratio` of the expected progress, less `nudge`."""
    case = dict(case)
    progress = case.pop("expected_progress") * ratio - nudge
    sign = case.pop("sign")
    return status(current=case["baseline"] + sign * progress, **case)


TINY = D("0.0001")


@given(exact_progress())
def test_on_track_threshold_edge(case):
    on_track = case["thresholds"].on_track
    assert at_ratio(case, on_track) is Status.ON_TRACK
    below = at_ratio(case, on_track, TINY)
    expected = Status.AT_RISK if on_track > case["thresholds"].at_risk else Status.OFF_TRACK
    assert below is expected


@given(exact_progress())
def test_at_risk_threshold_edge(case):
    thresholds = case["thresholds"]
    assume(thresholds.at_risk < thresholds.on_track)
    assert at_ratio(case, thresholds.at_risk) is Status.AT_RISK
    assert at_ratio(case, thresholds.at_risk, TINY) is Status.OFF_TRACK


def test_default_thresholds_at_their_edges():
    # Half-way through the plan 50 is expected: 45 is 90 %, 35 is 70 %.
    assert judge(current=D(45)) is Status.ON_TRACK
    assert judge(current=D("44.99")) is Status.AT_RISK
    assert judge(current=D(35)) is Status.AT_RISK
    assert judge(current=D("34.99")) is Status.OFF_TRACK
    assert judge(current=D(100)) is Status.ACHIEVED


@given(frequencies, days, st.integers(1, 6))
def test_stale_data_edge(frequency, day, stale_periods):
    last = period_containing(frequency, day)
    deadline = shift(last, stale_periods).end
    kwargs = {
        "last_period_end": last.end,
        "frequency": frequency,
        "thresholds": Thresholds(stale_periods=stale_periods),
        "baseline_date": last.start,
        "target_date": deadline + timedelta(days=3650),
    }
    assert judge(today=deadline, **kwargs) is not Status.NO_RECENT_DATA
    assert judge(today=deadline + timedelta(days=1), **kwargs) is Status.NO_RECENT_DATA


def test_stale_data_example():
    # Quarterly, last reported Q1 2025: Q2 and Q3 pass without a result, stale from 1 October.
    kwargs = {
        "frequency": "quarterly",
        "last_period_end": date(2025, 3, 31),
        "target_date": date(2030, 1, 1),
    }
    assert judge(today=date(2025, 9, 30), **kwargs) is not Status.NO_RECENT_DATA
    assert judge(today=date(2025, 10, 1), **kwargs) is Status.NO_RECENT_DATA


def test_status_rules():
    assert judge(current=None) is Status.NOT_STARTED
    assert judge(current=None, target=None) is Status.NOT_STARTED
    assert judge(target=None) is None  # no target: progress cannot be judged
    assert judge(target_date=None) is None
    assert judge(last_period_end=None) is Status.ON_TRACK
    # An achieved target stays achieved, even when nobody reports any more.
    assert judge(current=D(100), today=date(2030, 1, 1)) is Status.ACHIEVED
    # At the very start nothing is expected yet.
    assert judge(current=D(0), today=date(2025, 1, 1)) is Status.ON_TRACK
    assert judge(direction="decrease", baseline=D(12), target=D(8), current=D(10)) is (
        Status.ON_TRACK
    )
    assert judge(direction="decrease", baseline=D(12), target=D(8), current=D(13)) is (
        Status.OFF_TRACK
    )
    # A target equal to the baseline not met yet is off track.
    assert judge(baseline=D(100), current=D(90)) is Status.OFF_TRACK


def test_maintain_holds_its_target_or_not():
    assert judge(direction="maintain", current=D(96)) is Status.ON_TRACK
    assert judge(direction="maintain", current=D(94)) is Status.OFF_TRACK
    assert judge(direction="maintain", current=D(100), target_date=None) is Status.ON_TRACK
    thresholds = Thresholds(maintain_tolerance=D("0.1"))
    assert judge(direction="maintain", current=D(91), thresholds=thresholds) is Status.ON_TRACK


def test_thresholds_are_checked():
    with pytest.raises(ValueError, match="at_risk"):
        Thresholds(on_track=D("0.5"), at_risk=D("0.7"))
    with pytest.raises(ValueError, match="stale_periods"):
        Thresholds(stale_periods=0)


def test_every_status_has_a_label():
    assert set(STATUS_LABELS) == set(Status)
    assert STATUS_LABELS[Status.NO_RECENT_DATA] == "No recent data"


# Rollup

JUDGED = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]
judged_statuses = st.sampled_from(JUDGED)
children = st.lists(
    st.tuples(
        st.none() | st.sampled_from(list(Status)),
        st.decimals(min_value=0, max_value=10, places=1),
        st.none() | rates,
    ),
    max_size=12,
)


@given(children)
def test_rollup_percent_is_a_weighted_mean_of_the_childrens(items):
    status_, percent = rollup(items)
    counted = [p for _, w, p in items if w > 0 and p is not None]
    if counted:
        assert min(counted) <= percent <= max(counted)
    else:
        assert percent is None
    if not any(w > 0 and s in JUDGED for s, w, _ in items):
        assert status_ in {None, Status.NOT_STARTED, Status.NO_RECENT_DATA}


@given(st.lists(st.decimals(min_value=D("0.1"), max_value=10, places=1), min_size=1))
def test_rollup_of_achieved_children_is_achieved(weights):
    assert rollup([(Status.ACHIEVED, w, D(100)) for w in weights]) == (Status.ACHIEVED, D(100))


@given(st.lists(st.tuples(judged_statuses, st.decimals(min_value=1, max_value=10, places=1))))
def test_a_worse_child_never_improves_the_rollup(items):
    order = [Status.OFF_TRACK, Status.AT_RISK, Status.ON_TRACK, Status.ACHIEVED]
    before, _ = rollup([(s, w, None) for s, w in items])
    after, _ = rollup([*((s, w, None) for s, w in items), (Status.OFF_TRACK, D(1), None)])
    assert after is not None
    assert before is None or order.index(after) <= order.index(before)


def test_rollup_examples():
    assert rollup([]) == (None, None)
    assert rollup([(Status.ON_TRACK, D(1), D(60)), (Status.ACHIEVED, D(3), D(100))]) == (
        Status.ON_TRACK,
        D(90),
    )
    # Scores 1, 1, 0.5, 0 over four equal weights: 0.625, at risk.
    four = [Status.ACHIEVED, Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK]
    assert rollup([(s, D(1), None) for s in four]) == (Status.AT_RISK, None)
    assert rollup([(Status.OFF_TRACK, D(2), None), (Status.ON_TRACK, D(1), None)])[0] is (
        Status.OFF_TRACK
    )
    # Children without data or target neither help nor hurt.
    assert rollup([(Status.AT_RISK, D(1), None), (None, D(5), None)])[0] is Status.AT_RISK
    assert rollup([(Status.NOT_STARTED, D(1), None), (None, D(1), None)])[0] is (Status.NOT_STARTED)
    assert rollup([(Status.NOT_STARTED, D(1), None), (Status.NO_RECENT_DATA, D(1), None)])[0] is (
        Status.NO_RECENT_DATA
    )
    assert rollup([(None, D(1), D(40))]) == (None, D(40))
    # A weight of 0 leaves a child out.
    assert rollup([(Status.OFF_TRACK, D(0), D(0)), (Status.ON_TRACK, D(1), D(80))]) == (
        Status.ON_TRACK,
        D(80),
    )
    with pytest.raises(ValueError, match="negative"):
        rollup([(Status.ON_TRACK, D(-1), None)])


def test_round_percent():
    assert round_percent(D("50.05")) == D("50.1")
    assert round_percent(D("66.66666")) == D("66.7")
    assert round_percent(D(100), places=2) == D("100.00")
    assert round_percent(None) is None
