"""Reads that every request makes (the session, the user, the API token, the seat) and a few page
reads, as one fixed statement whose SQL is built once per database connection instead of
compiled by the ORM on every request (docs/decisions/0005, fixed statements).

Compiling a small queryset (filter, joins, select list, ordering) costs 0.3 to 1.5 ms of CPU in
the server process, several times what PostgreSQL spends running the statement
(benchmarks/README.md, "Per-request cost"). A `RowReader` names the models it reads, each under
an alias, and the FROM/WHERE part of the statement; it selects every concrete column of each
model, applies the converters the ORM would apply (dates, decimals, booleans from SQLite) and
builds the instances with `Model.from_db`, so they are what the ORM gives, field by field. Each
user has a test that compares its result with the ORM's.
"""

import weakref
from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model

# Builds the statement's tail ("FROM ... WHERE ...") from a quoting function and the table name
# and column name helpers, so every identifier comes from the models' metadata.
type Tail = Callable[["Names"], str]


class Names:
    """Quoted table and column names of models, for a reader's tail."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.quote = connection.ops.quote_name

    def table(self, model: type[Model]) -> str:
        return self.quote(model._meta.db_table)

    def column(self, model: type[Model], field: str) -> str:
        return self.quote(str(cast(Any, model._meta.get_field(field)).column))


class RowReader:
    """One SELECT of whole rows of `parts` (model, alias) into instances, each row followed by
    the values of the `computed` expressions ("(SELECT ...) AS name"), as the database gives them.
    """

    def __init__(
        self,
        parts: Sequence[tuple[type[Model], str]],
        tail: Tail,
        computed: Callable[[Names], Sequence[str]] | None = None,
    ) -> None:
        self.parts = tuple(parts)
        self.tail = tail
        self.computed = computed
        self._by_connection: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Statement] = (
            weakref.WeakKeyDictionary()
        )

    def read(self, params: Sequence[Any]) -> tuple[Any, ...] | None:
        """The instances (then the computed values) of the first matching row; None without one."""
        rows = self._statement().read(params, many=False)
        return rows[0] if rows else None

    def read_all(self, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The instances (then the computed values) of every matching row, in the tail's order."""
        return self._statement().read(params, many=True)

    def _statement(self) -> "_Statement":
        alias = router.db_for_read(self.parts[0][0])
        connection = connections[alias]
        statement = self._by_connection.get(connection)
        if statement is None:
            statement = self._by_connection[connection] = _Statement(self, alias)
        return statement


class _Statement:
    """A reader's SQL and converters for one connection (the vendor decides both)."""

    def __init__(self, reader: RowReader, alias: str) -> None:
        self.alias = alias
        connection = connections[alias]
        names = Names(connection)
        columns: list[str] = []
        expressions: list[Any] = []
        self.slices: list[tuple[type[Model], list[str], int, int]] = []
        for model, table in reader.parts:
            start = len(columns)
            fields = model._meta.concrete_fields
            for field in fields:
                columns.append(f"{table}.{names.quote(str(field.column))}")
                expressions.append(field.get_col(table))
            self.slices.append((model, [f.attname for f in fields], start, len(columns)))
        self.models_end = len(columns)
        if reader.computed is not None:
            columns.extend(reader.computed(names))
        self.sql = f"SELECT {', '.join(columns)} {reader.tail(names)}"
        model = reader.parts[0][0]
        self.compiler = model._default_manager.none().query.get_compiler(alias)
        self.converters = self.compiler.get_converters(expressions)

    def read(self, params: Sequence[Any], *, many: bool) -> list[tuple[Any, ...]]:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, list(params))
            if many:
                rows = cursor.fetchall()
            else:
                first = cursor.fetchone()
                rows = [] if first is None else [first]
        if self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        end = self.models_end
        return [
            (
                *(
                    model.from_db(self.alias, names, row[start:stop])
                    for model, names, start, stop in self.slices
                ),
                *row[end:],
            )
            for row in rows
        ]
