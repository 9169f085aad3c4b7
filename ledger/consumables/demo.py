"""Demo data of office consumables: the bureau's catalogue and, from January 2019 to the demo's last
month, purchases, requisitions by section, paper registration and running costs — falling year by
year (the seed's fourth target: quantity and cost at least 3 % lower than a year earlier).

Everything is computed month by month from fixed numbers (no randomness): the office restocks an
item when the month's issues would take it below its reorder level, issues at the moving average
cost, and never issues beyond stock. Idempotent: a re-run adds only the months after the last
demo row (none when the data are up to date) and touches no row entered by hand.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db.models import F, Max
from simple_history.utils import bulk_create_with_history

from agencies.demo import DEMO_FIRST_MONTH, DemoContext, register_demo
from agencies.models import Department
from agencies.scoping import Scope
from reporting import writes
from reporting.targets.services import target_save

from .indicators import CONSUMABLES_KEYS, COST, QUANTITY
from .models import Expense, Item, PaperUse, Purchase, Requisition, RowSource
from .rules import issue_cost

FIRST = DEMO_FIRST_MONTH  # the seed's 2019 baseline
SECTIONS = [
    "办公室",
    "党建工作科",
    "规划财务科",
    "待遇保障科",
    "基金监管科",
    "医药价格和招采科",
    "市医疗保险事业中心",
]
SUPPLIERS = ["临沂市兰山区文化办公用品商行", "山东政府采购网上商城（框架协议）"]
APPROVER = "高述刚"  # 能源资源管理办公室主任 (the seed's annex 1)
PRICE_RISE = Decimal("1.01")  # prices 1 % dearer each year
LATE_ORDER = "HC-011"  # its order for the last month is not in yet: the stock page shows it below its level


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    category: str
    unit: str
    price: Decimal  # 2019 unit price, yuan
    per_section: Decimal  # a section's monthly use in 2019
    reduction: Decimal  # yearly factor on the use
    reorder_level: int
    green: bool = False
    disposable: bool = False


def _entry(code, name, category, unit, price, use, reduction, reorder, flag=""):
    return CatalogueEntry(
        code, name, category, unit, Decimal(price), Decimal(use), Decimal(reduction), reorder,
        green=flag == "green", disposable=flag == "disposable",
    )  # fmt: skip


# code, name, category, unit, 2019 price, a section's monthly use in 2019, yearly factor, reorder level
CATALOGUE = [
    _entry("HC-001", "A4再生复印纸（70g，500张/包）", "paper", "包", "23.50", "5", "0.92", 30, "green"),
    _entry("HC-002", "A3复印纸（70g，500张/包）", "paper", "包", "46.00", "0.6", "0.92", 4),
    _entry("HC-011", "再生硒鼓（HP 88A 兼容）", "toner", "个", "168.00", "0.5", "0.93", 4, "green"),
    _entry("HC-012", "原装墨盒（黑色）", "toner", "个", "215.00", "0.25", "0.90", 2),
    _entry("HC-021", "中性笔（可换芯）", "pens", "支", "3.80", "3", "0.95", 20),
    _entry("HC-022", "中性笔芯（0.5mm）", "pens", "支", "0.90", "8", "0.97", 60, "green"),
    _entry("HC-023", "一次性签字笔", "pens", "支", "1.50", "4", "0.80", 20, "disposable"),
    _entry("HC-031", "一次性纸杯（250ml）", "disposable", "个", "0.12", "90", "0.82", 300, "disposable"),
    _entry("HC-041", "抽纸（200抽）", "cleaning", "包", "3.20", "6", "0.96", 30),
    _entry("HC-042", "洗手液（500ml）", "cleaning", "瓶", "16.80", "0.8", "0.97", 6, "green"),
    _entry("HC-051", "档案盒（再生纸板）", "other", "个", "6.50", "1.5", "0.95", 15, "green"),
]


def _months(first: date, last: date) -> list[date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return months


def _wobble(*parts) -> Decimal:
    """A fixed factor in [0.85, 1.15] per key, so a re-run gives the same numbers."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()[0]
    return Decimal("0.85") + Decimal(digest) / 255 * Decimal("0.30")


def _day(month: date, *parts) -> date:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()[1]
    return month.replace(day=3 + digest % 24)


