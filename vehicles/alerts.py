"""The vehicles ledger's alerts, listed by the dashboards, the workbench and the disclosures with
no change to reporting: vehicles over their standard last quarter, use in sealed periods in the
last twelve months, and dispatch orders not closed. Each is a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agencies.conventions import number, percent, quarter_label, unit_label
from reporting.periods import Quarter
from reporting.registry import Alert, AlertItem, any_of_sql, register_alert, sql_rows

from .models import DispatchStatus

OPEN_DAYS = 3  # an approved order not completed three days after its planned return is not closed


def over_standard(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Vehicles whose L/100 km (kWh/100 km) of the last complete quarter is above their standard:
    the vehicles in one hand-written query, and when there are any their logs, the logs at stations
    that are not designated and the departments' names (``queries.accounts``)."""
    from .queries import accounts_of, vehicles_of

    last = Quarter.containing(as_of).previous()
    year, quarter, months = last.year, last.number, last.months
    url = reverse("vehicles:accounting") + f"?year={year}&quarter={quarter}"
    items = []
    for row in accounts_of(vehicles_of(agency_ids), months):
        if row.account.over is None:
            continue
        items.append(
            AlertItem(
                row.vehicle.agency_id,
                _(
                    "%(plate)s used %(rate)s %(unit)s in %(quarter)s, %(over)s above its standard "
                    "of %(standard)s %(unit)s."
                )
                % {
                    "plate": row.vehicle.plate,
                    "rate": number(row.account.rate, 2),
                    "unit": unit_label(row.vehicle.rate_unit),
                    "quarter": quarter_label(year, quarter),
                    "over": percent(row.account.over, 1),
                    "standard": number(row.vehicle.standard, 2),
                },
                "warning",
                url,
            )
        )
    return items


def sealed_use(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Dispatch orders and fuel logs in sealed periods in the twelve months before ``as_of``: what
    ``queries.violations`` lists, counted per agency from three hand-written reads (the periods,
    the orders' agency and planned times, the logs' agency and day) instead of its model rows."""
    from .holidays import sealed_on, sealed_periods
    from .queries import order_sealed

    first, last = as_of - timedelta(days=365), as_of
    url = reverse("vehicles:violations")
    periods = sealed_periods(agency_ids, first, last)
    if not periods:
        return []
    where, params = any_of_sql("agency_id", agency_ids)
    # An order's planned days touch first..last (local days) when it ends on or after the midnight
    # that starts ``first`` and starts before the midnight that ends ``last``.
    starts, ends = (
        connection.ops.adapt_datetimefield_value(
            timezone.make_aware(datetime.combine(day, datetime.min.time()))
        )
        for day in (first, last + timedelta(days=1))
    )
    orders = sql_rows(
        f"SELECT agency_id, planned_start, planned_end FROM vehicles_dispatchorder WHERE {where}"
        " AND status <> %s AND planned_start < %s AND planned_end >= %s",
        [*params, DispatchStatus.CANCELLED.value, ends, starts],
    )
    where, params = any_of_sql("v.agency_id", agency_ids)
    logs = sql_rows(
        "SELECT v.agency_id, l.date FROM vehicles_fuellog l JOIN vehicles_vehicle v ON v.id = l.vehicle_id"
        f" WHERE {where} AND l.date >= %s AND l.date <= %s",
        [*params, first, last],
    )
    counts: dict[int, int] = {}
    for agency_id, planned_start, planned_end in orders:
        if order_sealed(agency_id, _aware(planned_start), _aware(planned_end), periods):
            counts[agency_id] = counts.get(agency_id, 0) + 1
    for agency_id, day in logs:
        if sealed_on(_day(day), periods, agency_id):
            counts[agency_id] = counts.get(agency_id, 0) + 1
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(n)s use of a vehicle in a sealed period (holidays) in the last twelve months.",
                "%(n)s uses of vehicles in sealed periods (holidays) in the last twelve months.",
                n,
            )
            % {"n": n},
            "danger",
            url,
        )
        for agency_id, n in sorted(counts.items())
    ]


def open_dispatches(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Approved orders not completed three days after their planned return (one hand-written query)."""
    cutoff = timezone.make_aware(
        timezone.datetime.combine(as_of - timedelta(days=OPEN_DAYS), timezone.datetime.min.time())
    )
    where, params = any_of_sql("agency_id", agency_ids)
    rows = sql_rows(
        f"SELECT agency_id, COUNT(*) FROM vehicles_dispatchorder WHERE {where}"
        " AND status = %s AND planned_end < %s GROUP BY agency_id ORDER BY agency_id",
        [*params, DispatchStatus.APPROVED.value, connection.ops.adapt_datetimefield_value(cutoff)],
    )
    url = reverse("vehicles:dispatch_list") + "?status=approved"
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(n)s dispatch order is not closed (no odometer in).",
                "%(n)s dispatch orders are not closed (no odometer in).",
                n,
            )
            % {"n": n},
            "warning",
            url,
        )
        for agency_id, n in rows
    ]


def _aware(value) -> datetime:
    """A timestamp as read by a hand-written query: aware on PostgreSQL, naive UTC on SQLite."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def register() -> None:
    register_alert(
        Alert("vehicles.over_standard", gettext_lazy("Vehicles over their fuel standard"), over_standard)
    )
    register_alert(Alert("vehicles.sealed_use", gettext_lazy("Vehicles used in sealed periods"), sealed_use))
    register_alert(
        Alert("vehicles.open_dispatches", gettext_lazy("Dispatch orders not closed"), open_dispatches)
    )
