"""The dry run of a results import: every row checked, every problem named by row and column.

Set-based: the partnership's indicators, dimensions, partners and the results already reported
for the periods in the file are read in a handful of queries; rows are then checked in memory.
Each (indicator, period, partner) becomes one ReportedValue — the file's total row and its
breakdown rows together — checked by `services.entry.clean_value`, the rule every form and
API call goes through; periods by `resolve_period` and partners by `reporting_partner`.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from commonground.accounts.models import User
from commonground.core.memory import gc_paused
from commonground.core.validation import Errors, decimal
from commonground.partnerships.access import can
from commonground.partnerships.models import Partner, Partnership, Seat
from commonground.results import periods
from commonground.results.access import ResultsPerm
from commonground.results.imports.checks import Framework, Group, GroupKey, Problem, read_rows
from commonground.results.imports.files import ParsedFile, Row
from commonground.results.imports.words import words
from commonground.results.models import Indicator, Result, ResultBreakdown, ResultStatus
from commonground.results.services.entry import CheckedKey, ReportedValue, clean_value

# Results are stored with four decimals; compare what will be stored, or a re-import of
# "1.23456" would look like a change every time.
_PLACES = Decimal("0.0001")
_EDITABLE = (ResultStatus.DRAFT, ResultStatus.RETURNED)
# Beyond this many indicators, existing results are read for the whole partnership rather than
# through a long IN list.
_IN_LIMIT = 500


class Action(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(slots=True)
class PlannedResult:
    """What the import does to one partner's result for one indicator and period."""

    action: Action
    indicator: Indicator
    period: periods.Period
    partner: Partner
    value: Decimal | None
    text_value: str
    note: str
    breakdown: dict[str, Decimal]
    rows: int  # how many rows of the file make it up
    first_row: int
    existing_id: int | None = None
    existing_version: int | None = None
    old_value: Decimal | None = None
    breakdown_changed: bool = True