@dataclass
class Simulation:
    """Every demo row of the bureau from FIRST to the last month, and each item's stock after them."""

    purchases: list[dict] = field(default_factory=list)
    requisitions: list[dict] = field(default_factory=list)
    paper: list[dict] = field(default_factory=list)
    expenses: list[dict] = field(default_factory=list)
    stock: dict[str, tuple[Decimal, Decimal]] = field(
        default_factory=dict
    )  # code -> (stock, value) at the end


def simulate(last: date) -> Simulation:
    """The bureau's consumables month by month (pure: no database)."""
    sim = Simulation()
    stock = {entry.code: (Decimal(0), Decimal(0)) for entry in CATALOGUE}
    carried: dict[tuple[str, str], Decimal] = {}  # a section's use not yet a whole unit
    for month in _months(FIRST, last):
        years = month.year - FIRST.year
        for entry in CATALOGUE:
            wanted = []
            for section in SECTIONS:
                use = entry.per_section * entry.reduction**years * _wobble(entry.code, section, month)
                use += carried.get((entry.code, section), Decimal(0))
                quantity = use.quantize(Decimal(1), rounding=ROUND_FLOOR)
                carried[(entry.code, section)] = use - quantity
                if quantity > 0:
                    wanted.append((section, quantity))
            needed = sum((q for _s, q in wanted), Decimal(0))
            on_hand, value = stock[entry.code]
            if entry.code == LATE_ORDER and month == last and on_hand - needed >= entry.reorder_level:
                # Whichever month is the demo's last, this item ends it one below its level: its
                # first section takes a little more than usual (the stock page then shows it).
                extra = on_hand - needed - entry.reorder_level + 1
                section, quantity = wanted[0] if wanted else (SECTIONS[0], Decimal(0))
                wanted[:1] = [(section, quantity + extra)]
                needed += extra
            late = entry.code == LATE_ORDER and month == last and on_hand >= needed
            if on_hand - needed < entry.reorder_level and not late:
                # 经费审批 on the 1st, bought on the 2nd: two months' need above the reorder level.
                quantity = (2 * needed + entry.reorder_level - on_hand).quantize(
                    Decimal(1), rounding=ROUND_CEILING
                )
                price = (entry.price * PRICE_RISE**years).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                amount = (quantity * price).quantize(Decimal("0.01"))
                sim.purchases.append(
                    {
                        "code": entry.code,
                        "approved_on": month,
                        "date": month.replace(day=2),
                        "quantity": quantity,
                        "unit_price": price,
                        "amount": amount,
                        "supplier": SUPPLIERS[month.month % 2],
                        "invoice_number": f"{month:%Y%m}{entry.code[-3:]}",
                    }
                )
                on_hand, value = on_hand + quantity, value + amount
            for section, quantity in wanted:
                cost = issue_cost(quantity=quantity, stock=on_hand, stock_value=value)
                on_hand, value = on_hand - quantity, value - cost
                sim.requisitions.append(
                    {
                        "code": entry.code,
                        "section": section,
                        "date": _day(month, entry.code, section),
                        "quantity": quantity,
                        "amount": cost,
                    }
                )
            stock[entry.code] = (on_hand, value)
        for section in SECTIONS:
            sheets = int(2400 * Decimal("0.92") ** years * _wobble("paper", section, month))
            duplex_share = min(Decimal("0.30") + Decimal("0.08") * years, Decimal("0.75"))
            sim.paper.append(
                {
                    "section": section,
                    "date": _day(month, "paper", section).replace(day=28),
                    "sheets": sheets,
                    "duplex_sheets": int(sheets * duplex_share),
                }
            )
            telephone = (Decimal(110) * Decimal("0.96") ** years * _wobble("tel", section, month)).quantize(
                Decimal("0.01")
            )
            sim.expenses.append(
                {"section": section, "kind": "telephone", "date": month.replace(day=25), "amount": telephone}
            )
        if month.month % 3 == 0:
            meeting = (Decimal(1800) * Decimal("0.93") ** years * _wobble("meeting", month)).quantize(
                Decimal("0.01")
            )
            sim.expenses.append(
                {"section": None, "kind": "meeting", "date": _day(month, "meeting"), "amount": meeting}
            )
        if month.month in (4, 10):
            reception = (Decimal(950) * Decimal("0.92") ** years * _wobble("reception", month)).quantize(
                Decimal("0.01")
            )
            sim.expenses.append(
                {
                    "section": "办公室",
                    "kind": "reception",
                    "date": _day(month, "reception"),
                    "amount": reception,
                }
            )
    sim.stock = stock
    return sim


