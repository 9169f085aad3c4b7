"""The consumables alert: catalogue items whose stock fell below their reorder level."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Count, F
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.registry import Alert, AlertItem, register_alert

from .models import Item


def items_below_reorder_level(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """One query: per agency, the active items whose stock is below their reorder level."""
    rows = (
        Item.objects.filter(agency_id__in=list(agency_ids), is_active=True, stock__lt=F("reorder_level"))
        .values("agency_id")
        .annotate(count=Count("pk"))
        .order_by("agency_id")
    )
    url = reverse("ledger:consumables") + "?below=1"
    return [
        AlertItem(
            row["agency_id"],
            _("%(count)d consumable items are below their reorder level.") % {"count": row["count"]},
            "warning",
            url,
        )
        for row in rows
    ]


def register() -> None:
    register_alert(
        Alert(
            "consumables.below_reorder_level",
            gettext_lazy("Consumables below reorder level"),
            items_below_reorder_level,
        )
    )
