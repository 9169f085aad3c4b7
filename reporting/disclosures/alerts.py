"""The alerts reporting raises itself: last quarter not yet published, a quarter reopened and not
published again. Registered in ``ReportingConfig.ready()`` like any app's alerts; one hand-written
query each (registry: every dashboard runs every alert)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import DisclosureStatus
from ..periods import Quarter
from ..registry import Alert, AlertItem, any_of_sql, register_alert, sql_rows


def published_agency_ids(*, agency_ids: Sequence[int], quarter: Quarter) -> set[int]:
    """Agencies with a published disclosure of ``quarter`` (one query; no ORDER BY — the model's
    default order joined the agencies to sort a province's rows by code for a set)."""
    where, params = any_of_sql("agency_id", agency_ids)
    rows = sql_rows(
        f"SELECT agency_id FROM reporting_disclosure WHERE {where}"
        " AND year = %s AND quarter = %s AND status = %s",
        [*params, quarter.year, quarter.number, DisclosureStatus.PUBLISHED.value],
    )
    return {agency_id for (agency_id,) in rows}


def _unpublished(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    quarter = Quarter.containing(as_of).previous()
    published = published_agency_ids(agency_ids=agency_ids, quarter=quarter)
    url = reverse("reporting:disclosure_list")
    message = _("The disclosure of %(quarter)s is not published yet.") % {"quarter": quarter.label}
    return [AlertItem(a, message, "warning", url) for a in agency_ids if a not in published]


def _reopened(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    where, params = any_of_sql("agency_id", agency_ids)
    rows = sql_rows(
        f"SELECT agency_id, year, quarter, status FROM reporting_disclosure WHERE {where}"
        " AND status IN (%s, %s)",
        [*params, DisclosureStatus.SUPERSEDED.value, DisclosureStatus.PUBLISHED.value],
    )
    state: dict[tuple[int, int, int], set[str]] = {}
    for agency_id, year, number, status in rows:
        state.setdefault((agency_id, year, number), set()).add(status)
    url = reverse("reporting:disclosure_list")
    return [
        AlertItem(
            agency_id,
            _("%(quarter)s was reopened for a correction and is not published again.")
            % {"quarter": Quarter(year, number).label},
            "danger",
            url,
        )
        for (agency_id, year, number), statuses in sorted(state.items())
        if DisclosureStatus.PUBLISHED not in statuses
    ]


UNPUBLISHED = Alert(
    key="reporting.unpublished_quarter", name=gettext_lazy("Quarterly disclosure"), compute=_unpublished
)
REOPENED = Alert(key="reporting.reopened_quarter", name=gettext_lazy("Reopened quarter"), compute=_reopened)


def register() -> None:
    register_alert(UNPUBLISHED)
    register_alert(REOPENED)
