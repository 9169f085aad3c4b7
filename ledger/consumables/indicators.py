"""The consumables indicators: quantity and cost issued (by category, disposable), purchases (green
among them), paper sheets (duplex among them), and the running costs (telephone, meeting, reception).

Each ledger's indicators share one computation (``compute_batch``): one GROUP BY over its rows and
one MIN(date) per agency, whatever the number of agencies and months. An agency that keeps the
ledger gets a zero for a month without rows (from its first row's month to this month), so a
quiet month counts as 0, not as missing; an agency that never kept it has no figures (无数据).
Department rows come from the sections' requisitions, paper and expenses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db.models import Min, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reporting.registry import PER_CAPITA, Figure, Indicator, Ratio, register_indicator

from .models import Category, Expense, ExpenseKind, PaperUse, Purchase, Requisition

QUANTITY = "consumables_quantity"
COST = "consumables_cost"
DISPOSABLE = "consumables_disposable"
PURCHASES = "consumables_purchases"
GREEN = "consumables_purchases.green"
PAPER = "paper_sheets"
DUPLEX = "paper_sheets.duplex"
RUNNING = "running_costs"
DUPLEX_SHARE = "paper_duplex_share"
GREEN_SHARE = "consumables_green_share"

REQUISITION_KEYS = (QUANTITY, *(f"{QUANTITY}.{c}" for c in Category.values), COST, DISPOSABLE)
PURCHASE_KEYS = (PURCHASES, GREEN)
PAPER_KEYS = (PAPER, DUPLEX)
EXPENSE_KEYS = (RUNNING, *(f"{RUNNING}.{k}" for k in ExpenseKind.values))
CONSUMABLES_KEYS = (*REQUISITION_KEYS, *PURCHASE_KEYS, *PAPER_KEYS, *EXPENSE_KEYS)
ZERO = Decimal(0)


def _window(months: Sequence[date]) -> tuple[date, date]:
    last = max(months)
    end = date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    return min(months), end


class _Sums:
    """Figures of several keys being added up: (key, agency, department, month) → value."""

    def __init__(self, keys: Iterable[str]):
        self.values: dict[str, dict[tuple, Decimal]] = {key: {} for key in keys}

    def add(self, key: str, agency_id: int, department_id: int | None, month: date, value) -> None:
        if key in self.values and value is not None:
            cell = (agency_id, department_id, month)
            self.values[key][cell] = self.values[key].get(cell, ZERO) + Decimal(value)

    def fill_zeros(self, first_month: dict[int, date], months: Sequence[date]) -> None:
        this_month = timezone.localdate().replace(day=1)
        for values in self.values.values():
            for agency_id, first in first_month.items():
                for month in months:
                    if first <= month <= this_month:
                        values.setdefault((agency_id, None, month), ZERO)

    def figures(self) -> dict[str, list[Figure]]:
        return {
            key: [Figure(a, d, m, v) for (a, d, m), v in cells.items()] for key, cells in self.values.items()
        }


def _first_months(queryset, agency_field: str) -> dict[int, date]:
    rows = (
        queryset.values(agency_field)
        .annotate(first=Min("date"))
        .order_by()
        .values_list(agency_field, "first")
    )
    return {agency_id: first.replace(day=1) for agency_id, first in rows}


def requisition_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    start, end = _window(months)
    of_agencies = Requisition.objects.filter(item__agency_id__in=list(agency_ids))
    rows = (
        of_agencies.filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("item__agency_id", "department_id", "month", "item__category", "item__is_disposable")
        .annotate(quantity=Sum("quantity"), amount=Sum("amount"))
        .order_by()
    )
    sums = _Sums(keys)
    for row in rows:
        agency, month = row["item__agency_id"], row["month"]
        for department in (None, row["department_id"]):
            sums.add(QUANTITY, agency, department, month, row["quantity"])
            sums.add(f"{QUANTITY}.{row['item__category']}", agency, department, month, row["quantity"])
            sums.add(COST, agency, department, month, row["amount"])
            if row["item__is_disposable"]:
                sums.add(DISPOSABLE, agency, department, month, row["quantity"])
    sums.fill_zeros(_first_months(of_agencies, "item__agency_id"), months)
    return sums.figures()


def purchase_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    start, end = _window(months)
    of_agencies = Purchase.objects.filter(item__agency_id__in=list(agency_ids))
    rows = (
        of_agencies.filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("item__agency_id", "month", "item__is_green")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    sums = _Sums(keys)
    for row in rows:
        sums.add(PURCHASES, row["item__agency_id"], None, row["month"], row["amount"])
        if row["item__is_green"]:
            sums.add(GREEN, row["item__agency_id"], None, row["month"], row["amount"])
    sums.fill_zeros(_first_months(of_agencies, "item__agency_id"), months)
    return sums.figures()


def paper_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    start, end = _window(months)
    of_agencies = PaperUse.objects.filter(department__agency_id__in=list(agency_ids))
    rows = (
        of_agencies.filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("department__agency_id", "department_id", "month")
        .annotate(sheets=Sum("sheets"), duplex=Sum("duplex_sheets"))
        .order_by()
    )
    sums = _Sums(keys)
    for row in rows:
        for department in (None, row["department_id"]):
            sums.add(PAPER, row["department__agency_id"], department, row["month"], row["sheets"])
            sums.add(DUPLEX, row["department__agency_id"], department, row["month"], row["duplex"])
    sums.fill_zeros(_first_months(of_agencies, "department__agency_id"), months)
    return sums.figures()


def expense_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    start, end = _window(months)
    of_agencies = Expense.objects.filter(agency_id__in=list(agency_ids))
    rows = (
        of_agencies.filter(date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("agency_id", "department_id", "month", "kind")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    sums = _Sums(keys)
    for row in rows:
        departments = (None, row["department_id"]) if row["department_id"] else (None,)
        for department in departments:
            sums.add(RUNNING, row["agency_id"], department, row["month"], row["amount"])
            sums.add(f"{RUNNING}.{row['kind']}", row["agency_id"], department, row["month"], row["amount"])
    sums.fill_zeros(_first_months(of_agencies, "agency_id"), months)
    return sums.figures()


def _one(batch: Callable, key: str):
    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        return batch(agency_ids, months, [key])[key]

    return compute


# Units are codes (agencies.conventions.UNITS: 元, 件, 张), as every ledger's: pages, reports and
# the notice put them into words in the reader's language.
YUAN, PIECES, SHEETS = "yuan", "piece", "sheet"
GREEN_NAME = pgettext_lazy("consumables indicator", "Green products")
DUPLEX_NAME = pgettext_lazy("consumables indicator", "Printed on both sides")
# (key, name, unit, batch, parent, per_capita, order). A part's name is said without "of which":
# the notice and the reports put 其中： before the parts themselves.
INDICATORS = [
    (QUANTITY, _("Office consumables issued"), PIECES, requisition_figures, None, True, 200),
    *(
        (f"{QUANTITY}.{category}", label, PIECES, requisition_figures, QUANTITY, False, 201 + i)
        for i, (category, label) in enumerate(Category.choices)
    ),
    (COST, _("Office consumables cost"), YUAN, requisition_figures, None, True, 210),
    (DISPOSABLE, _("Disposable items issued"), PIECES, requisition_figures, None, False, 215),
    (PURCHASES, _("Consumables purchases"), YUAN, purchase_figures, None, False, 220),
    (GREEN, GREEN_NAME, YUAN, purchase_figures, PURCHASES, False, 221),
    (PAPER, _("Paper used"), SHEETS, paper_figures, None, True, 230),
    (DUPLEX, DUPLEX_NAME, SHEETS, paper_figures, PAPER, False, 231),
    (RUNNING, _("Telephone, meeting and reception costs"), YUAN, expense_figures, None, False, 240),
    *(
        (f"{RUNNING}.{kind}", label, YUAN, expense_figures, RUNNING, False, 241 + i)
        for i, (kind, label) in enumerate(ExpenseKind.choices)
    ),
]


# Ratios of two of the sums above, read by every reader from their parts (never a sum of ratios).
RATIOS = [
    (GREEN_SHARE, _("Green share of consumables purchases"), GREEN, PURCHASES, 225),
    (DUPLEX_SHARE, _("Duplex share of paper"), DUPLEX, PAPER, 235),
]


def register() -> None:
    for key, name, unit, batch, parent, per_capita, order in INDICATORS:
        register_indicator(
            Indicator(
                key=key,
                name=name,
                unit=unit,
                compute=_one(batch, key),
                compute_batch=batch,
                parent=parent,
                bases=(PER_CAPITA,) if per_capita else (),
                order=order,
            )
        )
    for key, name, numerator, denominator, order in RATIOS:
        register_indicator(
            Indicator(
                key=key,
                name=name,
                unit="%",
                aggregation=Ratio(numerator, denominator, Decimal(100)),
                order=order,
            )
        )
