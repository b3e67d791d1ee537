"""Applying a results import: all of it in one transaction, or nothing.

New results are drafts; drafts and returned results are updated; results whose values are
already those of the file are left alone, so importing the same file twice changes nothing.
One audit event records the import (file name, SHA-256 of the file, counts) rather than one
per result: a 100,000-row file would otherwise append tens of thousands of events, one at a
time, to the partnership's hash chain.

The dry run is repeated inside the transaction, so what is written is what was checked. Rows
are not locked while they are checked (locking every result read would dirty tens of thousands
of rows on a re-import that changes nothing): each update is a compare-and-set on the result's
version, and a result created meanwhile trips the one-result-per-period constraint, so a change
someone makes during the import fails the whole import cleanly instead of being overwritten.

PostgreSQL writes with COPY (ids drawn from the table's sequence in one query); SQLite with
bulk_create / bulk_update in batches.
"""

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from commonground.accounts.models import User
from commonground.core.audit import record_event
from commonground.core.errors import Conflict, InvalidInput
from commonground.core.memory import gc_paused
from commonground.partnerships.models import Partnership, Seat
from commonground.results.imports.files import Row
from commonground.results.imports.plan import Action, ImportPlan, PlannedResult, plan_import
from commonground.results.models import Result, ResultBreakdown

ProgressCallback = Callable[[int, int], None]
PROGRESS_EVERY = 10_000  # rows between two progress reports
_SQLITE_BATCH = 500
_SHOWN_PROBLEMS = 50


class ImportRefused(InvalidInput):
    """The file has problems; nothing was imported. `problems` lists them all."""

    code = "import_invalid"

    def __init__(self, plan: ImportPlan) -> None:
        count = len(plan.problems)
        message = ngettext(
            "Nothing was imported: %(count)s problem in the file. Correct it and import the "
            "file again.",
            "Nothing was imported: %(count)s problems in the file. Correct them and import the "
            "file again.",
            count,
        ) % {"count": count}
        shown = [str(p) for p in plan.problems[:_SHOWN_PROBLEMS]]
        if count > _SHOWN_PROBLEMS:
            shown.append(gettext("… and %(count)s more.") % {"count": count - _SHOWN_PROBLEMS})
        super().__init__(message, fields={"file": shown})
        self.plan = plan
        self.problems = plan.problems


@dataclass
class ImportReport:
    """What an import did."""

    rows: int
    blank_rows: int
    created: int
    updated: int
    unchanged: int
    event_id: int | None
    validate_seconds: float = 0.0
    write_seconds: float = 0.0

    def __str__(self) -> str:
        return gettext("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def apply(
    *,
    actor: User,
    seat: Seat,
    partnership: Partnership,
    rows: Sequence[Row],
    file_name: str | None = None,
    on_progress: ProgressCallback | None = None,
    progress_every: int = PROGRESS_EVERY,
) -> ImportReport:
    """Import `rows` if every one of them is valid (ImportRefused lists the problems
    otherwise); all in one transaction with one audit event, or nothing at all.

    `on_progress(done_rows, total_rows)` is called after the check and then every
    `progress_every` rows written. It runs inside the import's transaction: a background task
    should report progress somewhere other than this database connection (e.g. the cache),
    since nothing written through it is visible to others before the import commits.
    """
    try:
        with gc_paused(), transaction.atomic():
            return _apply(
                actor=actor,
                seat=seat,
                partnership=partnership,
                rows=rows,
                file_name=file_name,
                on_progress=on_progress,
                progress_every=max(1, progress_every),
            )
    except IntegrityError:
        raise _changed_meanwhile() from None


