"""The base of every list table (django-tables2): paging that a query string cannot break."""

import django_tables2 as tables

from .params import MAX_PER_PAGE


class Table(tables.Table):
    """A table whose ``?per_page=`` outside 1…MAX_PER_PAGE is ignored (the table's own page size
    applies): django-tables2 hands ``-1`` or ``0`` to its paginator, which raises — a 500 from a
    query string (#10.6). ``?page=`` out of range already falls back to the first or last page."""

    def paginate(self, *args, per_page=None, **kwargs):
        if per_page is not None and not 1 <= per_page <= MAX_PER_PAGE:
            per_page = None
        return super().paginate(*args, per_page=per_page, **kwargs)
