"""Multi-row inserts of plain rows, without the ORM's per-statement compile.

``insert_rows(model, rows)`` writes mappings: each row holds the model's Python values by
attribute name (``organisation_id`` for a foreign key, ``auto_now`` stamps included), every
concrete field but the primary key, no other. They become tuples in the model's own field
order here, once, after the names are checked (an unknown or missing one is an error naming
it). Values are prepared a column at a time, each distinct value once, the way ``bulk_create``
would store them (each field's ``get_db_prep_save``, by a shorter road for aware datetimes).
``ids`` writes the rows with those keys; otherwise ``returning_ids=True`` answers the keys the
database gave. A few rows go as one multi-row statement (one round trip); many as
``executemany``, or with ``copy=True`` PostgreSQL's ``COPY``. The SQL text is built once per
model and connection. Opening a ticket (one ticket's rows) and the bulk loader (thousands per
batch) both write through it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

_AS_IS = (
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.IntegerField,
    models.TextField,
)
"""Fields whose Python values both drivers take unchanged; the others go through Django's
``get_db_prep_save`` (datetimes, durations, JSON, foreign keys: an organisation's key is a
UUID), exactly as ``bulk_create`` would."""

MAX_PARAMETERS = 30_000
"""Parameters per statement, under SQLite's 32,766 and PostgreSQL's 65,535."""
FEW_ROWS = 16
"""Up to this many rows (a ticket's events, timers) go as one statement: one round trip and one
execution, where ``executemany`` sends and runs each row on its own."""


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Mapping[str, Any]],
    *,
    ids: Sequence[int] | None = None,
    returning_ids: bool = False,
    copy: bool = False,
    skip_conflicts: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    on: BaseDatabaseWrapper | None = None,
) -> list[int]:
    """Insert ``rows`` (``model``'s values by field name, see the module docstring); return the
    new keys when ``returning_ids``, else an empty list. ``skip_conflicts``: a row that would
    break a unique constraint is left out (``ON CONFLICT DO NOTHING``: no error, so no
    savepoint is needed around it), and its key is not among those returned. ``on``: the
    connection to write on (another thread's, shared with this one), instead of this thread's
    ``using``."""
    if not rows:
        return []
    if returning_ids and (copy or ids is not None):
        raise ValueError("insert_rows: the keys come back only from a plain insert without ids")
    if skip_conflicts and copy:
        raise ValueError("insert_rows: COPY cannot skip conflicting rows")
    if ids is not None and len(ids) != len(rows):
        raise ValueError(f"insert_rows: {len(rows)} rows but {len(ids)} ids")
    connection = on or connections[using]
    table = _table(model, ids is not None, connection)
    columns: list[Sequence[Any]] = [ids] if ids is not None else []
    columns += zip(*table.tuples(rows), strict=True)
    for i, prepare in enumerate(table.preparers):
        if prepare is not None:
            columns[i] = _prepared(columns[i], prepare, connection)
    values = list(zip(*columns, strict=True))
    with connection.cursor() as cursor:
        if copy and connection.vendor == "postgresql":
            with cursor.cursor.copy(table.copy) as stream:
                for row in values:
                    stream.write_row(row)
            return []
        skip = " ON CONFLICT DO NOTHING" if skip_conflicts else ""
        if not returning_ids and len(values) > FEW_ROWS:
            cursor.executemany(f"{table.insert} VALUES {table.marks}{skip}", values)
            return []
        found: list[int] = []
        per = max(1, MAX_PARAMETERS // len(table.preparers))
        for lo in range(0, len(values), per):
            chunk = values[lo : lo + per]
            returning = f" RETURNING {table.pk}" if returning_ids else ""
            cursor.execute(
                f"{table.insert} VALUES {', '.join([table.marks] * len(chunk))}{skip}{returning}",
                [value for row in chunk for value in row],
            )
            if returning_ids:
                found += [row[0] for row in cursor.fetchall()]
    return found


def _prepared(
    column: Sequence[Any], prepare: Prepare, connection: BaseDatabaseWrapper
) -> list[Any]:
    """``prepare`` over a column, once per object (a batch's rows share their instants,
    organisations and event documents). The column keeps every object alive meanwhile, so an
    ``id`` stands for one object only."""
    done: dict[int, Any] = {}
    out = []
    for value in column:
        key = id(value)
        if key in done:
            out.append(done[key])
        else:
            done[key] = prepared = prepare(value, connection)
            out.append(prepared)
    return out


class _Table:
    """The SQL and per-field preparation of one model's inserts."""

    def __init__(
        self, model: type[models.Model], with_pk: bool, connection: BaseDatabaseWrapper
    ) -> None:
        meta = model._meta
        self.model = model
        self.names = tuple(f.attname for f in meta.concrete_fields if not f.primary_key)
        self._names = frozenset(self.names)
        get = itemgetter(*self.names)
        self._values = get if len(self.names) > 1 else lambda row: (get(row),)
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        self.preparers = [preparer(f, connection) for f in fields]
        quote = connection.ops.quote_name
        name = quote(meta.db_table)
        names = ", ".join(quote(f.column) for f in fields)
        self.insert = f"INSERT INTO {name} ({names})"
        self.copy = f"COPY {name} ({names}) FROM STDIN"
        self.marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        assert meta.pk is not None
        self.pk = quote(meta.pk.column)

    def tuples(self, rows: Sequence[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """The rows' values in the model's field order, once their names are checked."""
        names, values = self._names, self._values
        out = []
        for row in rows:
            if row.keys() != names:
                raise ValueError(self._mismatch(row))
            out.append(values(row))
        return out

    def _mismatch(self, row: Mapping[str, Any]) -> str:
        unknown = sorted(set(row) - self._names)
        missing = [name for name in self.names if name not in row]
        problems = [f"unknown field {name!r}" for name in unknown]
        problems += [f"missing field {name!r}" for name in missing]
        return f"insert_rows: {self.model.__name__} row: {', '.join(problems)}"


_TABLES: dict[tuple[type[models.Model], bool, str], _Table] = {}


def _table(model: type[models.Model], with_pk: bool, connection: BaseDatabaseWrapper) -> _Table:
    key = (model, with_pk, connection.alias)
    table = _TABLES.get(key)
    if table is None:
        table = _TABLES[key] = _Table(model, with_pk, connection)
    return table


Prepare = Callable[[Any, BaseDatabaseWrapper], Any]


def preparer(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Prepare | None:
    """How a value of ``field`` goes to the database: None when as it is; otherwise a function
    that gives what ``field.get_db_prep_save`` gives, by a shorter road where there is one."""
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    if isinstance(target, _AS_IS) and not isinstance(target, models.JSONField):
        return None
    if isinstance(target, models.DateTimeField) and connection.timezone_name == "UTC":
        # Django: PostgreSQL takes aware datetimes as they are; SQLite stores them as naive
        # UTC text. Anything else (naive values, expressions) takes Django's road.
        if connection.vendor == "postgresql":
            return _aware_or(field.get_db_prep_save, lambda value: value)
        if connection.vendor == "sqlite":
            return _aware_or(
                field.get_db_prep_save,
                lambda value: value.astimezone(UTC).replace(tzinfo=None).isoformat(" "),
            )
    return field.get_db_prep_save


def _aware_or(django: Prepare, aware: Callable[[datetime], Any]) -> Prepare:
    def prepare(value: Any, connection: BaseDatabaseWrapper) -> Any:
        if isinstance(value, datetime) and value.utcoffset() is not None:
            return aware(value)
        return django(value, connection)

    return prepare
