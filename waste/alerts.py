"""The waste ledger's alert: complete months without any collection recorded (one hand-written query:
every dashboard runs it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.conventions import join_list
from reporting.registry import Alert, AlertItem, any_of_sql, register_alert, sql_rows

from .rules import alert_window, missing_months, month_add


def months_without_records(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Per agency, the last 12 complete months with no collection, counted from its first record.

    One query: the months of the window that have records, and records older than the window
    folded into one bucket (NULL) dated the month before it (they say the ledger was kept before the
    window).
    """
    window = alert_window(as_of)
    start, end = window[0], as_of.replace(day=1)
    before = month_add(start, -1)
    where, params = any_of_sql("w.agency_id", agency_ids)
    month, month_params = connection.ops.date_trunc_sql("month", "w.date", ())
    rows = sql_rows(
        f"SELECT w.agency_id, CASE WHEN w.date < %s THEN NULL ELSE {month} END"
        f" FROM waste_wastecollection w WHERE {where} AND w.date < %s GROUP BY 1, 2",
        [start, *month_params, *params, end],
    )
    recorded: dict[int, set[date]] = {}
    for agency_id, bucket in rows:
        recorded.setdefault(agency_id, set()).add(_month(bucket) if bucket is not None else before)
    url = reverse("waste:collection_list")
    items = []
    for agency_id in sorted(recorded):
        months = missing_months(window=window, recorded=recorded[agency_id], started=min(recorded[agency_id]))
        if months:
            items.append(
                AlertItem(
                    agency_id,
                    _("No waste collection is recorded for %(months)s.")
                    % {"months": join_list(f"{m:%Y-%m}" for m in months)},
                    "warning",
                    url,
                )
            )
    return items


def _month(value) -> date:
    """The first of a month as truncated by the database: a timestamp on PostgreSQL, text on SQLite."""
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def register() -> None:
    register_alert(
        Alert("waste.months_without_records", gettext_lazy("Waste ledger"), months_without_records)
    )
