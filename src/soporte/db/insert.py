"""Multi-row inserts without the ORM's per-statement compile.

``insert(model, objs)`` writes unsaved instances in one statement per call, the way
``bulk_create`` would store them (``auto_now`` stamps, foreign keys taken from related objects
saved meanwhile, values prepared by each field's ``get_db_prep_save``). Instances either all
carry their primary keys or none do; for the latter, ``returning_ids=True`` sets each one's key
from the database. The SQL text is built
once per model and connection vendor. ``copy=True`` streams the rows with PostgreSQL's ``COPY``
(no ids come back; give the instances their keys first) and is a plain insert on SQLite.

``insert_rows(model, rows)`` writes plain tuples instead: each row holds the model's Python
values (foreign keys as keys) in its concrete fields' order, without the primary key, and is
prepared a column at a time, each distinct value once. ``ids`` writes the rows with those keys;
otherwise ``returning_ids=True`` answers the keys the database gave. Opening a ticket (one
ticket's rows) and the bulk loader (thousands per batch) both write through it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

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


def insert(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    returning_ids: bool = False,
    copy: bool = False,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Insert ``objs`` (unsaved ``model`` instances); see the module docstring."""
    if not objs:
        return
    if returning_ids and copy:
        raise ValueError("insert: COPY returns no ids; choose returning_ids or copy")
    with_pk = objs[0].pk is not None
    if any((obj.pk is not None) != with_pk for obj in objs):
        raise ValueError("insert: give every instance a primary key, or none")
    if with_pk and returning_ids:
        raise ValueError("insert: the instances have their primary keys already")
    connection = connections[using]
    table = _table(model, with_pk, connection)
    now = timezone.now()
    rows = [table.row(obj, connection, now) for obj in objs]
    ids: list[Any] = []
    with connection.cursor() as cursor:
        if copy and connection.vendor == "postgresql":
            with cursor.cursor.copy(table.copy) as stream:
                for row in rows:
                    stream.write_row(row)
            return
        if not returning_ids:
            cursor.executemany(f"{table.insert} VALUES {table.marks}", rows)
            return
        per = max(1, MAX_PARAMETERS // len(table.columns))
        for lo in range(0, len(rows), per):
            chunk = rows[lo : lo + per]
            values = ", ".join([table.marks] * len(chunk))
            cursor.execute(
                f"{table.insert} VALUES {values} RETURNING {table.pk}",
                [value for row in chunk for value in row],
            )
            ids += cursor.fetchall()
    if len(ids) != len(objs):  # pragma: no cover - the database answers one id per row
        raise RuntimeError(f"insert: {len(objs)} rows but {len(ids)} ids")
    for obj, (pk,) in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using


def insert_rows(
    model: type[models.Model],
    rows: Sequence[Sequence[Any]],
    *,
    ids: Sequence[int] | None = None,
    returning_ids: bool = False,
    copy: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    on: BaseDatabaseWrapper | None = None,
) -> list[int]:
    """Insert ``rows`` (tuples of ``model``'s values, see the module docstring); return the new
    keys when ``returning_ids``, else an empty list. ``on``: the connection to write on
    (another thread's, shared with this one), instead of this thread's ``using``."""
    if not rows:
        return []
    if returning_ids and (copy or ids is not None):
        raise ValueError("insert_rows: the keys come back only from a plain insert without ids")
    if ids is not None and len(ids) != len(rows):
        raise ValueError(f"insert_rows: {len(rows)} rows but {len(ids)} ids")
    connection = on or connections[using]
    table = _table(model, ids is not None, connection)
    width = len(table.columns) - (ids is not None)
    if any(len(row) != width for row in rows):
        raise ValueError(f"insert_rows: {model.__name__} rows have {width} values")
    columns: list[Sequence[Any]] = [ids] if ids is not None else []
    columns += zip(*rows, strict=True)
    for i, (_, prepare, _stamped) in enumerate(table.columns):
        if prepare is not None:
            columns[i] = _prepared(columns[i], prepare, connection)
    values = list(zip(*columns, strict=True))
    with connection.cursor() as cursor:
        if copy and connection.vendor == "postgresql":
            with cursor.cursor.copy(table.copy) as stream:
                for row in values:
                    stream.write_row(row)
            return []
        if not returning_ids:
            cursor.executemany(f"{table.insert} VALUES {table.marks}", values)
            return []
        found: list[int] = []
        per = max(1, MAX_PARAMETERS // len(table.columns))
        for lo in range(0, len(values), per):
            chunk = values[lo : lo + per]
            cursor.execute(
                f"{table.insert} VALUES {', '.join([table.marks] * len(chunk))} "
                f"RETURNING {table.pk}",
                [value for row in chunk for value in row],
            )
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
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        self.columns = [
            (
                f.attname,
                preparer(f, connection),
                bool(getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)),
            )
            for f in fields
        ]
        self.relations = [f for f in fields if isinstance(f, models.ForeignKey)]
        quote = connection.ops.quote_name
        name = quote(meta.db_table)
        names = ", ".join(quote(f.column) for f in fields)
        self.insert = f"INSERT INTO {name} ({names})"
        self.copy = f"COPY {name} ({names}) FROM STDIN"
        self.marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        assert meta.pk is not None
        self.pk = quote(meta.pk.column)

    def row(self, obj: models.Model, connection: BaseDatabaseWrapper, now: datetime) -> list[Any]:
        for f in self.relations:  # a related object saved after this one was built
            if getattr(obj, f.attname) is None and f.is_cached(obj):
                related = f.get_cached_value(obj)
                if related is not None:
                    setattr(obj, f.name, related)  # sets the key, keeps the cached object
        values = []
        for attname, prepare, stamped in self.columns:
            if stamped:
                setattr(obj, attname, now)
            value = getattr(obj, attname)
            values.append(value if prepare is None else prepare(value, connection))
        return values


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
