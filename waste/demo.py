"""Demo data of the waste ledger: the bureau's and the audit bureau's collections from 2019 to the
demo's last month (``ctx.period``), collection points, and the hazardous store handed over every quarter.

Amounts are the sort a 45-person office produces: other waste collected weekly, tea-room kitchen
waste weekly, recyclables (mostly paper) sold monthly, hazardous lamps and batteries stored and
handed to a licensed disposer each quarter. Other waste falls and recyclables rise a little each
year. Every amount is fixed by a hash of its date, so re-running gives the same numbers;
idempotent: rows are matched by agency, date and category and only missing ones are added.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from simple_history.utils import bulk_create_with_history

from agencies.demo import DEMO_FIRST_MONTH as FIRST_MONTH
from agencies.demo import DemoContext, register_demo
from agencies.models import Agency
from reporting import writes

from .categories import WasteCategory
from .indicators import WASTE_KEYS
from .models import CollectionPoint, HazardousStorage, WasteCollection, WasteSource
from .rules import month_add

COLLECTORS = {
    WasteCategory.OTHER: "临沂市城市环卫清运有限公司",
    WasteCategory.KITCHEN: "临沂市城市环卫清运有限公司",
    WasteCategory.RECYCLABLE: "临沂市再生资源回收有限公司",
}
DISPOSER = "山东鲁南危险废物处置有限公司"  # a demo name
DISPOSER_LICENCE = "鲁危证37130021"  # a demo number
WEEK_DAYS = (7, 14, 21, 28)  # weekly collections
RECYCLING_DAY = 25


@dataclass(frozen=True)
class Profile:
    """Monthly kg of one agency before the yearly trend and the wobble."""

    other: Decimal
    kitchen: Decimal
    recyclable: Decimal
    lamps: Decimal  # kg stored in the first month of each quarter
    batteries: Decimal  # kg stored in the second month


PROFILES = {
    "LYYB": Profile(Decimal(310), Decimal(120), Decimal(85), Decimal("2.4"), Decimal("0.9")),
    "LYSJ": Profile(Decimal(260), Decimal(90), Decimal(60), Decimal("1.6"), Decimal("0.6")),
}
YEARLY = {
    WasteCategory.OTHER: Decimal("0.95"),
    WasteCategory.KITCHEN: Decimal("0.98"),
    WasteCategory.RECYCLABLE: Decimal("1.04"),
}


def wobble(key: str) -> Decimal:
    """A fixed ±10 % per key, so that re-running gives the same numbers."""
    digest = hashlib.sha256(key.encode()).digest()[0]
    return Decimal(1) + (Decimal(digest) / 255 - Decimal("0.5")) * Decimal("0.2")


def _kg(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def months(last: date) -> list[date]:
    out, month = [], FIRST_MONTH
    while month <= last:
        out.append(month)
        month = month_add(month, 1)
    return out


def planned_collections(code: str, last: date) -> list[tuple[date, str, Decimal]]:
    """(date, category, kg) of every ordinary collection of agency ``code`` up to ``last``'s month."""
    profile = PROFILES[code]
    rows = []
    for month in months(last):
        years = month.year - FIRST_MONTH.year
        for category, monthly in (
            (WasteCategory.OTHER, profile.other),
            (WasteCategory.KITCHEN, profile.kitchen),
        ):
            for day in WEEK_DAYS:
                when = month.replace(day=day)
                share = monthly / len(WEEK_DAYS) * YEARLY[category] ** years
                rows.append((when, category.value, _kg(share * wobble(f"{code}{category}{when}"))))
        when = month.replace(day=RECYCLING_DAY)
        amount = profile.recyclable * YEARLY[WasteCategory.RECYCLABLE] ** years
        rows.append((when, WasteCategory.RECYCLABLE.value, _kg(amount * wobble(f"{code}recyclable{when}"))))
    return rows


def planned_lots(code: str, last: date) -> list[tuple[date, str, Decimal, int]]:
    """(stored on, kind, kg, pieces): lamps in each quarter's first month, batteries in its second."""
    profile = PROFILES[code]
    lots = []
    for month in months(last):
        position = (month.month - 1) % 3
        if position == 0:
            kg = _kg(profile.lamps * wobble(f"{code}lamps{month}"))
            lots.append((month.replace(day=10), "lamps", kg, int(kg * 5)))
        elif position == 1:
            kg = _kg(profile.batteries * wobble(f"{code}batteries{month}"))
            lots.append((month.replace(day=10), "batteries", kg, int(kg * 40)))
    return lots


