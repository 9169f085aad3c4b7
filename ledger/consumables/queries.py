"""Reads of office consumables that are more than a one-line filter: stock, per-section consumption
year on year, and the monthly running-costs table the office posts (每月公布科室电话费开支情况)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from agencies.models import Department

from .models import Expense, ExpenseKind, PaperUse, Requisition
from .rules import share_percent

ZERO = Decimal(0)


def item_months(*, item_ids) -> dict[int, set[date]]:
    """item id → the months of its purchases and requisitions (two DISTINCT queries)."""
    from django.db.models.functions import TruncMonth

    from .models import Purchase

    months: dict[int, set[date]] = {}
    for model in (Purchase, Requisition):
        rows = (
            model.objects.filter(item_id__in=list(item_ids))
            .annotate(month=TruncMonth("date"))
            .values_list("item_id", "month")
            .distinct()
            .order_by()
        )
        for item_id, month in rows:
            months.setdefault(item_id, set()).add(month)
    return months


def percent_change(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    """(new − old) ÷ old × 100 to 0.01; None without a base to compare with."""
    if new is None or old is None or old == 0:
        return None
    return ((new - old) / old * 100).quantize(Decimal("0.01"))


@dataclass
class SectionRow:
    department: Department | None  # None: the agency total
    quantity: Decimal = ZERO
    cost: Decimal = ZERO
    last_quantity: Decimal = ZERO
    last_cost: Decimal = ZERO
    sheets: int = 0
    duplex: int = 0

    @property
    def quantity_change(self) -> Decimal | None:
        return percent_change(self.quantity, self.last_quantity)

    @property
    def cost_change(self) -> Decimal | None:
        return percent_change(self.cost, self.last_cost)

    @property
    def duplex_share(self) -> Decimal | None:
        return share_percent(Decimal(self.duplex), Decimal(self.sheets))


def section_consumption(
    *, departments: QuerySet[Department], year: int, through: int = 12, with_total: bool = True
) -> list[SectionRow]:
    """Per section: quantity and cost issued in ``year`` months 1..through and in the same months a
    year earlier, and the paper used; two GROUP BY queries (and one for the sections)."""
    sections = list(departments.order_by("sort_order", "name"))
    rows = {d.pk: SectionRow(d) for d in sections}
    same_months = Q(date__month__lte=through) & (Q(date__year=year) | Q(date__year=year - 1))
    issued = (
        Requisition.objects.filter(same_months, department__in=[d.pk for d in sections])
        .annotate(y=ExtractYear("date"))
        .values("department_id", "y")
        .annotate(quantity=Sum("quantity"), cost=Sum("amount"))
        .order_by()
    )
    for r in issued:
        row = rows[r["department_id"]]
        if r["y"] == year:
            row.quantity, row.cost = r["quantity"], r["cost"]
        else:
            row.last_quantity, row.last_cost = r["quantity"], r["cost"]
    paper = (
        PaperUse.objects.filter(
            department__in=[d.pk for d in sections], date__year=year, date__month__lte=through
        )
        .values("department_id")
        .annotate(sheets=Sum("sheets"), duplex=Sum("duplex_sheets"))
        .order_by()
    )
    for r in paper:
        rows[r["department_id"]].sheets, rows[r["department_id"]].duplex = r["sheets"], r["duplex"]
    result = list(rows.values())
    if with_total:
        total = SectionRow(None)
        for row in result:
            total.quantity += row.quantity
            total.cost += row.cost
            total.last_quantity += row.last_quantity
            total.last_cost += row.last_cost
            total.sheets += row.sheets
            total.duplex += row.duplex
        result.append(total)
    return result


@dataclass
class ExpenseRow:
    label: str
    department_id: int | None
    amounts: dict[str, Decimal] = field(default_factory=dict)  # kind -> yuan

    @property
    def total(self) -> Decimal:
        return sum(self.amounts.values(), ZERO)

    def cells(self) -> list[Decimal]:
        return [self.amounts.get(kind, ZERO) for kind in ExpenseKind.values]


@dataclass
class ExpenseTable:
    month: date
    rows: list[ExpenseRow]
    total: ExpenseRow

    @property
    def kinds(self) -> list[str]:
        return [str(label) for _value, label in ExpenseKind.choices]


def expense_table(*, agency, month: date, agency_wide_label: str, total_label: str) -> ExpenseTable:
    """The running costs of ``month`` per section and kind (one GROUP BY), every section listed."""
    month = month.replace(day=1)
    sections = list(Department.objects.filter(agency=agency, is_active=True).order_by("sort_order", "name"))
    rows = {d.pk: ExpenseRow(d.name, d.pk) for d in sections}
    amounts = (
        Expense.objects.filter(agency=agency, date__year=month.year, date__month=month.month)
        .values("department_id", "kind")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    total = ExpenseRow(total_label, None)
    for r in amounts:
        department_id = r["department_id"]
        if department_id not in rows:
            rows[department_id] = ExpenseRow(
                agency_wide_label if department_id is None else str(Department.objects.get(pk=department_id)),
                department_id,
            )
        rows[department_id].amounts[r["kind"]] = r["amount"]
        total.amounts[r["kind"]] = total.amounts.get(r["kind"], ZERO) + r["amount"]
    ordered = [rows[d.pk] for d in sections] + [
        row for pk, row in rows.items() if pk not in {d.pk for d in sections}
    ]
    return ExpenseTable(month, ordered, total)