def _apply(
    *,
    actor: User,
    seat: Seat,
    partnership: Partnership,
    rows: Sequence[Row],
    file_name: str | None,
    on_progress: ProgressCallback | None,
    progress_every: int,
) -> ImportReport:
    started = time.perf_counter()
    _serialise_imports(partnership)
    plan = plan_import(seat=seat, partnership=partnership, rows=rows)
    if plan.problems:
        raise ImportRefused(plan)
    checked = time.perf_counter()
    total = len(rows)
    progress = _Progress(on_progress, total, progress_every)
    progress.advance(total - sum(p.rows for p in plan.changes))  # blank and unchanged rows
    progress.report()
    creates = [p for p in plan.results if p.action == Action.CREATE]
    updates = [p for p in plan.results if p.action == Action.UPDATE]
    writer = _PostgresWriter() if connection.vendor == "postgresql" else _DjangoWriter()
    now = timezone.now()
    for batch in _batches(creates, progress_every):
        writer.create(batch, actor=actor, partnership=partnership, now=now)
        progress.advance(sum(p.rows for p in batch))
    for batch in _batches(updates, progress_every):
        writer.update(batch, partnership=partnership)
        progress.advance(sum(p.rows for p in batch))
    event_id = None
    if creates or updates:
        name = file_name if file_name is not None else plan.file_name
        event = record_event(
            actor=actor,
            action="results.import",
            partnership_id=partnership.pk,
            object_type="results.import",
            object_id=plan.digest or "",
            object_label=f"Results import: {name or 'file'}"[:300],
            changes={
                "file_name": [None, name],
                "sha256": [None, plan.digest],
                "rows": [None, total],
                "created": [None, len(creates)],
                "updated": [None, len(updates)],
                "unchanged": [None, plan.unchanged],
            },
        )
        event_id = event.pk
    progress.finish()
    return ImportReport(
        rows=total,
        blank_rows=plan.blank_rows,
        created=len(creates),
        updated=len(updates),
        unchanged=plan.unchanged,
        event_id=event_id,
        validate_seconds=checked - started,
        write_seconds=time.perf_counter() - checked,
    )


