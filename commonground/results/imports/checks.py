"""Checking the rows of a results import one by one: which indicator, period, partner and
breakdown cell each names, against the partnership's framework read once. Rows that share their
raw cells share the answer, so each distinct value is checked once however many rows repeat it.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from commonground.core.errors import InvalidInput
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.results import periods
from commonground.results.imports.files import FORMULA_START, STANDARD_COLUMNS, Row
from commonground.results.imports.words import words
from commonground.results.models import Dimension, Indicator, IndicatorDimension
from commonground.results.services.entry import (
    breakdown_key,
    reporting_partner,
    resolve_period,
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the file cannot be imported, at a row (as the spreadsheet numbers it) and a
    column; column is empty for a problem with the whole row."""

    row: int
    column: str
    message: str  # lazy (imports.words): rendered in the language of whoever reads it

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass(slots=True)
class Group:
    """The rows of one (indicator, period, partner): a total row and/or breakdown rows."""

    indicator: Indicator
    period: periods.Period
    partner: Partner
    total: Row | None = None
    cells: dict[str, Row] = field(default_factory=dict)
    broken: bool = False  # a row of it has a problem already: skip the checks of the whole

    def rows(self) -> list[Row]:
        rows = [self.total] if self.total else []
        return sorted([*rows, *self.cells.values()], key=lambda r: r.number)


GroupKey = tuple[int, dt.date, int]
Finding = tuple[str, str]  # (column, message)


def _fold(text: str) -> str:
    """Compare names as people type them: case, spacing and a formula-escaping quote ignored."""
    if text[:1] == "'" and text[1:2] in FORMULA_START:
        text = text[1:]
    return " ".join(text.split()).casefold()


class Framework:
    """What the rows are checked against, read in a handful of queries."""

    def __init__(self, partnership: Partnership, seat: Seat, columns: Sequence[str]) -> None:
        self.partnership = partnership
        self.seat = seat
        indicators = list(Indicator.objects.filter(partnership=partnership))
        for indicator in indicators:
            indicator.partnership = partnership  # resolve_period reads the partnership's dates
        self.indicators = {str(i.pk): i for i in indicators}
        self.by_title: dict[str, list[Indicator]] = {}
        for indicator in indicators:
            self.by_title.setdefault(_fold(indicator.title), []).append(indicator)
        dimensions = {d.pk: d for d in Dimension.objects.filter(partnership=partnership)}
        self.values = {d.name: list(d.values) for d in dimensions.values()}
        self.folded = {
            d.name: {_fold(str(v)): str(v) for v in d.values} for d in dimensions.values()
        }
        self.dims_of: dict[int, dict[str, list[str]]] = {i.pk: {} for i in indicators}
        links = IndicatorDimension.objects.filter(partnership=partnership).values_list(
            "indicator_id", "dimension_id"
        )
        for indicator_id, dimension_id in links:
            name = dimensions[dimension_id].name
            self.dims_of[indicator_id][name] = self.values[name]
        self.names_of = {pk: frozenset(dims) for pk, dims in self.dims_of.items()}
        by_folded = {_fold(name): name for name in self.values}
        self.column_dim: dict[str, str | None] = {
            column: by_folded.get(_fold(column))
            for column in columns
            if column not in STANDARD_COLUMNS
        }
        self.dim_column = {name: column for column, name in self.column_dim.items() if name}
        self.unknown_columns: set[str] = set()
        self._indicator_of: dict[tuple[str, str], Indicator | list[Finding]] = {}
        self._period_of: dict[tuple[str, str], periods.Period | list[Finding]] = {}
        self._partner_of: dict[str, Partner | list[Finding]] = {}
        partners = list(
            Partner.objects.filter(partnership=partnership).select_related("organisation")
        )
        self.partners = {_fold(p.organisation.name): p for p in partners}
        own = next((p for p in partners if p.pk == seat.partner_id), None)
        if own is not None and not Seat.partner.is_cached(seat):
            seat.partner = own  # reporting_partner reads it; spare the query

    # -- one row ---------------------------------------------------------------------------
    # Each returns what it found or the (column, message) findings against the row. Rows that
    # share their raw cells share the answer, so these run once per distinct value.

    def indicator(self, ident: str, title: str) -> Indicator | list[Finding]:
        ident = ident.strip()
        if ident:
            found = self.indicators.get(ident)
            if found is None:
                message = (
                    words(_("There is no indicator %(id)s in this partnership."), id=ident)
                    if ident.isdigit()
                    else words(
                        _("“%(id)s” is not an indicator id: give the number from the template."),
                        id=ident,
                    )
                )
                return [("indicator_id", message)]
            if title.strip() and _fold(title) != _fold(found.title):
                return [
                    (
                        "indicator",
                        words(
                            _(
                                "“%(title)s” is not the title of indicator %(id)s "
                                "(“%(actual)s”): check the id or the title."
                            ),
                            title=title,
                            id=found.pk,
                            actual=found.title,
                        ),
                    )
                ]
            return found
        matches = self.by_title.get(_fold(title), [])
        if len(matches) == 1:
            return matches[0]
        if not title.strip():
            return [("indicator_id", words(_("Give the indicator's id.")))]
        return [
            (
                "indicator",
                words(
                    _("There is no indicator titled “%(title)s” in this partnership."), title=title
                )
                if not matches
                else words(
                    _("Several indicators are titled “%(title)s”: give the indicator_id."),
                    title=title,
                ),
            )
        ]

    def period(self, indicator: Indicator, label: str) -> periods.Period | list[Finding]:
        if not label.strip():
            example = periods.period_containing(indicator.frequency, self.partnership.start_date)
            return [
                ("period", words(_("Give the period, e.g. %(example)s."), example=example.label))
            ]
        try:
            return resolve_period(indicator, label)
        except InvalidInput as error:
            return [("period", error.message)]

    def partner(self, name: str) -> Partner | list[Finding]:
        partner = None
        if name.strip():
            partner = self.partners.get(_fold(name))
            if partner is None:
                known = ", ".join(sorted(p.organisation.name for p in self.partners.values()))
                return [
                    (
                        "partner",
                        words(
                            _(
                                "“%(name)s” is not a partner of this partnership "
                                "(partners: %(known)s)."
                            ),
                            name=name,
                            known=known,
                        ),
                    )
                ]
        try:
            return reporting_partner(self.seat, partner)
        except InvalidInput as error:
            return [
                (
                    "partner",
                    words(
                        _("%(reason)s You cannot report for %(name)s."),
                        reason=error.message,
                        name=name,
                    ),
                )
            ]

    def group(self, row: Row, groups: dict[GroupKey, "Group"]) -> "Group | list[Finding]":
        """The result a row belongs to (indicator, period, partner), created on first sight."""
        indicator = self._indicator_of.get((row.indicator_id, row.indicator))
        if indicator is None:
            indicator = self.indicator(row.indicator_id, row.indicator)
            self._indicator_of[(row.indicator_id, row.indicator)] = indicator
        if isinstance(indicator, list):
            return indicator
        period = self._period_of.get((indicator.frequency, row.period))
        if period is None:
            period = self.period(indicator, row.period)
            self._period_of[(indicator.frequency, row.period)] = period
        partner = self._partner_of.get(row.partner)
        if partner is None:
            partner = self._partner_of[row.partner] = self.partner(row.partner)
        if isinstance(period, list) or isinstance(partner, list):
            return [
                *(period if isinstance(period, list) else []),
                *(partner if isinstance(partner, list) else []),
            ]
        key = (indicator.id, period.start, partner.id)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(indicator, period, partner)
        return group

    def breakdown(self, indicator: Indicator, dimensions: dict[str, str]) -> str | list[Finding]:
        """The canonical breakdown key of a row's dimension cells ("" for a total)."""
        names = self.names_of[indicator.id]
        parts: dict[str, str] = {}
        findings: list[Finding] = []
        for column, cell in dimensions.items():
            name = self.column_dim.get(column)
            if name is None:
                self.unknown_columns.add(column)
            elif name not in names:
                findings.append(
                    (
                        column,
                        words(
                            _(
                                "Indicator %(id)s is not broken down by %(name)s: leave "
                                "%(column)s empty."
                            ),
                            id=indicator.pk,
                            name=name,
                            column=column,
                        ),
                    )
                )
            elif (allowed := self.folded[name].get(_fold(cell))) is None:
                findings.append(
                    (
                        column,
                        words(
                            _("“%(value)s” is not an allowed %(name)s (allowed: %(allowed)s)."),
                            value=cell,
                            name=name,
                            allowed=", ".join(self.values[name]),
                        ),
                    )
                )
            else:
                parts[name] = allowed
        if findings:
            return findings
        if parts and len(parts) != len(names):
            missing = sorted(names - parts.keys())
            return [
                (
                    self.dim_column.get(missing[0], missing[0]),
                    words(
                        _(
                            "Give the %(missing)s too: a breakdown row fills every dimension of "
                            "its indicator (%(dimensions)s); a total row leaves them all empty."
                        ),
                        missing=", ".join(missing),
                        dimensions=", ".join(sorted(names)),
                    ),
                )
            ]
        return breakdown_key(parts) if parts else ""