def _seed_bureau(ctx: DemoContext, last: date) -> list[date]:
    bureau = ctx.agencies["LYYB"]
    manager, clerk = ctx.users.get("manager"), ctx.users.get("clerk")
    sections = {d.name: d for d in Department.objects.filter(agency=bureau, name__in=SECTIONS)}
    items = {}
    for entry in CATALOGUE:
        items[entry.code], _created = Item.objects.update_or_create(
            agency=bureau,
            code=entry.code,
            defaults={
                "name": entry.name,
                "category": entry.category,
                "unit": entry.unit,
                "is_green": entry.green,
                "is_disposable": entry.disposable,
                "reorder_level": Decimal(entry.reorder_level),
            },
        )
    done = Requisition.objects.filter(item__agency=bureau, source=RowSource.DEMO).aggregate(last=Max("date"))[
        "last"
    ]
    after = date(done.year + (done.month == 12), done.month % 12 + 1, 1) if done else FIRST
    if after > last:
        return []
    sim = simulate(last)
    new = lambda rows: [r for r in rows if r["date"] >= after]  # noqa: E731
    purchases = [
        Purchase(item=items[r.pop("code")], approver=APPROVER, source=RowSource.DEMO, created_by=manager, **r)
        for r in new(sim.purchases)
    ]
    requisitions = [
        Requisition(
            item=items[r["code"]],
            department=sections[r["section"]],
            date=r["date"],
            quantity=r["quantity"],
            amount=r["amount"],
            requested_by=f"{r['section']}经办人",
            issued_by=clerk,
            source=RowSource.DEMO,
            created_by=clerk,
        )
        for r in new(sim.requisitions)
    ]
    paper = [
        PaperUse(department=sections[r.pop("section")], source=RowSource.DEMO, created_by=clerk, **r)
        for r in new(sim.paper)
    ]
    expenses = [
        Expense(
            agency=bureau,
            department=sections.get(r.pop("section")),
            voucher_number=f"凭{r['date']:%Y%m%d}",
            source=RowSource.DEMO,
            created_by=manager,
            **r,
        )
        for r in new(sim.expenses)
    ]
    for model, rows in (
        (Purchase, purchases),
        (Requisition, requisitions),
        (PaperUse, paper),
        (Expense, expenses),
    ):
        bulk_create_with_history(rows, model, batch_size=1000, default_user=manager)
    # The stock moves by what the new rows moved it (rows entered by hand keep their effect).
    before = (
        simulate(date(after.year - (after.month == 1), (after.month - 2) % 12 + 1, 1)).stock if done else None
    )
    for code, (on_hand, value) in sim.stock.items():
        start = before[code] if before else (Decimal(0), Decimal(0))
        Item.objects.filter(pk=items[code].pk).update(
            stock=F("stock") + on_hand - start[0], stock_value=F("stock_value") + value - start[1]
        )
    return _months(after, last)


@register_demo(order=25)
def seed_consumables(ctx: DemoContext) -> None:
    last = ctx.period.last
    months = _seed_bureau(ctx, last)
    # The seed's fourth target (办公耗材数量和费用同比下降3%以上): quantity and cost, 2020 against
    # 2019; each later year, as for the other ledgers' demo targets, 1 % below the year before.
    city = Scope.system(None)
    for key, what in ((QUANTITY, "数量"), (COST, "费用")):
        target_save(
            scope=city, indicator=key, year=2020, baseline_year=2019, reduction_percent=Decimal("3.00"),
            note=f"办公耗材{what}同比下降3%以上",
        )  # fmt: skip
        for year in range(2021, ctx.period.today.year + 1):
            target_save(
                scope=city, indicator=key, year=year, baseline_year=year - 1,
                reduction_percent=Decimal("1.00"), note=f"办公耗材{what}比上年下降1%",
            )  # fmt: skip
    if months:
        writes.refresh_now(agency_ids=[ctx.agencies["LYYB"].pk], months=months, indicators=CONSUMABLES_KEYS)
    ctx.notes.append(
        f"Consumables: {Item.objects.filter(agency=ctx.agencies['LYYB']).count()} catalogue items; "
        f"{len(months)} new months of purchases, requisitions, paper and running costs (to {last:%Y-%m})."
    )
