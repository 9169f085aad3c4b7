"""The ledger's indicators: electricity, water, gas, heat, energy cost, and the per-item breakdowns.

Only meters without a parent count toward an agency's total; sub-meters give the 分项 breakdown.
Department rows come from the meters that carry a department (a zone sub-meter counts for its
department unless its parent already measures that department). The usage indicators share one
computation (``usage_figures``, 3 queries for every agency, kind and month asked for).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reporting.registry import (
    PER_AREA,
    PER_CAPITA,
    AnalysisReport,
    Figure,
    Indicator,
    register_indicator,
    register_report,
)

from .models import ITEMS_BY_KIND, ItemCategory, MeterKind
from .queries import MeterUsage, cost_by_meter, meter_tree, usage_of_meters


def _figures(in_total: list[MeterUsage], in_departments: list[MeterUsage]) -> list[Figure]:
    totals: dict[tuple, Decimal] = {}
    for usage in in_total:
        for month, value in usage.monthly.items():
            key = (usage.agency_id, None, month)
            totals[key] = totals.get(key, Decimal(0)) + value
    for usage in in_departments:
        for month, value in usage.monthly.items():
            key = (usage.agency_id, usage.department_id, month)
            totals[key] = totals.get(key, Decimal(0)) + value
    return [Figure(agency, department, month, value) for (agency, department, month), value in totals.items()]


def department_meters(usages: list[MeterUsage]) -> list[MeterUsage]:
    """Meters that measure a department (分户/分区): those whose parent is not already that department's."""
    department_of = {u.meter_id: u.department_id for u in usages}
    return [u for u in usages if u.department_id and department_of.get(u.parent_id) != u.department_id]


def usage_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    """The usage indicators ``keys`` (totals and item breakdowns) from one pass: {key: figures}.

    One ``usage_of_meters`` call (3 queries) reads the readings of every kind the keys need, for
    all the agencies, and spreads them once; each key's figures are then sums over those meters.
    ``figures_refresh`` calls it once for all of them (``Indicator.compute_batch``).
    """
    wanted = {key: (key.partition(".")[0], key.partition(".")[2]) for key in keys}
    usages = usage_of_meters(
        agency_ids=agency_ids, months=months, kinds=sorted({kind for kind, _item in wanted.values()})
    )
    of_kind: dict[str, list[MeterUsage]] = {}
    for usage in usages:
        of_kind.setdefault(usage.kind, []).append(usage)
    result = {}
    for key, (kind, item) in wanted.items():
        meters = of_kind.get(kind, [])
        if not item:
            result[key] = _figures([u for u in meters if u.parent_id is None], department_meters(meters))
        else:
            items = [u for u in meters if u.parent_id is not None and u.item == item]
            result[key] = _figures(items, [u for u in items if u.department_id])
    return result


def usage_compute(key: str):
    """The indicator ``key`` on its own (the same figures as in ``usage_figures``)."""

    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        return usage_figures(agency_ids, months, [key])[key]

    return compute


def cost_compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
    """Energy and water cost (yuan) from the bills, spread over their months by days (2 queries).

    A sub-meter's bill is part of the bill of a meter above it: where a meter above it has a bill
    for the month, the sub-meter's amount counts neither toward the agency total nor — when that
    meter measures the same department — toward the department (money is counted once, as usage
    is). A sub-meter billed in a month no meter above it is billed for counts: it is the only
    money of that month.
    """
    costs = cost_by_meter(agency_ids=agency_ids, months=months)
    if not costs:
        return []
    tree = meter_tree(agency_ids=agency_ids)  # meter → (parent, department)
    billed = {u.meter_id: u.monthly for u in costs}

    def ancestors(meter_id: int):
        seen = {meter_id}
        parent = tree.get(meter_id, (None, None))[0]
        while parent is not None and parent not in seen:
            seen.add(parent)
            yield parent, tree.get(parent, (None, None))[1]
            parent = tree.get(parent, (None, None))[0]

    totals: dict[tuple, Decimal] = {}
    for usage in costs:
        above = list(ancestors(usage.meter_id))
        for month, value in usage.monthly.items():
            covering = [department for meter, department in above if month in billed.get(meter, {})]
            rows = [] if covering else [(usage.agency_id, None, month)]
            if usage.department_id and usage.department_id not in covering:
                rows.append((usage.agency_id, usage.department_id, month))
            for key in rows:
                totals[key] = totals.get(key, Decimal(0)) + value
    return [Figure(agency, department, month, value) for (agency, department, month), value in totals.items()]


TOTALS = [
    (MeterKind.ELECTRICITY, _("Electricity"), "kWh", False, 10),
    (MeterKind.WATER, _("Water"), "m³", True, 20),
    (MeterKind.GAS, _("Natural gas"), "m³", False, 30),
    (MeterKind.HEAT, _("Heat"), "GJ", False, 40),
]
# The indicators that readings (and the meters' usage from bills) feed: totals and item breakdowns.
USAGE_KEYS = tuple(
    key for kind, *_rest in TOTALS for key in (str(kind), *(f"{kind}.{item}" for item in ITEMS_BY_KIND[kind]))
)
COST_KEY = "energy_cost"
LEDGER_KEYS = (*USAGE_KEYS, COST_KEY)


def keys_of_kind(kind: str) -> tuple[str, ...]:
    """The usage indicators a meter of ``kind`` feeds: the kind's total and its item breakdowns."""
    return (str(kind), *(f"{kind}.{item}" for item in ITEMS_BY_KIND[kind]))


def register() -> None:
    for kind, name, unit, per_capita, order in TOTALS:
        register_indicator(
            Indicator(
                key=str(kind),
                name=name,
                unit=unit,
                compute=usage_compute(str(kind)),
                compute_batch=usage_figures,
                bases=(PER_CAPITA,) if per_capita else (PER_AREA,),
                order=order,
            )
        )
        for i, item in enumerate(ITEMS_BY_KIND[kind]):
            register_indicator(
                Indicator(
                    key=f"{kind}.{item}",
                    name=ItemCategory(item).label,
                    unit=unit,
                    compute=usage_compute(f"{kind}.{item}"),
                    compute_batch=usage_figures,
                    parent=str(kind),
                    order=order + 1 + i,
                )
            )
    register_indicator(
        Indicator(key=COST_KEY, name=_("Energy and water cost"), unit="yuan", compute=cost_compute, order=50)
    )
    # The statistics and analysis reports (统计汇总和分析报告) of the seed: electricity, and water
    register_report(
        AnalysisReport(
            "electricity",
            str(MeterKind.ELECTRICITY),
            _("Electricity consumption statistics and analysis report"),
        )
    )
    register_report(
        AnalysisReport(
            "water", str(MeterKind.WATER), _("Water consumption statistics and analysis report"), order=20
        )
    )
