"""Demo data of the vehicles ledger: the bureau's four official vehicles and their fuel logs from
2019 to the demo's last month (``ctx.period``), its designated stations, and the seed's third
target (公务用车年平均油耗量比2019年下降3%以上, litres per vehicle in use).

The story the figures tell:
* 2019: three fuel vehicles all year (a Passat, a GL8 people-carrier, a diesel van).
* 2020: fewer kilometres, the diesel van sealed from June (公车改革) and an electric BYD in use
  from June — the litres per vehicle in use fall well over 3 %.
* From 2021 the GL8 (鲁Q20916) runs above its 11.0 L/100 km standard, and about one month in
  three it is filled at a station that is not designated: the vehicle that "used too much fuel
  last quarter", whatever the last quarter is.

Vehicles are filled four times a month; about one fill in five is partial (60 % of what was used),
the rest carried to the next full fill. Every figure is fixed by a hash of the plate and the date,
so re-running gives the same numbers; idempotent: logs are matched by vehicle and date and only
missing ones are added.
"""

from __future__ import annotations

import calendar
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from agencies.demo import DEMO_FIRST_MONTH, DemoContext, register_demo
from agencies.models import Agency, Department
from agencies.scoping import Scope
from reporting import writes
from reporting.targets.services import target_save

from .holidays import statutory_holidays
from .indicators import FUEL, LOG_KEYS, PER_VEHICLE, VEHICLE_KEYS
from .models import DispatchOrder, DispatchStatus, FuelLog, RowSource, Station, Vehicle

D = Decimal
CENT = D("0.01")
FILL_DAYS = (4, 11, 19, 26)
DESIGNATED = ["中国石化临沂蒙山大道加油站", "中国石油临沂北城新区加油站", "国家电网临沂市民中心充电站"]
ELSEWHERE = "兰山区通达加油站"  # a demo name: a station that is not designated
# Yuan per litre (kWh) by year: the sort of prices Shandong paid (demo figures).
PRICES = {
    "92": {2019: "6.62", 2020: "5.86", 2021: "6.88", 2022: "8.21", 2023: "7.83", 2024: "7.61", 2025: "7.18"},
    "95": {2019: "7.15", 2020: "6.35", 2021: "7.41", 2022: "8.83", 2023: "8.39", 2024: "8.13", 2025: "7.66"},
    "diesel": {
        2019: "6.33",
        2020: "5.52",
        2021: "6.51",
        2022: "8.12",
        2023: "7.52",
        2024: "7.28",
        2025: "6.88",
    },
    "electric": {
        2019: "1.15",
        2020: "1.15",
        2021: "1.15",
        2022: "1.20",
        2023: "1.20",
        2024: "1.20",
        2025: "1.20",
    },
}
YEAR_KM = {2019: D("1.00"), 2020: D("0.86")}  # later years: 0.95


@dataclass(frozen=True)
class DemoVehicle:
    plate: str
    make_model: str
    fuel_type: str
    new_energy: bool
    tank: Decimal | None
    battery: Decimal | None
    standard: Decimal
    department: str
    in_use_from: date
    sealed_from: date | None
    monthly_km: Decimal
    rates: tuple[Decimal, Decimal]  # L (kWh) per 100 km: 2019–2020, then from 2021
    odometer: Decimal  # at the start of 2019 (or when it came into use)
    card: str


VEHICLES = [
    DemoVehicle("鲁Q12378", "大众帕萨特 1.8T", "92", False, D(70), None, D("9.5"), "办公室",
                date(2016, 5, 1), None, D(1500), (D("9.1"), D("9.0")), D(86240), "1000113700008811"),
    DemoVehicle("鲁Q20916", "别克GL8 商务车", "95", False, D(65), None, D("11.0"), "办公室",
                date(2017, 3, 1), None, D(1100), (D("10.6"), D("12.4")), D(61875), "1000113700008812"),
    DemoVehicle("鲁Q3L705", "江铃全顺 柴油厢式车", "diesel", False, D(80), None, D("10.0"), "基金监管科",
                date(2015, 9, 1), date(2020, 6, 1), D(1000), (D("9.8"), D("9.8")), D(120530),
                "1000113700008813"),
    DemoVehicle("鲁QD05126", "比亚迪秦EV", "electric", True, None, D("53.1"), D("14.0"), "待遇保障科",
                date(2020, 6, 1), None, D(1100), (D("13.2"), D("13.4")), D(0), "1000113700008814"),
]  # fmt: skip


def on_holiday(day: date) -> bool:
    return any(h.covers(day) for h in statutory_holidays([day.year - 1, day.year, day.year + 1]))


def wobble(key: str, spread: str = "0.2") -> Decimal:
    """A fixed ±spread/2 per key, so that re-running gives the same numbers."""
    digest = hashlib.sha256(key.encode()).digest()[0]
    return D(1) + (D(digest) / 255 - D("0.5")) * D(spread)


def _hash(key: str) -> int:
    return hashlib.sha256(key.encode()).digest()[1]


