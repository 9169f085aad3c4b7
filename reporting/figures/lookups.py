"""``field__any_of=ids``: membership in a list of ids bound as one array parameter on PostgreSQL
(``field = ANY(%s)``), an IN list elsewhere.

A province's city overview asks for 3,000 agencies in each of its reads; ``__in`` binds one
parameter per id, which Django prepares and psycopg splices one by one — about a quarter of the
page's time at 3,000 agencies (docs/dashboards.md). The rows are the same as with ``__in``.
"""

from django.db.models import Field, ForeignObject, Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [[int(v) for v in value]]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        _rhs, rhs_params = self.process_rhs(compiler, connection)
        ids = rhs_params[0]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]
        if not ids:
            return "1 = 0", list(lhs_params)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", [*lhs_params, *ids]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # agency_id__any_of: related fields keep lookups of their own
