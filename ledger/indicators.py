"""The ledger's indicators: electricity, water, gas, heat, energy cost, and the per-item breakdowns.

Only meters without a parent count toward an agency's total; sub-meters give the 分项 breakdown.
Department rows come from the meters that carry a department (a zone sub-meter counts for its
department unless its parent already measures that department). Each compute runs a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reporting.registry import Figure, Indicator, register_indicator

from .models import ITEMS_BY_KIND, ItemCategory, MeterKind
from .queries import MeterUsage, cost_by_meter, usage_of_meters


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


def total_compute(kind: str):
    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        usages = usage_of_meters(agency_ids=agency_ids, months=months, kind=kind)
        return _figures([u for u in usages if u.parent_id is None], department_meters(usages))

    return compute


def item_compute(kind: str, item: str):
    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        usages = usage_of_meters(agency_ids=agency_ids, months=months, kind=kind)
        items = [u for u in usages if u.parent_id is not None and u.item == item]
        return _figures(items, [u for u in items if u.department_id])

    return compute


def cost_compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
    costs = cost_by_meter(agency_ids=agency_ids, months=months)
    return _figures(costs, [u for u in costs if u.department_id])


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


def register() -> None:
    for kind, name, unit, per_capita, order in TOTALS:
        register_indicator(
            Indicator(
                key=str(kind),
                name=name,
                unit=unit,
                compute=total_compute(kind),
                per_capita=per_capita,
                per_area=kind != MeterKind.WATER,
                order=order,
            )
        )
        for i, item in enumerate(ITEMS_BY_KIND[kind]):
            register_indicator(
                Indicator(
                    key=f"{kind}.{item}",
                    name=ItemCategory(item).label,
                    unit=unit,
                    compute=item_compute(kind, item),
                    parent=str(kind),
                    order=order + 1 + i,
                )
            )
    register_indicator(
        Indicator(key=COST_KEY, name=_("Energy and water cost"), unit="yuan", compute=cost_compute, order=50)
    )