def _serialise_imports(partnership: Partnership) -> None:
    """Two imports into one partnership queue rather than interleave (SQLite: the IMMEDIATE
    transaction already holds the write lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"results-import:{partnership.pk}"],
            )


class _Progress:
    def __init__(self, callback: ProgressCallback | None, total: int, every: int) -> None:
        self.callback, self.total, self.every = callback, total, every
        self.done = self.reported = 0

    def advance(self, rows: int) -> None:
        self.done = min(self.total, self.done + rows)
        if self.done - self.reported >= self.every:
            self.report()

    def report(self) -> None:
        if self.callback is not None:
            self.callback(self.done, self.total)
        self.reported = self.done

    def finish(self) -> None:
        self.done = self.total
        if self.reported != self.total:
            self.report()


def _batches(plans: list[PlannedResult], rows_per_batch: int) -> Iterator[list[PlannedResult]]:
    batch: list[PlannedResult] = []
    rows = 0
    for plan in plans:
        batch.append(plan)
        rows += plan.rows
        if rows >= rows_per_batch:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def _changed_meanwhile() -> Conflict:
    return Conflict(
        gettext(
            "Someone changed results of this file while it was being imported; nothing was "
            "imported. Import it again: the dry run will show their changes."
        ),
        code="import_conflict",
    )


def _existing_id(plan: PlannedResult) -> int:
    assert plan.existing_id is not None
    return plan.existing_id


def _result_fields(plan: PlannedResult) -> dict[str, Any]:
    return {
        "value": plan.value,
        "text_value": plan.text_value,
        "note": plan.note,
    }


class _DjangoWriter:
    """bulk_create / bulk_update in batches (SQLite)."""

    def create(
        self, plans: list[PlannedResult], *, actor: User, partnership: Partnership, now: Any
    ) -> None:
        results = [
            Result(
                partnership_id=partnership.pk,
                indicator_id=p.indicator.id,
                partner_id=p.partner.id,
                period_start=p.period.start,
                period_end=p.period.end,
                created_by_id=actor.pk,
                created_at=now,
                **_result_fields(p),
            )
            for p in plans
        ]
        Result.objects.bulk_create(results, batch_size=_SQLITE_BATCH)
        self._breakdown(plans, [r.pk for r in results], partnership)

    def update(self, plans: list[PlannedResult], *, partnership: Partnership) -> None:
        expected = {_existing_id(p): p.existing_version for p in plans}
        found = dict(Result.objects.filter(pk__in=list(expected)).values_list("pk", "version"))
        if found != expected:
            raise _changed_meanwhile()
        results = [
            Result(pk=_existing_id(p), version=(p.existing_version or 0) + 1, **_result_fields(p))
            for p in plans
        ]
        Result.objects.bulk_update(
            results, ["value", "text_value", "note", "version"], batch_size=_SQLITE_BATCH
        )
        changed = [p for p in plans if p.breakdown_changed]
        ids = [_existing_id(p) for p in changed]
        for start in range(0, len(ids), _SQLITE_BATCH):
            ResultBreakdown.objects.filter(
                result_id__in=ids[start : start + _SQLITE_BATCH]
            ).delete()
        self._breakdown(changed, ids, partnership)

    def _breakdown(
        self, plans: list[PlannedResult], ids: Sequence[int], partnership: Partnership
    ) -> None:
        ResultBreakdown.objects.bulk_create(
            (
                ResultBreakdown(
                    partnership_id=partnership.pk,
                    indicator_id=p.indicator.id,
                    result_id=result_id,
                    key=cell,
                    value=number,
                )
                for p, result_id in zip(plans, ids, strict=True)
                for cell, number in sorted(p.breakdown.items())
            ),
            batch_size=_SQLITE_BATCH,
        )


# Every column of a Result row, in table order, so that COPY writes complete rows.
_RESULT_FIELDS = [f for f in Result._meta.concrete_fields]
_BREAKDOWN_COLUMNS = ("partnership_id", "indicator_id", "result_id", "key", "value")


class _PostgresWriter:
    """COPY into the tables, inside the transaction; ids from the table's own sequence."""

    def create(
        self, plans: list[PlannedResult], *, actor: User, partnership: Partnership, now: Any
    ) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [Result._meta.db_table, len(plans)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            defaults = {f.attname: f.get_default() for f in _RESULT_FIELDS}
            defaults.update(partnership_id=partnership.pk, created_by_id=actor.pk, created_at=now)
            names = [f.attname for f in _RESULT_FIELDS]
            template = [defaults[name] for name in names]
            at = {name: position for position, name in enumerate(names)}
            slots = [
                at[name]
                for name in (
                    "id",
                    "indicator_id",
                    "partner_id",
                    "period_start",
                    "period_end",
                    "value",
                    "text_value",
                    "note",
                )
            ]

            def rows() -> Iterator[list[Any]]:
                for result_id, p in zip(ids, plans, strict=True):
                    row = template.copy()
                    for slot, value in zip(
                        slots,
                        (
                            result_id,
                            p.indicator.id,
                            p.partner.id,
                            p.period.start,
                            p.period.end,
                            p.value,
                            p.text_value,
                            p.note,
                        ),
                        strict=True,
                    ):
                        row[slot] = value
                    yield row

            _copy(cursor, Result._meta.db_table, [str(f.column) for f in _RESULT_FIELDS], rows())
            self._breakdown(cursor, plans, ids, partnership)

    def update(self, plans: list[PlannedResult], *, partnership: Partnership) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE results_result AS r SET value = d.value, text_value = d.text_value, "
                "note = d.note, version = r.version + 1 "
                "FROM unnest(%s::bigint[], %s::numeric[], %s::text[], %s::text[], %s::int[]) "
                "AS d(id, value, text_value, note, version) "
                "WHERE r.id = d.id AND r.version = d.version",
                [
                    [p.existing_id for p in plans],
                    [p.value for p in plans],
                    [p.text_value for p in plans],
                    [p.note for p in plans],
                    [p.existing_version for p in plans],
                ],
            )
            if cursor.rowcount != len(plans):
                raise _changed_meanwhile()
            changed = [p for p in plans if p.breakdown_changed]
            ids = [_existing_id(p) for p in changed]
            cursor.execute("DELETE FROM results_resultbreakdown WHERE result_id = ANY(%s)", [ids])
            self._breakdown(cursor, changed, ids, partnership)

    def _breakdown(
        self,
        cursor: Any,
        plans: list[PlannedResult],
        ids: Sequence[int],
        partnership: Partnership,
    ) -> None:
        pk = partnership.pk
        _copy(
            cursor,
            ResultBreakdown._meta.db_table,
            _BREAKDOWN_COLUMNS,
            (
                (pk, p.indicator.id, result_id, cell, number)
                for p, result_id in zip(plans, ids, strict=True)
                for cell, number in p.breakdown.items()
            ),
        )


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Any) -> None:
    from psycopg import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    )
    # The raw psycopg cursor: Django's wrapper would not turn its errors into IntegrityError.
    with connection.wrap_database_errors, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


__all__ = ["ImportRefused", "ImportReport", "apply"]
