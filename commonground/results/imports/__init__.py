"""Importing results from a CSV or XLSX file made from the import template.

template_csv(partnership, indicator=None, *, partner=None, today=None) -> str
template_xlsx(partnership, indicator=None, *, partner=None, today=None) -> bytes
parse(upload, *, name="") -> ParsedFile (a list of Row)          FileRefused
dry_run(*, actor, seat, partnership, rows) -> ImportPlan
apply(*, actor, seat, partnership, rows, file_name=None, on_progress=None) -> ImportReport
                                                                  ImportRefused
"""

from commonground.results.imports.files import (
    MAX_BYTES,
    MAX_ROWS,
    FileRefused,
    ParsedFile,
    Row,
    parse,
)
from commonground.results.imports.plan import Action, ImportPlan, PlannedResult, Problem, dry_run
from commonground.results.imports.template import build_template, template_csv, template_xlsx
from commonground.results.imports.write import ImportRefused, ImportReport, apply

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "Action",
    "FileRefused",
    "ImportPlan",
    "ImportRefused",
    "ImportReport",
    "ParsedFile",
    "PlannedResult",
    "Problem",
    "Row",
    "apply",
    "build_template",
    "dry_run",
    "parse",
    "template_csv",
    "template_xlsx",
]