def price(grade: str, year: int) -> Decimal:
    table = PRICES[grade]
    return D(table.get(year, table[max(table)]))


@dataclass(frozen=True)
class PlannedLog:
    day: date
    quantity: Decimal
    odometer: Decimal
    full: bool
    station: str
    unit_price: Decimal

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def planned_logs(vehicle: DemoVehicle, last: date) -> list[PlannedLog]:
    """Every fill of ``vehicle`` from 2019 (or its first day in use) to ``last``'s month."""
    grade = vehicle.fuel_type
    logs: list[PlannedLog] = []
    odometer, previous_day = vehicle.odometer, max(DEMO_FIRST_MONTH, vehicle.in_use_from)
    carried = D(0)
    month = previous_day.replace(day=1)
    while month <= last:
        days = calendar.monthrange(month.year, month.month)[1]
        km_month = vehicle.monthly_km * YEAR_KM.get(month.year, D("0.95")) * wobble(f"{vehicle.plate}{month}")
        rate = vehicle.rates[0] if month.year <= 2020 else vehicle.rates[1]
        for fill_day in FILL_DAYS:
            day = month.replace(day=fill_day)
            while on_holiday(day):  # sealed: filled before the holiday instead
                day -= timedelta(days=1)
            if day <= previous_day:
                continue
            if vehicle.sealed_from and day >= vehicle.sealed_from:
                return logs
            km = (km_month * (day - previous_day).days / days).quantize(D("0.1"), rounding=ROUND_HALF_UP)
            odometer += km
            used = (km * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            partial = grade != "electric" and _hash(f"{vehicle.plate}{day}") % 5 == 0 and carried == 0
            quantity = (used * D("0.6")).quantize(CENT) if partial else used + carried
            carried = used - quantity if partial else D(0)
            station = (
                DESIGNATED[2] if grade == "electric" else DESIGNATED[_hash(f"s{vehicle.plate}{day}") % 2]
            )
            if vehicle.plate == "鲁Q20916" and month.year >= 2021 and month.month % 3 == 2 and fill_day == 19:
                station = ELSEWHERE
            logs.append(PlannedLog(day, quantity, odometer, not partial, station, price(grade, day.year)))
            previous_day = day
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return logs


def _vehicle(agency: Agency, spec: DemoVehicle) -> Vehicle:
    department = Department.objects.filter(agency=agency, name=spec.department).first()
    vehicle, _created = Vehicle.objects.update_or_create(
        agency=agency,
        plate=spec.plate,
        defaults={
            "make_model": spec.make_model,
            "fuel_type": spec.fuel_type,
            "new_energy": spec.new_energy,
            "tank_capacity": spec.tank,
            "battery_capacity": spec.battery,
            "standard": spec.standard,
            "department": department,
            "in_use_from": spec.in_use_from,
            "sealed_from": spec.sealed_from,
            "source": RowSource.DEMO,
        },
    )
    return vehicle


def _seed_bureau(agency: Agency, last: date, by) -> set[date]:
    for name in DESIGNATED:
        Station.objects.get_or_create(agency=agency, name=name)
    touched: set[date] = set()
    for spec in VEHICLES:
        vehicle = _vehicle(agency, spec)
        have = set(FuelLog.objects.filter(vehicle=vehicle).values_list("date", flat=True))
        new = [
            FuelLog(
                vehicle=vehicle,
                date=log.day,
                grade=spec.fuel_type,
                quantity=log.quantity,
                unit_price=log.unit_price,
                amount=log.amount,
                odometer=log.odometer,
                full=log.full,
                station=log.station,
                designated=log.station in DESIGNATED,
                fuel_card=spec.card,
                source=RowSource.DEMO,
                created_by=by,
            )
            for log in planned_logs(spec, last)
            if log.day not in have
        ]
        if new:
            bulk_create_with_history(new, FuelLog, batch_size=500, default_user=by)
            touched |= {log.date.replace(day=1) for log in new}
    return touched


DESTINATIONS = [
    "临沂市人民医院", "兰山区医疗保障局", "河东区医疗保障局", "罗庄区医疗保障局",
    "临沂市中心医院", "市政务服务中心", "沂南县医疗保障局", "费县医疗保障局",
]  # fmt: skip
PURPOSES = ["医保基金监督检查", "定点医药机构协议检查", "政策宣传", "会议", "调研", "文件交换"]
ORDER_DAYS = (6, 13, 21, 28)
DRIVERS = {"鲁Q12378": "王建国", "鲁Q20916": "张伟", "鲁Q3L705": "刘强", "鲁QD05126": "陈磊"}
POOLING_DAY = date(2020, 11, 18)  # two cars to the same hospital, four people: could have been pooled
SEALED_DAY = (10, 3)  # a trip during the last National Day (国庆节) before the demo ends: the one violation


@dataclass(frozen=True)
class PlannedOrder:
    start: datetime
    hours: int
    plate: str
    destination: str
    purpose: str
    passengers: int
    department: str
    km: Decimal


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def planned_orders(last: date) -> list[PlannedOrder]:
    """One order on each of four working days a month (never a holiday), the pooling chance and the
    trip in a sealed period; oldest first."""
    orders = []
    month = DEMO_FIRST_MONTH
    while month <= last:
        for i, order_day in enumerate(ORDER_DAYS):
            day = month.replace(day=order_day)
            while day.weekday() >= 5 or on_holiday(day):
                day += timedelta(days=1)
            if day.month != month.month:
                continue
            plates = [
                v.plate
                for v in VEHICLES
                if v.in_use_from <= day and not (v.sealed_from and day >= v.sealed_from)
            ]
            plate = plates[(month.month + i) % len(plates)]
            spec = next(v for v in VEHICLES if v.plate == plate)
            key = f"order{day}"
            orders.append(
                PlannedOrder(
                    _at(day, 9), 3 + _hash(key) % 5, plate, DESTINATIONS[_hash(key) % len(DESTINATIONS)],
                    PURPOSES[_hash(f"p{key}") % len(PURPOSES)], 1 + _hash(f"n{key}") % 2, spec.department,
                    D(20 + _hash(f"k{key}") % 60),
                )
            )  # fmt: skip
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    if last.replace(day=28) >= POOLING_DAY:
        hospital = "临沂市中心医院"
        orders += [
            PlannedOrder(_at(POOLING_DAY, 8), 3, "鲁Q12378", hospital, PURPOSES[0], 2, "办公室", D(24)),
            PlannedOrder(_at(POOLING_DAY, 14), 3, "鲁Q20916", hospital, PURPOSES[1], 2, "基金监管科", D(25)),
        ]
    sealed_day = date(last.year if last.month >= SEALED_DAY[0] else last.year - 1, *SEALED_DAY)
    orders.append(
        PlannedOrder(_at(sealed_day, 8), 10, "鲁Q20916", "青岛市", "节日期间接待", 3, "办公室", D(520))
    )
    return sorted(orders, key=lambda o: o.start)


def _seed_orders(agency: Agency, last: date, manager) -> int:
    vehicles = {v.plate: v for v in Vehicle.objects.filter(agency=agency)}
    departments = {d.name: d for d in Department.objects.filter(agency=agency)}
    odometers = {spec.plate: planned_logs(spec, last) for spec in VEHICLES}
    have = set(DispatchOrder.objects.filter(agency=agency).values_list("planned_start", "vehicle__plate"))
    counts: dict[int, int] = {}
    new = []
    for order in planned_orders(last):
        year = timezone.localtime(order.start).year
        counts[year] = counts.get(year, 0) + 1
        if (order.start, order.plate) in have:
            continue
        day = timezone.localtime(order.start).date()
        before = [log.odometer for log in odometers[order.plate] if log.day <= day]
        out = (before[-1] if before else D(0)) + D(3)
        new.append(
            DispatchOrder(
                agency=agency, department=departments[order.department], number=f"{year}-{counts[year]:04d}",
                applicant="李鑫", purpose=order.purpose, destination=order.destination,
                passengers=order.passengers, planned_start=order.start,
                planned_end=order.start + timedelta(hours=order.hours), vehicle=vehicles[order.plate],
                driver=DRIVERS[order.plate], status=DispatchStatus.COMPLETED, approver=manager,
                approved_at=order.start - timedelta(days=1), odometer_out=out, odometer_in=out + order.km,
                source=RowSource.DEMO, created_by=manager,
            )
        )  # fmt: skip
    if new:
        bulk_create_with_history(new, DispatchOrder, batch_size=500, default_user=manager)
    return len(new)


@register_demo(order=27)
def seed_vehicles(ctx: DemoContext) -> None:
    bureau = ctx.agencies["LYYB"]
    touched = _seed_bureau(bureau, ctx.period.last, ctx.users.get("clerk"))
    orders = _seed_orders(bureau, ctx.period.last, ctx.users.get("manager"))
    written = writes.refresh_now(
        agency_ids=[bureau.pk],
        months=sorted(touched | set(ctx.period.months)),
        indicators=[*LOG_KEYS, *VEHICLE_KEYS],
    )
    # The seed's third target: 公务用车年平均油耗量（升）比2019年下降3%以上; later years 1 % below
    # the year before.
    city = Scope.system(None)
    target_save(
        scope=city, indicator=FUEL, year=2020, baseline_year=2019, reduction_percent=D("3.00"),
        basis=PER_VEHICLE, note="公务用车年平均油耗量比2019年下降3%以上",
    )  # fmt: skip
    for year in range(2021, ctx.period.today.year + 1):
        target_save(
            scope=city, indicator=FUEL, year=year, baseline_year=year - 1, reduction_percent=D("1.00"),
            basis=PER_VEHICLE, note="公务用车年平均油耗量比上年下降1%",
        )  # fmt: skip
    ctx.notes.append(
        f"Vehicles: {len(VEHICLES)} vehicles, "
        f"{FuelLog.objects.filter(vehicle__agency=bureau).count()} fuel logs "
        f"and {orders} new dispatch orders to {ctx.period.last:%Y-%m}; {written} monthly figures refreshed."
    )
