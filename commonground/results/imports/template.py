"""The results import template: a partnership's (or one indicator's) indicators with a row per
open period, ready to fill in and import.

Columns: indicator_id, indicator, period, partner, value, text_value, one per dimension, note.
A row is a total (dimension columns empty) or one breakdown cell (every dimension of its
indicator filled). Rows left without a value are ignored on import. The CSV explains itself in
comment rows starting with "#"; the workbook on a second sheet.
"""

import csv
import datetime as dt
import io
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commonground.partnerships.models import Partner, Partnership
from commonground.results import periods
from commonground.results.imports.files import FORMULA_START
from commonground.results.models import Dimension, Indicator, Result, ResultStatus
from commonground.results.services.entry import breakdown_key

# Beyond this many combinations an indicator gets only its total row prefilled.
MAX_PREFILLED_CELLS = 60
_FREQUENCY_EXAMPLES = {
    "monthly": gettext_lazy("2025-03 (a month)"),
    "quarterly": "2025-Q1 … 2025-Q4",
    "semiannual": gettext_lazy("2025-H1 or 2025-H2"),
    "annual": "2025",
}


@dataclass
class Template:
    columns: list[str]
    rows: list[list[object]]
    help: list[str]


def _safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (the import reads the quote back off)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _indicators(partnership: Partnership, indicator: Indicator | None) -> list[Indicator]:
    queryset = Indicator.objects.filter(partnership=partnership)
    if indicator is not None:
        queryset = queryset.filter(pk=indicator.pk)
    return list(
        queryset.prefetch_related("dimensions").order_by("objective__position", "position", "pk")
    )


def _open_periods(
    indicator: Indicator, partnership: Partnership, today: dt.date
) -> list[periods.Period]:
    """Periods of the partnership that have begun by today."""
    end = min(today, partnership.end_date) if partnership.end_date else today
    return periods.periods_between(
        periods.Frequency(indicator.frequency), partnership.start_date, end
    )


def build_template(
    partnership: Partnership,
    indicator: Indicator | None = None,
    *,
    partner: Partner | None = None,
    today: dt.date | None = None,
) -> Template:
    """The template's columns, prefilled rows and explanations.

    With `partner`, rows are prefilled with its name and its draft values, and periods whose
    result it has already submitted or had approved are left out.
    """
    today = today or timezone.localdate()
    indicators = _indicators(partnership, indicator)
    dimensions = {d.name: d for i in indicators for d in i.dimensions.all()}
    names = sorted(dimensions)
    columns = [
        "indicator_id",
        "indicator",
        "period",
        "partner",
        "value",
        "text_value",
        *names,
        "note",
    ]
    reported: dict[tuple[int, dt.date], Result] = {}
    if partner is not None:
        results = Result.objects.filter(
            partnership=partnership, partner=partner, indicator__in=indicators
        ).prefetch_related("breakdown")
        reported = {(r.indicator_id, r.period_start): r for r in results}
    partner_name = _safe(partner.organisation.name) if partner else ""
    rows: list[list[object]] = []
    for item in indicators:
        own = sorted(d.name for d in item.dimensions.all())
        cells = list(
            itertools.product(*(dimensions[name].values for name in own))
            if own and item.is_numeric
            else []
        )
        if len(cells) > MAX_PREFILLED_CELLS:
            cells = []
        for period in _open_periods(item, partnership, today):
            result = reported.get((item.pk, period.start))
            if result is not None and result.status not in (
                ResultStatus.DRAFT,
                ResultStatus.RETURNED,
            ):
                continue
            lead = [item.pk, _safe(item.title), period.label, partner_name]
            rows.append(
                [
                    *lead,
                    _number(result.value) if result else "",
                    _safe(result.text_value) if result else "",
                    *[""] * len(names),
                    _safe(result.note) if result and result.note else "",
                ]
            )
            saved = {b.key: b.value for b in result.breakdown.all()} if result else {}
            for combination in cells:
                parts = dict(zip(own, combination, strict=True))
                rows.append(
                    [
                        *lead,
                        _number(saved.get(breakdown_key(parts))),
                        "",
                        *[_safe(str(parts.get(name, ""))) for name in names],
                        "",
                    ]
                )
    return Template(columns, rows, _help(partnership, indicators, dimensions, partner))


def _number(value: Decimal | None) -> object:
    if value is None:
        return ""
    normal = value.normalize()
    return int(normal) if normal == normal.to_integral_value() else normal


