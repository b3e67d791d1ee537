from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commonground.results.periods import (
    Frequency,
    Period,
    PeriodError,
    next_period,
    parse_period,
    period_containing,
    period_for_dates,
    periods_between,
    previous,
    shift,
)

frequencies = st.sampled_from(list(Frequency))
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))


@given(frequencies, days)
def test_period_containing_a_day_contains_it(frequency, day):
    period = period_containing(frequency, day)
    assert period.start <= day <= period.end
    assert day in period
    assert period.frequency is frequency


@given(frequencies, days)
def test_consecutive_periods_tile_without_gaps_or_overlaps(frequency, day):
    period = period_containing(frequency, day)
    following = next_period(period)
    assert following.start == period.end + timedelta(days=1)
    assert previous(following) == period
    assert previous(period).end == period.start - timedelta(days=1)
    assert following.frequency is period.frequency


@given(frequencies, days, st.integers(min_value=-40, max_value=40))
def test_shift_steps_whole_periods(frequency, day, count):
    period = period_containing(frequency, day)
    shifted = shift(period, count)
    assert shift(shifted, -count) == period
    assert (shifted > period) == (count > 0)


@given(frequencies, days)
def test_labels_round_trip(frequency, day):
    period = period_containing(frequency, day)
    assert parse_period(period.label) == period
    assert parse_period(period.label, frequency) == period
    assert parse_period(period.label.lower()) == period
    assert str(period) == period.label


@given(frequencies, days)
def test_period_for_dates_accepts_exactly_one_period(frequency, day):
    period = period_containing(frequency, day)
    assert period_for_dates(frequency, period.start, period.end) == period
    with pytest.raises(PeriodError):
        period_for_dates(frequency, period.start, period.end - timedelta(days=1))
    with pytest.raises(PeriodError):
        period_for_dates(frequency, period.start + timedelta(days=1), period.end)


@given(frequencies, days, st.integers(min_value=0, max_value=2000))
def test_periods_between_cover_the_range_and_stop_at_its_end(frequency, start, length):
    end = start + timedelta(days=length)
    periods = periods_between(frequency, start, end)
    assert periods[0].start <= start <= periods[0].end
    assert periods[-1].start <= end <= periods[-1].end
    for earlier, later in pairwise(periods):
        assert later == next_period(earlier)


def test_periods_between_a_partnerships_dates():
    periods = periods_between("quarterly", date(2024, 4, 15), date(2026, 3, 31))
    assert [p.label for p in periods] == [
        "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1",
    ]  # fmt: skip


def test_periods_between_an_empty_range_is_empty():
    assert periods_between("monthly", date(2025, 2, 1), date(2025, 1, 31)) == []


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2000-02", date(2000, 2, 1), date(2000, 2, 29)),  # divisible by 400: leap
        ("2100-02", date(2100, 2, 1), date(2100, 2, 28)),  # divisible by 100: not
        ("2025-04", date(2025, 4, 1), date(2025, 4, 30)),
        ("2025-12", date(2025, 12, 1), date(2025, 12, 31)),
        ("2025-Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2025-Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("2025-H1", date(2025, 1, 1), date(2025, 6, 30)),
        ("2025-h2", date(2025, 7, 1), date(2025, 12, 31)),
        ("2025-q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_parse_period(label, start, end):
    assert parse_period(label) == Period(start, end)


@pytest.mark.parametrize(
    ("label", "frequency", "message"),
    [
        ("2025-Q5", "quarterly", "“2025-Q5” is not a period: use 2025-Q1 … 2025-Q4 for a"),
        ("2025-13", None, "use 2025-01 … 2025-12 for a monthly indicator"),
        ("2025-H3", None, "use 2025-H1 or 2025-H2 for a semi-annual indicator"),
        ("Q1 2024", "quarterly", "use 2024-Q1 … 2024-Q4 for a quarterly indicator"),
        ("2025-01-01", None, "use 2025-03 for a month, 2025-Q1 for a quarter"),
        ("", None, "is not a period"),
        ("0000", None, "years run from 0001 to 9999"),
    ],
)
def test_malformed_labels_are_rejected_with_the_expected_form(label, frequency, message):
    with pytest.raises(PeriodError) as error:
        parse_period(label, frequency)
    assert message in str(error.value)


@pytest.mark.parametrize(
    ("label", "frequency", "message"),
    [
        ("2025-03", "quarterly", "“2025-03” is a monthly period, but this indicator is reported"
         " quarterly (e.g. 2025-Q1)"),
        ("2025-Q3", "semiannual", "is a quarterly period, but this indicator is reported"
         " semi-annually (e.g. 2025-H2)"),
        ("2025", "monthly", "is an annual period, but this indicator is reported monthly"
         " (e.g. 2025-01)"),
        ("2025-H1", "annual", "is a semi-annual period, but this indicator is reported annually"
         " (e.g. 2025)"),
    ],
)  # fmt: skip
def test_labels_of_the_wrong_frequency_name_the_expected_form(label, frequency, message):
    with pytest.raises(PeriodError) as error:
        parse_period(label, frequency)
    assert message in str(error.value)


@given(frequencies, frequencies, days)
def test_labels_of_another_frequency_are_rejected(frequency, expected, day):
    label = period_containing(frequency, day).label
    if frequency is expected:
        assert parse_period(label, expected).frequency is expected
    else:
        with pytest.raises(PeriodError, match="but this indicator is reported"):
            parse_period(label, expected)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 1, 2), date(2025, 1, 31)),  # not the first of a month
        (date(2025, 1, 1), date(2025, 1, 30)),  # not the last of a month
        (date(2025, 2, 1), date(2025, 4, 30)),  # three months, but not a calendar quarter
        (date(2025, 1, 1), date(2025, 2, 28)),  # two months: no such frequency
    ],
)
def test_only_calendar_aligned_periods_exist(start, end):
    with pytest.raises(PeriodError):
        Period(start, end)


def test_periods_at_the_ends_of_the_calendar():
    with pytest.raises(PeriodError):
        next_period(parse_period("9999"))
    with pytest.raises(PeriodError):
        previous(parse_period("0001-01"))
