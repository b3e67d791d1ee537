"""Reporting periods: calendar-aligned months, quarters, half-years and years (as in DHIS2).

A period covers whole calendar months, start and end inclusive, and is named by its label:
"2025-03" (monthly), "2025-Q1" (quarterly), "2025-H1" (semi-annual), "2025" (annual). Periods are
aligned to the calendar, never to a partnership's start date, so every partner and every indicator
of the same frequency reports on the same intervals and their results can be combined.

Pure module: no models, no database.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class PeriodError(ValueError):
    """A label or pair of dates that is not a reporting period; the message is meant for people."""


class Frequency(StrEnum):
    """How often an indicator is reported; the values are those stored by the models."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"


# Months per period. Each divides 12, so periods tile every year exactly.
FREQUENCY_MONTHS: dict[Frequency, int] = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.SEMIANNUAL: 6,
    Frequency.ANNUAL: 12,
}
_BY_MONTHS = {months: frequency for frequency, months in FREQUENCY_MONTHS.items()}

# Messages name the frequency in whole sentences (word order and agreement differ by language).
_A_PERIOD = {
    Frequency.MONTHLY: _("a monthly period"),
    Frequency.QUARTERLY: _("a quarterly period"),
    Frequency.SEMIANNUAL: _("a semi-annual period"),
    Frequency.ANNUAL: _("an annual period"),
}
# How often an indicator is reported, as the end of "this indicator is reported …".
REPORTED = {
    Frequency.MONTHLY: _("monthly"),
    Frequency.QUARTERLY: _("quarterly"),
    Frequency.SEMIANNUAL: _("semi-annually"),
    Frequency.ANNUAL: _("annually"),
}
_NOT_OF_FREQUENCY = {
    Frequency.MONTHLY: _(
        "%(start)s to %(end)s is not a monthly period: monthly periods run e.g. from "
        "%(example_start)s to %(example_end)s (%(example)s)."
    ),
    Frequency.QUARTERLY: _(
        "%(start)s to %(end)s is not a quarterly period: quarterly periods run e.g. from "
        "%(example_start)s to %(example_end)s (%(example)s)."
    ),
    Frequency.SEMIANNUAL: _(
        "%(start)s to %(end)s is not a semi-annual period: semi-annual periods run e.g. from "
        "%(example_start)s to %(example_end)s (%(example)s)."
    ),
    Frequency.ANNUAL: _(
        "%(start)s to %(end)s is not an annual period: annual periods run e.g. from "
        "%(example_start)s to %(example_end)s (%(example)s)."
    ),
}
_USE_FORMS = {
    Frequency.MONTHLY: _(
        "“%(label)s” is not a period: use %(year)s-01 … %(year)s-12 for a monthly indicator."
    ),
    Frequency.QUARTERLY: _(
        "“%(label)s” is not a period: use %(year)s-Q1 … %(year)s-Q4 for a quarterly indicator."
    ),
    Frequency.SEMIANNUAL: _(
        "“%(label)s” is not a period: use %(year)s-H1 or %(year)s-H2 for a semi-annual indicator."
    ),
    Frequency.ANNUAL: _("“%(label)s” is not a period: use %(year)s for an annual indicator."),
}

_LABEL = re.compile(
    r"(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|(?P<kind>[QqHh])(?P<number>\d{1,2})))?"
)
_EXAMPLE_YEAR = 2025


def _month_index(day: date) -> int:
    """Months since year 0, so that stepping by whole periods is integer arithmetic."""
    return day.year * 12 + day.month - 1


def _month_start(index: int) -> date:
    year, month0 = divmod(index, 12)
    if not 1 <= year <= 9999:
        raise PeriodError(_("Periods run from the year 0001 to the year 9999."))
    return date(year, month0 + 1, 1)


def _month_end(index: int) -> date:
    start = _month_start(index)
    # monthrange knows leap years: February 2024 has 29 days, February 2023 has 28.
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: whole calendar months from `start` to `end`, both inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        # Only calendar-aligned periods exist, so a Period can never hold arbitrary dates.
        months = _month_index(self.end) - _month_index(self.start) + 1
        if (
            self.start.day != 1
            or self.end != _month_end(_month_index(self.end))
            or months not in _BY_MONTHS
            or (self.start.month - 1) % months
        ):
            raise PeriodError(
                _(
                    "%(start)s to %(end)s is not a reporting period: periods are calendar "
                    "months, quarters, half-years or years."
                )
                % {"start": self.start.isoformat(), "end": self.end.isoformat()}
            )

    @property
    def frequency(self) -> Frequency:
        """The frequency this period belongs to, from its length in months."""
        return _BY_MONTHS[_month_index(self.end) - _month_index(self.start) + 1]

    @property
    def label(self) -> str:
        """The period's name: "2025-03", "2025-Q1", "2025-H1" or "2025"."""
        year = f"{self.start.year:04d}"
        frequency = self.frequency
        if frequency is Frequency.MONTHLY:
            return f"{year}-{self.start.month:02d}"
        if frequency is Frequency.ANNUAL:
            return year
        number = (self.start.month - 1) // FREQUENCY_MONTHS[frequency] + 1
        return f"{year}-{'Q' if frequency is Frequency.QUARTERLY else 'H'}{number}"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def period_containing(frequency: Frequency | str, day: date) -> Period:
    """The period of this frequency that contains `day`."""
    months = FREQUENCY_MONTHS[Frequency(frequency)]
    first = _month_index(day) // months * months  # years are multiples of 12, so this aligns
    return Period(_month_start(first), _month_end(first + months - 1))


