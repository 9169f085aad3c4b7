"""The waste indicators: kg collected in total and per GB/T 19095 category, and the recyclable
share (可回收物占比), a ratio of two of them.

One computation (``waste_figures``: one GROUP BY over the collection ledger) gives every summed
key; department rows come from records that name the section that kept them. The share is
declared as a ``Ratio``: every reader divides the period's sums, none adds up monthly shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from reporting.registry import (
    PER_CAPITA,
    AnalysisReport,
    Figure,
    Indicator,
    Ratio,
    register_indicator,
    register_report,
)

from .categories import WasteCategory

TOTAL_KEY = "waste"
CATEGORY_KEYS = {category: f"{TOTAL_KEY}.{category}" for category in WasteCategory.values}
WASTE_KEYS = (TOTAL_KEY, *CATEGORY_KEYS.values())  # what a write of the ledger makes stale
SHARE_KEY = "waste.recyclable_share"  # what a write of the ledger makes stale
UNIT = "kg"
ORDER = 70


def _add(totals: dict, key: tuple, value: Decimal) -> None:
    totals[key] = totals.get(key, Decimal(0)) + value


def waste_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    """{key: figures} for the waste keys asked, from one ``monthly_amounts`` query."""
    from .queries import monthly_amounts

    sums: dict[str, dict] = {key: {} for key in WASTE_KEYS}
    for amount in monthly_amounts(agency_ids=agency_ids, months=months):
        for key in (TOTAL_KEY, CATEGORY_KEYS[amount.category]):
            _add(sums[key], (amount.agency_id, None, amount.month), amount.weight)
            if amount.department_id is not None:
                _add(sums[key], (amount.agency_id, amount.department_id, amount.month), amount.weight)
    return {
        key: [
            Figure(agency, department, month, value)
            for (agency, department, month), value in sums[key].items()
        ]
        for key in keys
    }


def _compute(key: str):
    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        return waste_figures(agency_ids, months, [key])[key]

    return compute


def register() -> None:
    register_indicator(
        Indicator(
            key=TOTAL_KEY,
            name=_("Waste collected"),
            unit=UNIT,
            compute=_compute(TOTAL_KEY),
            compute_batch=waste_figures,
            bases=(PER_CAPITA,),
            order=ORDER,
            breakdown_label=_("Category"),  # 类别: how dashboards and reports head the four categories
        )
    )
    for i, category in enumerate(WasteCategory):
        register_indicator(
            Indicator(
                key=CATEGORY_KEYS[category.value],
                name=category.label,
                unit=UNIT,
                compute=_compute(CATEGORY_KEYS[category.value]),
                compute_batch=waste_figures,
                parent=TOTAL_KEY,
                order=ORDER + 1 + i,
                colour=f"waste.{category.value}",  # EcoPalette.waste: the category's GB/T 19095 colour
            )
        )
    register_indicator(
        Indicator(
            key=SHARE_KEY,
            name=_("Recyclables' share of waste"),
            unit="%",
            aggregation=Ratio(CATEGORY_KEYS[WasteCategory.RECYCLABLE], TOTAL_KEY, Decimal(100)),
            order=ORDER + 5,
        )
    )
    # 统计汇总和分析报告 of the waste ledger: the months, sections and categories against last year
    # and the baseline, the recyclable share beside them.
    register_report(
        AnalysisReport(
            "waste",
            TOTAL_KEY,
            _("Waste collection statistics and analysis report"),
            related=(SHARE_KEY,),
            order=60,
        )
    )