def read_rows(
    framework: Framework, rows: Sequence[Row], problems: list[Problem]
) -> tuple[dict[GroupKey, Group], int]:
    """Check each row on its own and gather the rows of each result; count blank rows."""
    add = problems.append
    groups: dict[GroupKey, Group] = {}
    group_of: dict[tuple[str, str, str, str], Group | list[Finding]] = {}
    cell_of: dict[tuple[int, tuple[tuple[str, str], ...]], str | list[Finding]] = {}
    blank = 0
    for row in rows:
        value = row.value
        if not row.text_value and (value == "" or value is None):
            blank += 1
            continue
        head = (row.indicator_id, row.indicator, row.period, row.partner)
        group = group_of.get(head)
        if group is None:
            group = group_of[head] = framework.group(row, groups)
        if isinstance(group, list):
            for column, message in group:
                add(Problem(row.number, column, message))
            continue
        cell = ""
        if row.dimensions:
            signature = (group.indicator.id, tuple(row.dimensions.items()))
            found = cell_of.get(signature)
            if found is None:
                found = cell_of[signature] = framework.breakdown(group.indicator, row.dimensions)
            if isinstance(found, list):
                for column, message in found:
                    add(Problem(row.number, column, message))
                group.broken = True
                continue
            cell = found
        if cell and row.text_value.strip():
            add(
                Problem(
                    row.number,
                    "text_value",
                    words(_("A breakdown row takes a number in value: leave text_value empty.")),
                )
            )
            group.broken = True
            continue
        first = group.cells.get(cell) if cell else group.total
        if first is not None:
            if cell:
                message = words(
                    _(
                        "Repeats row %(row)s: the same indicator, period, partner and breakdown "
                        "%(cell)s. Keep one of them."
                    ),
                    row=first.number,
                    cell=cell,
                )
            else:
                message = words(
                    _(
                        "Repeats row %(row)s: the same indicator, period, partner and total. "
                        "Keep one of them."
                    ),
                    row=first.number,
                )
            add(Problem(row.number, "", message))
            group.broken = True
            continue
        if cell:
            group.cells[cell] = row
        else:
            group.total = row
    return groups, blank