@dataclass
class ImportPlan:
    """The outcome of a dry run: what would be created, updated or left alone, and every
    problem. Nothing is imported unless `problems` is empty."""

    rows: int
    blank_rows: int
    results: list[PlannedResult]
    problems: list[Problem]
    file_name: str = ""
    digest: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: Action) -> int:
        return sum(1 for r in self.results if r.action == action)

    @property
    def created(self) -> int:
        return self.count(Action.CREATE)

    @property
    def updated(self) -> int:
        return self.count(Action.UPDATE)

    @property
    def unchanged(self) -> int:
        return self.count(Action.UNCHANGED)

    @property
    def changes(self) -> list[PlannedResult]:
        return [r for r in self.results if r.action != Action.UNCHANGED]

    def summary(self) -> str:
        return gettext("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


@dataclass(slots=True)
class _Existing:
    pk: int
    value: Decimal | None
    text_value: str
    note: str
    status: str
    version: int
    breakdown: dict[str, Decimal] = field(default_factory=dict)


def _attribute(group: Group, errors: Errors, add: Callable[[Problem], None]) -> None:
    """Put clean_value's findings on the rows and columns they come from."""
    rows = group.rows()
    if group.indicator.is_numeric:
        # A cell that is not a number is the row's own problem; name it there and stop.
        found = False
        for row in rows:
            mine = Errors()
            decimal(row.value, "value", mine)
            for message in mine.get("value", []):
                add(Problem(row.number, "value", message))
                found = True
        if found:
            return
    anchor = group.total or rows[0]
    for name, messages in errors.items():
        for message in messages:
            if name == "breakdown":
                add(Problem(_cell_row(group, message, anchor).number, "value", message))
            elif name in ("text_value", "note"):
                row = next((r for r in rows if getattr(r, name).strip()), anchor)
                add(Problem(row.number, name, message))
            else:
                if name == "value" and group.total is None and group.indicator.is_numeric:
                    message = words(
                        _(
                            "%(message)s Add a total row for %(period)s (the dimension columns "
                            "left empty)."
                        ),
                        message=message,
                        period=group.period.label,
                    )
                add(Problem(anchor.number, "value", message))


def _cell_row(group: Group, message: str, default: Row) -> Row:
    """The breakdown row a message is about: the one it quotes, or whose number it starts with."""
    text = str(message)
    for cell, row in group.cells.items():
        number = decimal(row.value, "value", Errors())
        quoted = any(f"{start}{cell}{end}" in text for start, end in ("“”", "«»"))
        if quoted or (number is not None and text.startswith(f"{number} ")):
            return row
    return next(iter(group.cells.values()), default)


def _existing(partnership: Partnership, groups: dict[GroupKey, Group]) -> dict[GroupKey, _Existing]:
    if not groups:
        return {}
    starts = [key[1] for key in groups]
    results = Result.objects.filter(
        partnership=partnership, period_start__gte=min(starts), period_start__lte=max(starts)
    )
    indicator_ids = {key[0] for key in groups}
    if len(indicator_ids) <= _IN_LIMIT:
        results = results.filter(indicator_id__in=indicator_ids)
    found: dict[GroupKey, _Existing] = {}
    by_pk: dict[int, _Existing] = {}
    fields = ("pk", "indicator_id", "period_start", "partner_id", "value", "text_value", "note")
    for (
        pk,
        indicator_id,
        start,
        partner_id,
        value,
        text,
        note,
        status,
        version,
    ) in results.values_list(*fields, "status", "version"):
        key = (indicator_id, start, partner_id)
        if key in groups:
            found[key] = by_pk[pk] = _Existing(pk, value, text, note, status, version)
    if by_pk:
        for result_id, cell, value in _breakdown_of(list(by_pk)):
            by_pk[result_id].breakdown[cell] = value
    return found


def _breakdown_of(result_ids: list[int]) -> Iterator[tuple[int, str, Decimal]]:
    """The breakdown cells of these results, by their ids: no join, so a plan made on stale
    statistics (right after a large import) cannot turn it into a nested loop."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT result_id, key, value FROM results_resultbreakdown "
                "WHERE result_id = ANY(%s)",
                [result_ids],
            )
            yield from cursor.fetchall()
        return
    for start in range(0, len(result_ids), _IN_LIMIT):
        chunk = result_ids[start : start + _IN_LIMIT]
        yield from ResultBreakdown.objects.filter(result_id__in=chunk).values_list(
            "result_id", "key", "value"
        )


def _number(raw: Any, numbers: dict[str, Decimal]) -> Any:
    """A value cell as the Decimal `clean_value` would read from it, parsed once per distinct
    text (a file repeats small counts many times); a cell that does not parse stays as written,
    for `clean_value` to refuse with its own message."""
    if type(raw) is not str:
        return raw
    number = numbers.get(raw)
    if number is None:
        number = decimal(raw, "value", Errors())
        if number is None:
            return raw
        numbers[raw] = number
    return number


def _as_written(raw: Any, numbers: dict[str, Decimal]) -> Any:
    """A cell of a qualitative indicator: `clean_value` refuses a number in it as written."""
    return raw


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(_PLACES, rounding=ROUND_HALF_UP)


def _note(group: Group) -> str:
    notes: list[str] = []
    for row in ([group.total] if group.total else []) + list(group.cells.values()):
        if row.note and row.note not in notes:
            notes.append(row.note)
    return "\n".join(notes)


def _locked(group: Group, status: str) -> str:
    params = {
        "period": group.period.label,
        "partner": group.partner.organisation.name,
        "id": group.indicator.pk,
    }
    if status == ResultStatus.APPROVED:
        return words(
            _(
                "The %(period)s result of %(partner)s for indicator %(id)s is approved: it is "
                "locked; reopen it with a reason to change it."
            ),
            **params,
        )
    return words(
        _(
            "The %(period)s result of %(partner)s for indicator %(id)s is submitted: wait for "
            "the review, or ask a reviewer to return it."
        ),
        **params,
    )


def _decide(
    groups: dict[GroupKey, Group],
    framework: Framework,
    existing: dict[GroupKey, _Existing],
    problems: list[Problem],
) -> list[PlannedResult]:
    add = problems.append
    planned: list[PlannedResult] = []
    key_caches: dict[int, dict[str, CheckedKey]] = {}
    numbers: dict[str, Decimal] = {}
    for key, group in groups.items():
        if group.broken:
            continue
        indicator, total = group.indicator, group.total
        errors = Errors()
        cells = group.cells.values()
        note = _note(group) if (total and total.note) or any(r.note for r in cells) else ""
        read = _number if indicator.is_numeric else _as_written
        reported = ReportedValue(
            value=read(total.value, numbers) if total else None,
            text_value=total.text_value if total else "",
            breakdown={cell: read(row.value, numbers) for cell, row in group.cells.items()},
            note=note,
        )
        value, text, breakdown = clean_value(
            indicator,
            framework.dims_of[indicator.id],
            reported,
            errors,
            key_cache=key_caches.setdefault(indicator.id, {}),
        )
        if errors:
            _attribute(group, errors, add)
            continue
        value = _quantize(value)
        breakdown = {
            cell: number.quantize(_PLACES, ROUND_HALF_UP) for cell, number in breakdown.items()
        }
        first = total.number if total else min(r.number for r in cells)
        plan = PlannedResult(
            Action.CREATE,
            indicator,
            group.period,
            group.partner,
            value,
            text,
            note,
            breakdown,
            len(group.cells) + (1 if total else 0),
            first,
        )
        before = existing.get(key)
        if before is not None:
            plan.note = note or before.note  # an empty note keeps the one already there
            plan.existing_id, plan.existing_version = before.pk, before.version
            plan.old_value = before.value
            plan.breakdown_changed = before.breakdown != breakdown
            same = (
                before.value == value
                and before.text_value == text
                and before.note == plan.note
                and not plan.breakdown_changed
            )
            if same:
                plan.action = Action.UNCHANGED
            elif before.status not in _EDITABLE:
                add(Problem(first, "period", _locked(group, before.status)))
                continue
            else:
                plan.action = Action.UPDATE
        planned.append(plan)
    return planned


def check_access(seat: Seat, partnership: Partnership) -> None:
    if seat.partnership_id != partnership.pk or not can(seat, ResultsPerm.REPORT_RESULTS):
        raise PermissionDenied(gettext("Your role cannot report results in this partnership."))


def plan_import(*, seat: Seat, partnership: Partnership, rows: Sequence[Row]) -> ImportPlan:
    """Check every row against the framework and the results already reported."""
    check_access(seat, partnership)
    with gc_paused():
        return _plan(seat, partnership, rows)


def _plan(seat: Seat, partnership: Partnership, rows: Sequence[Row]) -> ImportPlan:
    columns = rows.columns if isinstance(rows, ParsedFile) else _columns_of(rows)
    framework = Framework(partnership, seat, columns)
    problems: list[Problem] = []
    groups, blank = read_rows(framework, rows, problems)
    header_row = rows.header_row if isinstance(rows, ParsedFile) else 1
    for column in sorted(framework.unknown_columns):
        if framework.values:
            message = words(
                _(
                    "There is no dimension “%(column)s” in this partnership (dimensions: "
                    "%(known)s). Rename or remove the column."
                ),
                column=column,
                known=", ".join(sorted(framework.values)),
            )
        else:
            message = words(
                _(
                    "There is no dimension “%(column)s” in this partnership (it has none yet). "
                    "Rename or remove the column."
                ),
                column=column,
            )
        problems.append(Problem(header_row, column, message))
    existing = _existing(partnership, {k: g for k, g in groups.items() if not g.broken})
    planned = _decide(groups, framework, existing, problems)
    problems.sort(key=lambda p: p.row)
    return ImportPlan(
        rows=len(rows),
        blank_rows=blank,
        results=planned,
        problems=problems,
        file_name=getattr(rows, "name", ""),
        digest=getattr(rows, "digest", ""),
    )


def _columns_of(rows: Sequence[Row]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for column in row.dimensions:
            seen.setdefault(column)
    return list(seen)


def dry_run(
    *, actor: User, seat: Seat, partnership: Partnership, rows: Sequence[Row]
) -> ImportPlan:
    """What importing `rows` would create, update or leave alone, and every problem by row and
    column. Writes nothing."""
    del actor  # the plan does not depend on who asks beyond their seat; kept for symmetry
    return plan_import(seat=seat, partnership=partnership, rows=rows)


__all__ = ["Action", "ImportPlan", "PlannedResult", "Problem", "dry_run", "plan_import"]
