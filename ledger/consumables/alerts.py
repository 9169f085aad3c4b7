"""The consumables alert: catalogue items whose stock fell below their reorder level."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext_lazy, ngettext

from reporting.registry import Alert, AlertItem, any_of_sql, register_alert, sql_rows


def items_below_reorder_level(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """One query: per agency, the active items whose stock is below their reorder level."""
    where, params = any_of_sql("agency_id", agency_ids)
    rows = sql_rows(
        f"SELECT agency_id, COUNT(*) FROM ledger_item WHERE {where} AND is_active AND stock < reorder_level"
        " GROUP BY agency_id ORDER BY agency_id",
        params,
    )
    url = reverse("ledger:consumables") + "?below=1"
    return [
        AlertItem(
            agency_id,
            ngettext(
                "%(count)d consumable item is below its reorder level.",
                "%(count)d consumable items are below their reorder level.",
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
            "consumables.below_reorder_level",
            gettext_lazy("Consumables below reorder level"),
            items_below_reorder_level,
        )
    )
