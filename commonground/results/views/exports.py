"""The indicator table as CSV and XLSX, with formula-like text escaped in both."""

import io

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from commonground.partnerships.access import Perm, partnership_view
from commonground.partnerships.models import Seat
from commonground.results import selectors
from commonground.results.views._shared import (
    csv_response,
    download,
    file_slug,
    safe_cell,
    status_label,
    summary_of,
)

# The CSV's columns are names a program reads back, the same in every language; the XLSX is
# opened by people, so its sheet shows the headings in their language.
EXPORT_HEADER = (
    "objective",
    "level",
    "indicator",
    "unit",
    "baseline",
    "baseline date",
    "target",
    "target date",
    "value to date",
    "percent of target",
    "status",
)
XLSX_HEADER = (
    gettext_lazy("Objective"),
    gettext_lazy("Level"),
    gettext_lazy("Indicator"),
    gettext_lazy("Unit"),
    gettext_lazy("Baseline"),
    gettext_lazy("Baseline date"),
    gettext_lazy("Target"),
    gettext_lazy("Target date"),
    gettext_lazy("Value to date"),
    gettext_lazy("Percent of target"),
    gettext_lazy("Status"),
)


def _export_rows(seat: Seat) -> list[list[object]]:
    rows: list[list[object]] = []
    for indicator in selectors.indicators_of(seat.partnership).order_by(
        "objective__position", "objective_id", "position", "pk"
    ):
        summary = summary_of(indicator)
        state = summary.status if summary else ""
        rows.append(
            [
                indicator.objective.title,
                indicator.objective.get_level_display(),
                indicator.title,
                indicator.unit,
                indicator.baseline_value,
                indicator.baseline_date,
                indicator.target_value,
                indicator.target_date,
                summary.value_to_date if summary else None,
                summary.percent if summary else None,
                status_label(state) if state else "",
            ]
        )
    return rows


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def indicators_csv(request: HttpRequest, seat: Seat) -> HttpResponse:
    filename = f"{file_slug(seat.partnership.title, 'partnership')}-indicators.csv"
    return csv_response(filename, EXPORT_HEADER, _export_rows(seat))


@partnership_view(Perm.VIEW)
@require_http_methods(["GET"])
def indicators_xlsx(request: HttpRequest, seat: Seat) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Indicators"))
    sheet.append([str(heading) for heading in XLSX_HEADER])
    for row in _export_rows(seat):
        sheet.append([safe_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    filename = f"{file_slug(seat.partnership.title, 'partnership')}-indicators.xlsx"
    return download(
        buffer.getvalue(),
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
