"""The alerts of campaigns: rectifications past their deadline, repairs open for more than a week.

One query each, whatever the number of agencies.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reporting.registry import Alert, AlertItem, register_alert

from .inspections.rules import repair_overdue_since
from .models import RepairRequest, SpotCheck, SpotCheckFinding


def rectifications_overdue(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Spot checks with findings, not rectified, whose deadline is before ``as_of``."""
    found = SpotCheckFinding.objects.filter(spot_check=OuterRef("pk"))
    rows = (
        SpotCheck.objects.filter(
            agency_id__in=list(agency_ids), rectified_on__isnull=True, rectify_by__lt=as_of
        )
        .filter(Exists(found))
        .values("agency_id")
        .annotate(count=Count("pk"))
        .order_by("agency_id")
    )
    url = reverse("campaigns:spot_check_list") + "?state=overdue"
    return [
        AlertItem(
            row["agency_id"],
            _("%(count)d spot-check findings are past their rectification deadline.")
            % {"count": row["count"]},
            "danger",
            url,
        )
        for row in rows
    ]


def repairs_open(agency_ids: Sequence[int], as_of: date) -> list[AlertItem]:
    """Repair requests not fixed more than a week after they were reported."""
    rows = (
        RepairRequest.objects.filter(
            agency_id__in=list(agency_ids), fixed_on__isnull=True, reported_on__lt=repair_overdue_since(as_of)
        )
        .values("agency_id")
        .annotate(count=Count("pk"))
        .order_by("agency_id")
    )
    url = reverse("campaigns:repair_list") + "?state=overdue"
    return [
        AlertItem(
            row["agency_id"],
            _("%(count)d repair requests (dripping taps, leaks, lights) are open for more than a week.")
            % {"count": row["count"]},
            "warning",
            url,
        )
        for row in rows
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