def shift(period: Period, count: int) -> Period:
    """The period `count` periods after (negative: before) `period`, of the same frequency."""
    months = FREQUENCY_MONTHS[period.frequency]
    first = _month_index(period.start) + count * months
    return Period(_month_start(first), _month_end(first + months - 1))


def next_period(period: Period) -> Period:
    """The period right after `period`; it starts the day after `period` ends."""
    return shift(period, 1)


def previous(period: Period) -> Period:
    """The period right before `period`; it ends the day before `period` starts."""
    return shift(period, -1)


def periods_between(frequency: Frequency | str, start: date, end: date) -> list[Period]:
    """Every period of this frequency that overlaps [start, end], in order; [] if start > end."""
    # Overlap, not containment: a partnership starting mid-quarter still reports that quarter.
    if start > end:
        return []
    period = period_containing(frequency, start)
    last = period_containing(frequency, end)
    periods = [period]
    while period != last:
        period = next_period(period)
        periods.append(period)
    return periods


def period_for_dates(frequency: Frequency | str, start: date, end: date) -> Period:
    """The period of this frequency running exactly from `start` to `end`, or PeriodError."""
    frequency = Frequency(frequency)
    period = period_containing(frequency, start)
    if period.start != start or period.end != end:
        raise PeriodError(
            _NOT_OF_FREQUENCY[frequency]
            % {
                "start": start.isoformat(),
                "end": end.isoformat(),
                "example_start": period.start.isoformat(),
                "example_end": period.end.isoformat(),
                "example": period.label,
            }
        )
    return period


def _not_a_period(label: str, frequency: Frequency | None, year: int) -> PeriodError:
    y = f"{year:04d}"
    if frequency is None:
        return PeriodError(
            _(
                "“%(label)s” is not a period: use %(year)s-03 for a month, %(year)s-Q1 for a "
                "quarter, %(year)s-H1 for a half-year or %(year)s for a year."
            )
            % {"label": label, "year": y}
        )
    return PeriodError(_USE_FORMS[frequency] % {"label": label, "year": y})


def parse_period(label: str, frequency: Frequency | str | None = None) -> Period:
    """The period named by `label`; PeriodError if malformed or not of `frequency` (when given)."""
    expected = Frequency(frequency) if frequency is not None else None
    text = label.strip()
    match = _LABEL.fullmatch(text)
    if match is None:
        # Reuse a year the person typed ("Q1 2025") so the suggestion reads as a correction.
        found = re.search(r"\d{4}", text)
        raise _not_a_period(text, expected, int(found[0]) if found else _EXAMPLE_YEAR)
    year = int(match["year"])
    if year == 0:
        raise PeriodError(
            _("“%(label)s” is not a period: years run from 0001 to 9999.") % {"label": text}
        )
    if match["month"] is not None:
        parsed_frequency, number = Frequency.MONTHLY, int(match["month"])
    elif match["kind"] is not None:
        quarterly = match["kind"].upper() == "Q"
        parsed_frequency = Frequency.QUARTERLY if quarterly else Frequency.SEMIANNUAL
        number = int(match["number"])
    else:
        parsed_frequency, number = Frequency.ANNUAL, 1
    months = FREQUENCY_MONTHS[parsed_frequency]
    if not 1 <= number <= 12 // months:
        raise _not_a_period(text, expected or parsed_frequency, year)
    first_month = (number - 1) * months + 1
    period = period_containing(parsed_frequency, date(year, first_month, 1))
    if expected is not None and parsed_frequency is not expected:
        # Suggest the period of the right frequency that contains the one typed.
        example = period_containing(expected, period.start).label
        raise PeriodError(
            _(
                "“%(label)s” is %(kind)s, but this indicator is reported %(frequency)s "
                "(e.g. %(example)s)."
            )
            % {
                "label": text,
                "kind": _A_PERIOD[parsed_frequency],
                "frequency": REPORTED[expected],
                "example": example,
            }
        )
    return period
