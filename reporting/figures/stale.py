"""The stale record: what a write made stale, written in the write's own transaction.

``stale_mark`` takes ``FOR KEY SHARE`` on the agency row (on PostgreSQL) before it checks the
locks: a publication holds ``FOR UPDATE`` on that row while it freezes its snapshot and locks
its indicators, so a write either commits before the publication reads the figures (and the
publication sees its stale record) or checks the locks after the publication committed (and is
refused). Refreshes lock the row ``FOR NO KEY UPDATE``, which does not block a write.
"""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection

from agencies.models import Agency

from ..models import StaleFigure
from ..registry import summed_keys, with_derived
from .locks import assert_indicators_open
from .refresh import figures_refresh_on_commit


def _share_agency_row(agency_id: int) -> None:
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {Agency._meta.db_table} WHERE id = %s FOR KEY SHARE", [agency_id])


def stale_mark(*, agency_id: int, months: Iterable[date], indicators: Sequence[str]) -> None:
    months = sorted({m.replace(day=1) for m in months})
    # an unknown key is a programming error (LookupError); indicators derived from these go stale too
    keys = with_derived(summed_keys(indicators))
    if not months:
        return
    _share_agency_row(agency_id)
    assert_indicators_open(agency_id=agency_id, months=months, indicators=keys)
    StaleFigure.objects.bulk_create(
        [StaleFigure(agency_id=agency_id, month=month, indicator=key) for month in months for key in keys]
    )
    figures_refresh_on_commit(agency_id=agency_id)
