"""The alerts of campaigns: rectifications past their deadline, repairs open for more than a week.

One hand-written query each, whatever the number of agencies (every dashboard runs them).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from reporting.registry import Alert, AlertItem, any_of_sql, register_alert, sql_rows

from .inspections.rules import repair_overdue_since


def rectifications_overdue(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Spot checks with findings, not rectified, whose deadline is before ``as_of``."""
    where, params = any_of_sql("s.agency_id", agency_ids)
    rows = sql_rows(
        "SELECT s.agency_id, COUNT(*) FROM campaigns_spotcheck s"
        f" WHERE {where} AND s.rectified_on IS NULL AND s.rectify_by < %s"
        " AND EXISTS (SELECT 1 FROM campaigns_spotcheckfinding f WHERE f.spot_check_id = s.id)"
        " GROUP BY s.agency_id ORDER BY s.agency_id",
        [*params, as_of],
    )
    url = reverse("campaigns:spot_check_list") + "?state=overdue"
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(count)d spot-check finding is past its rectification deadline.",
                "%(count)d spot-check findings are past their rectification deadline.",
                count,
            )
            % {"count": count},
            "danger",
            url,
        )
        for agency_id, count in rows
    ]


def repairs_open(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Repair requests not fixed more than a week after they were reported."""
    where, params = any_of_sql("agency_id", agency_ids)
    rows = sql_rows(
        "SELECT agency_id, COUNT(*) FROM campaigns_repairrequest"
        f" WHERE {where} AND fixed_on IS NULL AND reported_on < %s"
        " GROUP BY agency_id ORDER BY agency_id",
        [*params, repair_overdue_since(as_of)],
    )
    url = reverse("campaigns:repair_list") + "?state=overdue"
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(count)d repair request (dripping taps, leaks, lights) is open for more than a week.",
                "%(count)d repair requests (dripping taps, leaks, lights) are open for more than a week.",
                count,
            )
            % {"count": count},
            "warning",
            url,
        )
        for agency_id, count in rows
    ]


def register() -> None:
    register_alert(
        Alert(
            "campaigns.rectifications_overdue",
            gettext_lazy("Spot-check rectifications"),
            rectifications_overdue,
        )
    )
    register_alert(Alert("campaigns.repairs_open", gettext_lazy("Repair requests"), repairs_open))
