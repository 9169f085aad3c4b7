"""Reads of the waste ledger that are more than a one-line filter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from .categories import WasteCategory, category_styles
from .models import HazardousStorage, WasteCollection
from .rules import month_add, recyclable_share


@dataclass(frozen=True)
class Amount:
    agency_id: int
    department_id: int | None
    month: date
    category: str
    weight: Decimal
    records: int


def monthly_amounts(*, agency_ids: Sequence[int], months: Sequence[date]) -> list[Amount]:
    """kg per agency, department, month and category over ``months`` — one GROUP BY.

    The indicators and the monthly display both read this, so they always agree.
    """
    if not agency_ids or not months:
        return []
    first, last = min(months), month_add(max(months), 1)
    rows = (
        WasteCollection.objects.filter(agency_id__in=list(agency_ids), date__gte=first, date__lt=last)
        .annotate(month=TruncMonth("date"))
        .values("agency_id", "department_id", "month", "category")
        .annotate(weight=Sum("weight"), records=Count("pk"))
        .order_by()
    )
    wanted = {m.replace(day=1) for m in months}
    return [
        Amount(r["agency_id"], r["department_id"], r["month"], r["category"], r["weight"], r["records"])
        for r in rows
        if r["month"] in wanted
    ]


@dataclass(frozen=True)
class CategoryRow:
    key: str
    label: str
    colour: str
    month: Decimal
    year_to_date: Decimal
    last_year_month: Decimal
    month_share: Decimal | None  # % of the month's total


@dataclass(frozen=True)
class Display:
    """定期公示垃圾清运量: one agency's month by category, the year so far and the last 12 months."""

    month: date
    rows: list[CategoryRow]
    total_month: Decimal
    total_year_to_date: Decimal
    total_last_year_month: Decimal
    recyclable_share_month: Decimal | None
    recyclable_share_year: Decimal | None
    records_month: int
    trend_months: list[date]
    trend: dict[str, list[Decimal]]  # category -> kg per month of trend_months

    @property
    def trend_rows(self) -> list[tuple[date, list[Decimal]]]:
        """(month, kg per category in the seed's order) for the table under the chart."""
        keys = [row.key for row in self.rows]
        return [(m, [self.trend[k][i] for k in keys]) for i, m in enumerate(self.trend_months)]

    @property
    def has_data(self) -> bool:
        return self.records_month > 0 or self.total_year_to_date > 0


def _by_category(amounts: list[Amount], months: set[date]) -> dict[str, Decimal]:
    sums = dict.fromkeys(WasteCategory.values, Decimal(0))
    for a in amounts:
        if a.month in months:
            sums[a.category] += a.weight
    return sums


def display(*, agency_id: int, month: date) -> Display:
    """The monthly public display of one agency (one query over 24 months)."""
    month = month.replace(day=1)
    trend_months = [month_add(month, -i) for i in range(11, -1, -1)]
    year_months = {date(month.year, m, 1) for m in range(1, month.month + 1)}
    last_year = date(month.year - 1, month.month, 1)
    span = sorted(set(trend_months) | year_months | {last_year})
    amounts = monthly_amounts(agency_ids=[agency_id], months=span)
    this = _by_category(amounts, {month})
    ytd = _by_category(amounts, year_months)
    before = _by_category(amounts, {last_year})
    total = sum(this.values(), Decimal(0))
    rows = [
        CategoryRow(
            key=style.key,
            label=style.label,
            colour=style.colour,
            month=this[style.key],
            year_to_date=ytd[style.key],
            last_year_month=before[style.key],
            month_share=(this[style.key] / total * 100) if total else None,
        )
        for style in category_styles()
    ]
    trend = {c: [Decimal(0)] * len(trend_months) for c in WasteCategory.values}
    index = {m: i for i, m in enumerate(trend_months)}
    for a in amounts:
        if a.month in index:
            trend[a.category][index[a.month]] += a.weight
    return Display(
        month=month,
        rows=rows,
        total_month=total,
        total_year_to_date=sum(ytd.values(), Decimal(0)),
        total_last_year_month=sum(before.values(), Decimal(0)),
        recyclable_share_month=recyclable_share(this),
        recyclable_share_year=recyclable_share(ytd),
        records_month=sum(a.records for a in amounts if a.month == month),
        trend_months=trend_months,
        trend=trend,
    )


def in_store(queryset) -> tuple[Decimal, int]:
    """Weight and number of the lots still in the hazardous store."""
    totals = queryset.filter(handover__isnull=True).aggregate(weight=Sum("weight"), lots=Count("pk"))
    return totals["weight"] or Decimal(0), totals["lots"]


def storage_for(scope):
    return scope.filter(HazardousStorage.objects, department_field="department")