def handover_day(stored_on: date) -> date:
    """A quarter's lots leave the store on the 20th of the quarter's last month."""
    last_month = date(stored_on.year, (stored_on.month - 1) // 3 * 3 + 3, 1)
    return last_month.replace(day=20)


def _points(agency: Agency) -> None:
    for name, location, categories in [
        ("7层茶水间", "7层东侧茶水间", ["recyclable", "kitchen", "other"]),
        ("8层茶水间", "8层东侧茶水间", ["recyclable", "kitchen", "other"]),
        ("有害垃圾暂存点", "7层东侧库房（上锁）", ["hazardous"]),
        ("楼外分类投放点", "城建档案服务大楼东门", ["recyclable", "kitchen", "other"]),
    ]:
        CollectionPoint.objects.update_or_create(
            agency=agency, name=name, defaults={"location": location, "categories": categories}
        )


def _seed_agency(agency: Agency, last: date, by) -> set[date]:
    code = agency.code
    points = {p.name: p for p in CollectionPoint.objects.filter(agency=agency)}
    have = set(WasteCollection.objects.filter(agency=agency).values_list("date", "category"))
    new = []
    for day, category, kg in planned_collections(code, last):
        if (day, category) in have:
            continue
        point = points.get("楼外分类投放点")
        new.append(
            WasteCollection(
                agency=agency,
                date=day,
                category=category,
                weight=kg,
                containers=2 if category != WasteCategory.RECYCLABLE else None,
                company=COLLECTORS[WasteCategory(category)],
                point=point,
                source=WasteSource.DEMO,
                created_by=by,
            )
        )
    # The hazardous store: lots in, and each complete quarter handed over with a manifest.
    stored = {(s.stored_on, s.kind): s for s in HazardousStorage.objects.filter(agency=agency)}
    lots = []
    for stored_on, kind, kg, pieces in planned_lots(code, last):
        if (stored_on, kind) not in stored:
            lots.append(
                HazardousStorage(
                    agency=agency,
                    stored_on=stored_on,
                    kind=kind,
                    weight=kg,
                    pieces=pieces,
                    place="7层东侧库房（上锁）",
                    created_by=by,
                )
            )
    touched = {row.date.replace(day=1) for row in new}
    if new:
        bulk_create_with_history(new, WasteCollection, batch_size=500, default_user=by)
    if lots:
        bulk_create_with_history(lots, HazardousStorage, batch_size=500, default_user=by)
    in_store = HazardousStorage.objects.filter(agency=agency, handover__isnull=True).order_by("stored_on")
    quarters: dict[date, list[HazardousStorage]] = {}
    for lot in in_store:
        quarters.setdefault(handover_day(lot.stored_on), []).append(lot)
    for day, quarter_lots in sorted(quarters.items()):
        if day.replace(day=1) > last:
            continue  # this quarter's hand-over has not happened yet
        manifest = f"3713{day:%Y%m}{agency.pk:04d}"
        collection, _created = WasteCollection.objects.get_or_create(
            agency=agency,
            manifest_number=manifest,
            defaults={
                "date": day,
                "category": WasteCategory.HAZARDOUS,
                "weight": sum((lot.weight for lot in quarter_lots), Decimal(0)),
                "containers": 1,
                "company": DISPOSER,
                "licence_number": DISPOSER_LICENCE,
                "point": points.get("有害垃圾暂存点"),
                "source": WasteSource.DEMO,
                "created_by": by,
            },
        )
        HazardousStorage.objects.filter(pk__in=[lot.pk for lot in quarter_lots]).update(handover=collection)
        touched.add(day.replace(day=1))
    return touched


@register_demo(order=30)
def seed_waste(ctx: DemoContext) -> None:
    last = ctx.period.last
    by = ctx.users.get("clerk")
    written = 0
    for code in PROFILES:
        agency = ctx.agencies[code]
        _points(agency)
        touched = _seed_agency(agency, last, by)
        if touched:
            written += writes.refresh_now(
                agency_ids=[agency.pk], months=sorted(touched), indicators=WASTE_KEYS
            )
    ctx.notes.append(
        f"Waste: {WasteCollection.objects.filter(source=WasteSource.DEMO).count()} collections "
        f"from {FIRST_MONTH:%Y-%m} to {last:%Y-%m}, {written} monthly figures refreshed."
    )
