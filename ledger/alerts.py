"""The ledger's alerts: meters without this month's reading, abnormal readings not yet reviewed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.registry import Alert, AlertItem, register_alert

from .models import Meter, Reading
from .queries import active_meters
from .usage import month_end


def missing_readings(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """One query: per agency, the active meters with no reading in ``as_of``'s month."""
    month = as_of.replace(day=1)
    read = Reading.objects.filter(meter=OuterRef("pk"), date__gte=month, date__lte=month_end(month))
    rows = (
        active_meters(Meter.objects.filter(agency_id__in=list(agency_ids)), month)
        .filter(~Exists(read))
        .values("agency_id")
        .annotate(count=Count("pk"))
        .order_by("agency_id")
    )
    url = reverse("ledger:round")
    return [
        AlertItem(
            row["agency_id"],
            _("%(count)d meters have no reading for %(month)s.")
            % {"count": row["count"], "month": f"{month:%Y-%m}"},
            "warning",
            url,
        )
        for row in rows
    ]


def abnormal_readings(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """One query: per agency, readings flagged as abnormal that no manager has reviewed yet."""
    rows = (
        Reading.objects.filter(
            meter__agency_id__in=list(agency_ids), is_abnormal=True, reviewed_at__isnull=True, date__lte=as_of
        )
        .values("meter__agency_id")
        .annotate(count=Count("pk"))
        .order_by("meter__agency_id")
    )
    url = reverse("ledger:meter_list") + "?abnormal=1"
    return [
        AlertItem(
            row["meter__agency_id"],
            _("%(count)d readings with unusually high usage await the manager's review.")
            % {"count": row["count"]},
            "danger",
            url,
        )
        for row in rows
    ]


def register() -> None:
    register_alert(Alert("ledger.missing_readings", gettext_lazy("Missing meter readings"), missing_readings))
    register_alert(Alert("ledger.abnormal_readings", gettext_lazy("Abnormal readings"), abnormal_readings))
