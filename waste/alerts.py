"""The waste ledger's alert: complete months without any collection recorded (one query)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Case, Count, DateField, Value, When
from django.db.models.functions import Cast, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.registry import Alert, AlertItem, register_alert

from .models import WasteCollection
from .rules import alert_window, missing_months, month_add


def months_without_records(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Per agency, the last 12 complete months with no collection, counted from its first record.

    One query: the months of the window that have records, and records older than the window
    folded into one bucket dated before it (they say the ledger was kept before the window).
    """
    window = alert_window(as_of)
    start, end = window[0], as_of.replace(day=1)
    before = month_add(start, -1)
    rows = (
        WasteCollection.objects.filter(agency_id__in=list(agency_ids), date__lt=end)
        .annotate(
            bucket=Case(
                When(date__lt=start, then=Value(before)),
                default=Cast(TruncMonth("date"), DateField()),  # DATE_TRUNC gives a timestamp
                output_field=DateField(),
            )
        )
        .values("agency_id", "bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    recorded: dict[int, set[date]] = {}
    for row in rows:
        recorded.setdefault(row["agency_id"], set()).add(row["bucket"])
    url = reverse("waste:collection_list")
    items = []
    for agency_id in sorted(recorded):
        months = missing_months(window=window, recorded=recorded[agency_id], started=min(recorded[agency_id]))
        if months:
            items.append(
                AlertItem(
                    agency_id,
                    _("No waste collection is recorded for %(months)s.")
                    % {"months": "、".join(f"{m:%Y-%m}" for m in months)},
                    "warning",
                    url,
                )
            )
    return items


def register() -> None:
    register_alert(
        Alert("waste.months_without_records", gettext_lazy("Waste ledger"), months_without_records)
    )