def _help(
    partnership: Partnership,
    indicators: list[Indicator],
    dimensions: Mapping[str, Dimension],
    partner: Partner | None,
) -> list[str]:
    partners = sorted(
        p.organisation.name
        for p in Partner.objects.filter(partnership=partnership).select_related("organisation")
    )
    # The column names (indicator_id, period, value…) are read by the import: they stay as
    # they are in every language; the explanations around them are in the reader's.
    examples = "; ".join(f"{k} {v}" for k, v in _FREQUENCY_EXAMPLES.items())
    if partner:
        partner_line = _(
            "partner: the organisation you report for (%(partner)s); empty means your own. "
            "Reporters report for their own organisation only. Partners: %(partners)s."
        ) % {"partner": partner.organisation.name, "partners": ", ".join(partners)}
    else:
        partner_line = _(
            "partner: the organisation you report for; empty means your own. Reporters report "
            "for their own organisation only. Partners: %(partners)s."
        ) % {"partners": ", ".join(partners)}
    lines = [
        _("Results import template for %(title)s.") % {"title": partnership.title},
        _("Fill in value (or text_value) and import the file; rows left empty are ignored."),
        _(
            "Each row is either a total (leave the dimension columns empty) or one breakdown "
            "cell (fill every dimension column of its indicator). Give a total, a breakdown or "
            "both: for counts the total must equal the sum of the breakdown."
        ),
        _("indicator_id: the indicator's number (keep it); indicator: its title, for reading."),
        _("period: %(examples)s.") % {"examples": examples},
        partner_line,
        _(
            "value: a number for unit, percentage and ordinal indicators (percentages from 0 "
            "to 100); text_value: words, for qualitative and nominal indicators."
        ),
        _("note: optional. Results already submitted or approved cannot be changed by an import."),
    ]
    for name in sorted(dimensions):
        values = dimensions[name].values
        lines.append(
            _("Dimension %(name)s: %(values)s.")
            % {"name": name, "values": ", ".join(str(v) for v in values)}
        )
    for item in indicators:
        lines.append(_indicator_line(item))
    return lines


def _indicator_line(item: Indicator) -> str:
    """One indicator explained: what it measures in, how often, and its breakdown."""
    params = {
        "id": item.pk,
        "title": item.title,
        "measure": str(item.get_measure_display()).lower(),
        "frequency": periods.REPORTED[periods.Frequency(item.frequency)],
        "example": _FREQUENCY_EXAMPLES[item.frequency],
        "unit": item.unit,
        "dimensions": ", ".join(sorted(d.name for d in item.dimensions.all())),
    }
    if item.unit and params["dimensions"]:
        text = _(
            "Indicator %(id)s: %(title)s · %(measure)s in %(unit)s · reported %(frequency)s "
            "(e.g. %(example)s) · broken down by %(dimensions)s."
        )
    elif item.unit:
        text = _(
            "Indicator %(id)s: %(title)s · %(measure)s in %(unit)s · reported %(frequency)s "
            "(e.g. %(example)s)."
        )
    elif params["dimensions"]:
        text = _(
            "Indicator %(id)s: %(title)s · %(measure)s · reported %(frequency)s "
            "(e.g. %(example)s) · broken down by %(dimensions)s."
        )
    else:
        text = _(
            "Indicator %(id)s: %(title)s · %(measure)s · reported %(frequency)s (e.g. %(example)s)."
        )
    return text % params


def template_csv(
    partnership: Partnership,
    indicator: Indicator | None = None,
    *,
    partner: Partner | None = None,
    today: dt.date | None = None,
) -> str:
    """The import template as CSV (UTF-8, comma-separated); its "#" rows explain the columns."""
    template = build_template(partnership, indicator, partner=partner, today=today)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in template.help:
        writer.writerow([f"# {line}"])
    writer.writerow(template.columns)
    writer.writerows(template.rows)
    return buffer.getvalue()


def template_xlsx(
    partnership: Partnership,
    indicator: Indicator | None = None,
    *,
    partner: Partner | None = None,
    today: dt.date | None = None,
) -> bytes:
    """The import template as an Excel workbook: the rows on the first sheet, the
    explanations on the second."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    template = build_template(partnership, indicator, partner=partner, today=today)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Results")[:31]
    sheet.append(template.columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for values in template.rows:
        sheet.append([_plain(v) for v in values])
    for row in sheet.iter_rows(min_row=1):
        for cell in row:
            if cell.data_type == "f":  # text such as "=x" must stay text, never a formula
                cell.data_type = "s"
    period_column = template.columns.index("period") + 1
    for (cell,) in sheet.iter_rows(min_col=period_column, max_col=period_column):
        cell.number_format = "@"  # keep "2025-03" as text, not a date
    sheet.freeze_panes = "A2"
    widths = {"indicator": 40, "text_value": 30, "note": 30, "partner": 24}
    for position, name in enumerate(template.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = widths.get(name, 14)
    help_sheet = workbook.create_sheet(_("How to fill it in")[:31])
    for line in template.help:
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 120
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _plain(value: object) -> object:
    """Workbook cells hold the text itself; the CSV's formula-escaping quote is not needed
    because formula-looking cells are stored as text."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_START:
        return value[1:]
    return value
