"""The ledger's alerts: meters without last month's reading, abnormal readings not yet reviewed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from agencies.conventions import months_label
from reporting.registry import Alert, AlertItem, any_of_sql, register_alert, sql_rows

from .usage import month_end, previous_month


def missing_readings(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """One query: per agency, the meters in service in the last month that has ended before
    ``as_of`` (installed by its end, not retired before its start — ``queries.active_meters``) with
    no reading in it. A month's reading is due by its end: the month in progress is the round the
    clerks and the manager have as a to-do, not an alert for the leaders all month long."""
    month = previous_month(as_of.replace(day=1))
    where, params = any_of_sql("m.agency_id", agency_ids)
    rows = sql_rows(
        f"SELECT m.agency_id, COUNT(*) FROM ledger_meter m WHERE {where}"
        " AND (m.installed_on IS NULL OR m.installed_on <= %s)"
        " AND (m.retired_on IS NULL OR m.retired_on >= %s)"
        " AND NOT EXISTS (SELECT 1 FROM ledger_reading r"
        " WHERE r.meter_id = m.id AND r.date >= %s AND r.date <= %s)"
        " GROUP BY m.agency_id ORDER BY m.agency_id",
        [*params, month_end(month), month, month, month_end(month)],
    )
    url = f"{reverse('ledger:round')}?date={month_end(month):%Y-%m-%d}"  # the round on that month
    label = months_label(month.month, month.month, month.year)
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(count)d meter has no reading for %(month)s.",
                "%(count)d meters have no reading for %(month)s.",
                count,
            )
            % {"count": count, "month": label},
            "warning",
            url,
        )
        for agency_id, count in rows
    ]


def abnormal_readings(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """One query: per agency, readings flagged as abnormal that no manager has reviewed yet."""
    where, params = any_of_sql("m.agency_id", agency_ids)
    rows = sql_rows(
        "SELECT m.agency_id, COUNT(*) FROM ledger_reading r JOIN ledger_meter m ON m.id = r.meter_id"
        f" WHERE {where} AND r.is_abnormal AND r.reviewed_at IS NULL AND r.date <= %s"
        " GROUP BY m.agency_id ORDER BY m.agency_id",
        [*params, as_of],
    )
    url = reverse("ledger:meter_list") + "?abnormal=1"
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(count)d reading with unusually high usage awaits the manager's review.",
                "%(count)d readings with unusually high usage await the manager's review.",
                count,
            )
            % {"count": count},
            "danger",
            url,
        )
        for agency_id, count in rows
    ]


def register() -> None:
    register_alert(Alert("ledger.missing_readings", gettext_lazy("Missing meter readings"), missing_readings))
    register_alert(Alert("ledger.abnormal_readings", gettext_lazy("Abnormal readings"), abnormal_readings))
