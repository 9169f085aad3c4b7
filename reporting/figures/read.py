"""Reads of the fact table that are more than a one-line filter; each is one aggregate query."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from ..models import MonthlyFigure


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
