"""``field__any_of=ids``: membership in a list of ids bound as one array parameter on PostgreSQL
(``field = ANY(%s)``), an IN list elsewhere.

A province's city overview asks for 3,000 agencies in each of its reads; ``__in`` binds one
parameter per id, which Django prepares and psycopg splices one by one — about a quarter of the
page's time at 3,000 agencies (docs/dashboards.md). The rows are the same as with ``__in``.

``any_of_sql`` writes the same condition into a hand-written statement and ``sql_rows`` runs one:
the registered alerts read that way, because every dashboard and home page runs each of them and
building their ORM queries cost several times what PostgreSQL took to answer them
(docs/dashboards.md "Alerts are registered, not known").
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection as default_connection
from django.db.models import Field, ForeignObject, Lookup


def any_of_sql(column: str, ids: Iterable[int], connection=None) -> tuple[str, list]:
    """``column`` is one of ``ids`` as SQL and its parameters, for hand-written statements too:
    ``column = ANY(%s::bigint[])`` with one array parameter on PostgreSQL, an IN list elsewhere."""
    connection = connection or default_connection
    ids = [int(v) for v in ids]
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [ids]
    if not ids:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(ids))})", ids


def db_values(field: Field) -> Callable | None:
    """value → what the ORM makes of ``field``'s column read from the database: the backend's and
    the field's converters (SQLite returns a decimal column, or its SUM, as a number, which the ORM
    turns into the field's Decimal); None when there are none (PostgreSQL's driver returns the
    Decimal, the date, the integer), so a reader of many rows can skip the call."""
    column = field.get_col(field.model._meta.db_table)
    converters = default_connection.ops.get_db_converters(column) + column.get_db_converters(
        default_connection
    )
    if not converters:
        return None

    def convert(value):
        for converter in converters:
            value = converter(value, column, default_connection)
        return value

    return convert


def sql_rows(sql: str, params: Sequence = ()) -> list[tuple]:
    """The rows of one hand-written statement (``%s`` parameters), as tuples."""
    with default_connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[int(v) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        sql, params = any_of_sql(lhs, rhs_params[0], connection)
        return sql, [*lhs_params, *params]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # agency_id__any_of: related fields keep lookups of their own
