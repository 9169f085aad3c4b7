"""Reads of the fact table that are more than a one-line filter; each is one aggregate query."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from .models import Disclosure, DisclosureEvent, DisclosureStatus, MonthlyFigure, Target
from .targets import targets_evaluate


def totals_by_agency(
    *, indicator: str, months: Iterable[date], agency_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """Each agency's total of ``indicator`` over ``months`` — one GROUP BY for the whole city."""
    qs = MonthlyFigure.objects.filter(indicator=indicator, month__in=list(months), department=None)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    return {
        row["agency_id"]: row["total"]
        for row in qs.values("agency_id").annotate(total=Sum("value")).order_by()
    }


def monthly_series(*, agency_id: int, indicator: str, months: Iterable[date]) -> dict[date, Decimal]:
    qs = MonthlyFigure.objects.filter(
        agency_id=agency_id, indicator=indicator, month__in=list(months), department=None
    )
    return dict(qs.values_list("month", "value"))


def default_target_year() -> int:
    """The latest year that has targets, else the current year."""
    latest = Target.objects.order_by("-year").values_list("year", flat=True).first()
    return latest or timezone.localdate().year


def targets_page(*, agency, year: int) -> dict:
    """The targets page: the evaluation of ``agency``'s applicable targets and the targets themselves."""
    today = timezone.localdate()
    as_of = 12 if year < today.year else max(today.month - 1, 1)
    return {
        "year": year,
        "as_of_month": as_of,
        "results": targets_evaluate(agency_ids=[agency.pk], year=year, as_of_month=as_of),
        "targets": Target.objects.filter(Q(agency=agency) | Q(agency__isnull=True), year=year).select_related(
            "agency"
        ),
        "years": sorted(set(Target.objects.values_list("year", flat=True)) | {year}, reverse=True),
    }


def disclosure_page(*, disclosure) -> dict:
    """A disclosure with its rows ready to show and the quarter's history of events."""
    versions = Disclosure.objects.filter(
        agency_id=disclosure.agency_id, year=disclosure.year, quarter=disclosure.quarter
    ).order_by("-version")
    events = DisclosureEvent.objects.filter(
        agency_id=disclosure.agency_id, year=disclosure.year, quarter=disclosure.quarter
    ).select_related("by")
    return {
        "disclosure": disclosure,
        "items": disclosure.data.get("indicators", []),
        "targets": [i for i in disclosure.data.get("indicators", []) if i.get("target")],
        "versions": versions,
        "events": events,
    }


def published_notices():
    """Every agency's published notices, newest quarter first (the public page)."""
    return (
        Disclosure.objects.filter(status=DisclosureStatus.PUBLISHED)
        .select_related("agency")
        .order_by("-year", "-quarter", "-published_at", "agency__code")
    )
