"""The agency dashboard's queries and numbers.

The agency dashboard reads the years with yearly facts and with targets, the targets' evaluation
(three queries, ``reporting.targets``), the monthly series of every indicator for this year, last
year and the baseline years (one query), the department breakdown (one GROUP BY), the yearly facts
(one) and each registered alert — never one query per agency, month or department.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, AgencyYear

from ..models import MonthlyFigure
from ..registry import PER_AREA, PER_CAPITA, AlertItem, Indicator, alerts, indicators
from ..targets.evaluate import TargetResult, TargetStatus, targets_evaluate
from .common import (
    HUNDRED,
    PLACES,
    Period,
    chart_number,
    divide,
    indicator_or_none,
    percent_change,
    period_resolve,
    target_years,
    years_with_facts,
)

# --- Agency dashboard ---------------------------------------------------------------------------


@dataclass
class TargetCard:
    result: TargetResult
    indicator: Indicator | None
    unit: str
    spark: list[float | None]  # this year's monthly values (in the target's basis)

    @property
    def places(self) -> int:
        return 2 if self.result.basis == PER_CAPITA else 0

    @property
    def status(self) -> str:
        return self.result.status


@dataclass
class MonthlyChart:
    key: str
    title: str
    unit: str
    year: int
    last_year: int
    baseline_year: int
    this_year: list[Decimal | None]
    previous: list[Decimal | None]
    baseline: list[Decimal | None]
    target: list[Decimal | None]
    target_percent: Decimal
    places: int = 0

    @property
    def show_previous(self) -> bool:
        """Last year is a series of its own unless it is the baseline year."""
        return self.last_year != self.baseline_year

    def rows(self) -> list[dict]:
        return [
            {
                "month": m + 1,
                "this_year": self.this_year[m],
                "previous": self.previous[m],
                "baseline": self.baseline[m],
                "target": self.target[m],
            }
            for m in range(12)
        ]

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "months": [_("Month %(m)s") % {"m": m} for m in range(1, 13)],
            "series": [
                {
                    "name": str(self.year),
                    "role": "this_year",
                    "data": [chart_number(v) for v in self.this_year],
                },
                *(
                    [
                        {
                            "name": str(self.last_year),
                            "role": "previous",
                            "data": [chart_number(v) for v in self.previous],
                        }
                    ]
                    if self.show_previous
                    else []
                ),
                {
                    "name": _("%(year)s (baseline)") % {"year": self.baseline_year},
                    "role": "baseline",
                    "data": [chart_number(v) for v in self.baseline],
                },
                {
                    "name": _("Target (−%(pct)s%%)") % {"pct": self.target_percent.normalize()},
                    "role": "target",
                    "data": [chart_number(v) for v in self.target],
                },
            ],
        }


@dataclass
class IndicatorRow:
    """One top-level indicator's year to date, against last year's same months, per person and m²."""

    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    per_capita: Decimal | None
    per_area: Decimal | None


@dataclass
class ShareRow:
    name: str
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    share: Decimal | None  # % of the total of the group


@dataclass
class Breakdown:
    key: str
    title: str
    unit: str
    rows: list[ShareRow]

    @property
    def top(self) -> ShareRow | None:
        return self.rows[0] if self.rows and self.rows[0].value else None

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "names": [r.name for r in self.rows],
            "values": [chart_number(r.value) for r in self.rows],
            "previous": [chart_number(r.previous) for r in self.rows],
        }


@dataclass
class AgencyDashboard:
    agency: Agency
    period: Period
    years: list[int]
    cards: list[TargetCard]
    charts: list[MonthlyChart]
    indicator_rows: list[IndicatorRow]
    departments: list[Breakdown]
    items: list[Breakdown]
    alerts: list[tuple[str, AlertItem]]
    facts: AgencyYear | None
    target_years: list[int] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TargetStatus.values, 0)
        for card in self.cards:
            counts[card.status] += 1
        return counts

    def chart_data(self) -> dict:
        return {
            "monthly": [c.as_json() for c in self.charts],
            "sparks": {c.result.indicator: c.spark for c in self.cards},
            "departments": [b.as_json() for b in self.departments],
            "items": [b.as_json() for b in self.items],
            "labels": {"this_year": str(self.period.year), "previous": str(self.period.year - 1)},
        }


def _series(*, agency_id: int, keys: list[str], years: set[int]) -> dict[tuple[str, int], list]:
    """(indicator, year) → 12 monthly values (None where missing); one query."""
    series: dict[tuple[str, int], list] = defaultdict(lambda: [None] * 12)
    if not keys:
        return series
    rows = MonthlyFigure.objects.filter(
        agency_id=agency_id,
        department=None,
        indicator__in=keys,
        month__gte=date(min(years), 1, 1),
        month__lte=date(max(years), 12, 1),
    ).values_list("indicator", "month", "value")
    for key, month, value in rows:
        if month.year in years:
            series[(key, month.year)][month.month - 1] = value
    return series


def _sum(values: list, through: int) -> Decimal | None:
    present = [v for v in values[:through] if v is not None]
    return sum(present, Decimal(0)) if present else None


def _department_sums(*, agency_id: int, keys: list[str], year: int, through: int) -> dict:
    """(indicator, department id) → {name, order, now, previous}; one GROUP BY over two years."""
    rows = (
        MonthlyFigure.objects.filter(
            agency_id=agency_id,
            department__isnull=False,
            indicator__in=keys,
            month__gte=date(year - 1, 1, 1),
            month__lte=date(year, through, 1),
            month__month__lte=through,
        )
        .annotate(y=ExtractYear("month"))
        .values("indicator", "department_id", "department__name", "department__sort_order", "y")
        .annotate(total=Sum("value"))
        .order_by()
    )
    result: dict = {}
    for row in rows:
        entry = result.setdefault(
            (row["indicator"], row["department_id"]),
            {
                "name": row["department__name"],
                "order": row["department__sort_order"],
                "now": None,
                "prev": None,
            },
        )
        entry["now" if row["y"] == year else "prev"] = row["total"]
    return result


def _share_rows(
    entries: list[tuple[str, Decimal | None, Decimal | None]], total: Decimal | None
) -> list[ShareRow]:
    """Rows biggest first; the share is of the agency total (departments and items rarely cover it all)."""
    rows = [
        ShareRow(
            name=name,
            value=value,
            previous=prev,
            change=percent_change(value, prev),
            share=(value / total * HUNDRED).quantize(PLACES) if value is not None and total else None,
        )
        for name, value, prev in entries
    ]
    return sorted(rows, key=lambda r: (r.value is None, -(r.value or 0)))


def _basis_divisor(basis: str, facts: dict[int, AgencyYear], year: int):
    if basis != PER_CAPITA:
        return 1
    row = facts.get(year)
    return row.headcount if row else None


def _in_basis(values: list, divisor) -> list:
    return [divide(v, divisor) if v is not None else None for v in values]


def agency_dashboard(
    *, agency: Agency, year: int | None = None, quarter: int | None = None
) -> AgencyDashboard:
    years = years_with_facts(agency_ids=[agency.pk])
    with_targets = target_years(agency_id=agency.pk)
    period = period_resolve(year=year, quarter=quarter, years=years, with_targets=with_targets)
    through = period.as_of_month
    results = targets_evaluate(agency_ids=[agency.pk], year=period.year, as_of_month=through)

    top = indicators(top_level_only=True)
    all_keys = [i.key for i in indicators()]
    wanted_years = {period.year, period.year - 1} | {r.baseline_year for r in results}
    series = _series(agency_id=agency.pk, keys=all_keys, years=wanted_years)
    facts = {f.year: f for f in AgencyYear.objects.filter(agency=agency, year__in=wanted_years)}

    cards, charts = [], []
    for result in results:
        indicator = indicator_or_none(result.indicator)
        now_div = _basis_divisor(result.basis, facts, period.year)
        this_year = _in_basis(series[(result.indicator, period.year)], now_div)[:through] + [None] * (
            12 - through
        )
        baseline = _in_basis(
            series[(result.indicator, result.baseline_year)],
            _basis_divisor(result.basis, facts, result.baseline_year),
        )
        previous = _in_basis(
            series[(result.indicator, period.year - 1)], _basis_divisor(result.basis, facts, period.year - 1)
        )
        factor = (HUNDRED - result.target_percent) / HUNDRED
        cards.append(
            TargetCard(result, indicator, result.unit, [chart_number(v) for v in this_year[:through]])
        )
        charts.append(
            MonthlyChart(
                key=result.indicator,
                title=result.indicator_name,
                unit=result.unit,
                year=period.year,
                last_year=period.year - 1,
                baseline_year=result.baseline_year,
                this_year=this_year,
                previous=previous,
                baseline=baseline,
                target=[v * factor if v is not None else None for v in baseline],
                target_percent=result.target_percent,
                places=2 if result.basis == PER_CAPITA else 0,
            )
        )

    this_facts = facts.get(period.year)
    indicator_rows = []
    for indicator in top:
        value = _sum(series[(indicator.key, period.year)], through)
        previous = _sum(series[(indicator.key, period.year - 1)], through)
        if value is None and previous is None:
            continue
        indicator_rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                previous=previous,
                change=percent_change(value, previous),
                per_capita=divide(value, this_facts.headcount)
                if PER_CAPITA in indicator.bases and this_facts
                else None,
                per_area=divide(value, this_facts.building_area)
                if PER_AREA in indicator.bases and this_facts
                else None,
            )
        )

    items = []
    for parent in top:
        children = [i for i in indicators() if i.parent == parent.key]
        entries = [
            (
                str(child.name),
                _sum(series[(child.key, period.year)], through),
                _sum(series[(child.key, period.year - 1)], through),
            )
            for child in children
        ]
        entries = [e for e in entries if e[1] is not None or e[2] is not None]
        if entries:
            total = _sum(series[(parent.key, period.year)], through)
            items.append(
                Breakdown(parent.key, str(parent.name), str(parent.unit), _share_rows(entries, total))
            )

    top_keys = [i.key for i in top]
    by_department = _department_sums(agency_id=agency.pk, keys=top_keys, year=period.year, through=through)
    departments = []
    for indicator in top:
        entries = [
            (entry["name"], entry["now"], entry["prev"])
            for (key, _dept), entry in sorted(by_department.items(), key=lambda kv: kv[1]["order"])
            if key == indicator.key
        ]
        if len(entries) >= 2:  # one department's bar says nothing a leader can compare
            total = _sum(series[(indicator.key, period.year)], through)
            rows = _share_rows(entries, total)
            departments.append(Breakdown(indicator.key, str(indicator.name), str(indicator.unit), rows))

    return AgencyDashboard(
        agency=agency,
        period=period,
        years=years,
        cards=cards,
        charts=charts,
        indicator_rows=indicator_rows,
        departments=departments,
        items=items,
        alerts=alerts_collect(agency_ids=[agency.pk]),
        facts=this_facts,
        target_years=with_targets,
    )


def alerts_collect(*, agency_ids: list[int], as_of: date | None = None) -> list[tuple[str, AlertItem]]:
    """Every registered alert's items for these agencies: (alert name, item), worst first."""
    as_of = as_of or timezone.localdate()
    order = {"danger": 0, "warning": 1, "info": 2}
    found = []
    for alert in alerts():
        for item in alert.compute(agency_ids, as_of):
            found.append((str(alert.name), item))
    return sorted(found, key=lambda pair: (order.get(pair[1].level, 3), pair[0]))
