"""One row changed by primary key, without the ORM's per-statement compile.

``update(model, pk, where={...}, increment=(...), **values)`` runs
``UPDATE <table> SET <field> = <value>, <counter> = <counter> + 1 WHERE <pk> = %s AND
<field> = <value> ...`` and returns how many rows changed (0 or 1). Values are prepared by each
field's ``get_db_prep_save`` (as ``save`` would), ``where`` values by ``get_db_prep_value``; a
``None`` in ``where`` means ``IS NULL``. The SQL text is built once per shape.

For the worker's per-job writes; anything richer belongs to ``QuerySet.update``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, models


def update(
    model: type[models.Model],
    pk: Any,
    *,
    where: dict[str, Any] | None = None,
    increment: Sequence[str] = (),
    using: str = DEFAULT_DB_ALIAS,
    **values: Any,
) -> int:
    """Change the row ``pk`` of ``model`` if it matches ``where``; rows changed (0 or 1)."""
    if not values and not increment:
        raise ValueError("update: nothing to change")
    where = where or {}
    null = tuple(sorted(name for name, value in where.items() if value is None))
    equal = tuple(sorted(name for name, value in where.items() if value is not None))
    sql, fields = _sql(model, tuple(sorted(values)), tuple(increment), equal, null)
    connection = connections[using]
    params = [fields[name].get_db_prep_save(values[name], connection) for name in sorted(values)]
    assert model._meta.pk is not None
    params.append(model._meta.pk.get_db_prep_value(pk, connection))
    params += [fields[name].get_db_prep_value(where[name], connection) for name in equal]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


@cache
def _sql(
    model: type[models.Model],
    assigned: tuple[str, ...],
    incremented: tuple[str, ...],
    equal: tuple[str, ...],
    null: tuple[str, ...],
) -> tuple[str, dict[str, models.Field[Any, Any]]]:
    meta = model._meta
    concrete: dict[str, models.Field[Any, Any]] = {}
    for name in (*assigned, *incremented, *equal, *null):
        try:
            field = meta.get_field(name)
        except FieldDoesNotExist:
            raise ValueError(f"update: {model.__name__} has no field {name!r}") from None
        if not isinstance(field, models.Field) or not field.concrete:
            raise ValueError(f"update: {model.__name__}.{name} is not a column")
        concrete[name] = field
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    sets = [f"{quote(concrete[n].column)} = %s" for n in assigned]
    sets += [f"{quote(concrete[n].column)} = {quote(concrete[n].column)} + 1" for n in incremented]
    assert meta.pk is not None
    conditions = [f"{quote(meta.pk.column)} = %s"]
    conditions += [f"{quote(concrete[n].column)} = %s" for n in equal]
    conditions += [f"{quote(concrete[n].column)} IS NULL" for n in null]
    sql = f"UPDATE {quote(meta.db_table)} SET {', '.join(sets)} WHERE {' AND '.join(conditions)}"
    return sql, concrete
