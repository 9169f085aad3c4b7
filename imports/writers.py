"""Bulk writers that import kinds share: COPY on PostgreSQL, bulk_create elsewhere.

A kind's ``write`` receives every validated record at once (in chunks of ``WRITE_CHUNK``) inside
the import's transaction; these helpers keep it to a few statements whatever the row count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model


def bulk_insert(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples in ``fields`` order, using column values such as ``meter_id``).

    PostgreSQL gets one ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``), which is several times
    faster than multi-row INSERTs; other databases get ``bulk_create``. Model defaults, ``save()``
    and signals are not applied: the caller passes every column it needs.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        opts = model._meta
        columns = ", ".join(connection.ops.quote_name(opts.get_field(name).column) for name in fields)
        sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
        return len(rows)
    attnames = [model._meta.get_field(name).attname for name in fields]
    model.objects.bulk_create(
        [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=2000
    )
    return len(rows)


def bulk_update_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Update rows by primary key: ``rows`` are ``(pk, *values)`` in ``fields`` order.

    One ``UPDATE … FROM (VALUES …)`` per batch on PostgreSQL; ``bulk_update`` elsewhere.
    """
    rows = rows if isinstance(rows, list) else list(rows)
    if not rows:
        return 0
    opts = model._meta
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        table = quote(opts.db_table)
        pk_column = quote(opts.pk.column)
        columns = [opts.get_field(name) for name in fields]
        assignments = ", ".join(f"{quote(c.column)} = v.{quote(c.column)}" for c in columns)
        casts = [c.db_type(connection) for c in columns]
        pk_cast = opts.pk.rel_db_type(connection)
        names = ", ".join([pk_column, *(quote(c.column) for c in columns)])
        placeholder = "(" + ", ".join([f"%s::{pk_cast}", *(f"%s::{cast}" for cast in casts)]) + ")"
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                batch = rows[start : start + 1000]
                values = ", ".join([placeholder] * len(batch))
                cursor.execute(
                    f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v ({names}) "
                    f"WHERE {table}.{pk_column} = v.{pk_column}",
                    [value for row in batch for value in row],
                )
        return len(rows)
    attnames = [opts.get_field(name).attname for name in fields]
    objects = []
    for pk, *values in rows:
        obj = model(pk=pk)
        for attname, value in zip(attnames, values, strict=True):
            setattr(obj, attname, value)
        objects.append(obj)
    model.objects.bulk_update(objects, fields, batch_size=1000)
    return len(rows)
