"""Reads of the vehicles ledger shared by the indicators, the target base and the pages.

Each function is a fixed number of queries whatever the number of agencies or vehicles: the
vehicles in one query, their fuel logs in another, the rest in Python (``accounting``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .accounting import Fill
from .models import FuelGrade, FuelLog, FuelType, Vehicle, rate_unit
from .rules import in_use_in, month_end


@dataclass(frozen=True)
class VehicleRow:
    pk: int
    agency_id: int
    department_id: int | None
    plate: str
    fuel_type: str
    new_energy: bool
    standard: Decimal
    in_use_from: date
    sealed_from: date | None
    retired_on: date | None

    @property
    def stopped_on(self) -> date | None:
        days = [d for d in (self.sealed_from, self.retired_on) if d]
        return min(days) if days else None

    def in_use_in(self, month: date) -> bool:
        return in_use_in(month, in_use_from=self.in_use_from, stopped_on=self.stopped_on)

    @property
    def accounted_by_charge(self) -> bool:
        """An electric vehicle's distance comes from its charges; every other's from its fuel."""
        return self.fuel_type == FuelType.ELECTRIC

    @property
    def rate_unit(self) -> str:
        return rate_unit(self.fuel_type)


VEHICLE_FIELDS = (
    "pk",
    "agency_id",
    "department_id",
    "plate",
    "fuel_type",
    "new_energy",
    "standard",
    "in_use_from",
    "sealed_from",
    "retired_on",
)


def vehicle_rows(vehicles) -> list[VehicleRow]:
    """``vehicles``: a Vehicle queryset (already scoped by the caller)."""
    return [VehicleRow(*values) for values in vehicles.order_by("plate").values_list(*VEHICLE_FIELDS)]


def vehicles_of(agency_ids: Sequence[int]) -> list[VehicleRow]:
    """The vehicles of these agencies by plate, in one hand-written query: the vehicles base and the
    over-standard alert read it on every dashboard request (its ORM query cost more to build than
    to run). SQLite returns decimals as numbers: its values go through the fields' ``to_python``."""
    from django.db import connection

    from reporting.registry import any_of_sql, sql_rows

    fields = [Vehicle._meta.pk if name == "pk" else Vehicle._meta.get_field(name) for name in VEHICLE_FIELDS]
    where, params = any_of_sql("agency_id", agency_ids)
    rows = sql_rows(
        f"SELECT {', '.join(f.column for f in fields)} FROM {Vehicle._meta.db_table}"
        f" WHERE {where} ORDER BY plate, id",
        params,
    )
    if connection.vendor != "postgresql":
        rows = [[f.to_python(value) for f, value in zip(fields, row, strict=True)] for row in rows]
    return [VehicleRow(*row) for row in rows]


@dataclass(frozen=True)
class LogRow:
    vehicle_id: int
    day: date
    grade: str
    quantity: Decimal
    amount: Decimal
    odometer: Decimal
    full: bool

    @property
    def is_charge(self) -> bool:
        return self.grade == FuelGrade.ELECTRIC

    def fill(self) -> Fill:
        return Fill(self.day, self.quantity, self.odometer, self.full, self.amount)


def log_rows(vehicle_ids: Iterable[int], *, upto: date | None = None) -> dict[int, list[LogRow]]:
    """{vehicle id: its fuel logs up to ``upto``}, in one query."""
    logs = FuelLog.objects.filter(vehicle_id__in=list(vehicle_ids))
    if upto is not None:
        logs = logs.filter(date__lte=upto)
    out: dict[int, list[LogRow]] = {}
    for values in logs.order_by("vehicle_id", "date", "odometer").values_list(
        "vehicle_id", "date", "grade", "quantity", "amount", "odometer", "full"
    ):
        out.setdefault(values[0], []).append(LogRow(*values))
    return out


def accounted_fills(vehicle: VehicleRow, logs: Sequence[LogRow]) -> list[Fill]:
    """The fills its accounting (full-to-full) runs over: charges for an electric vehicle, fuel else."""
    return [log.fill() for log in logs if log.is_charge == vehicle.accounted_by_charge]


def in_use_counts(
    vehicles: Sequence[VehicleRow], months: Iterable[date]
) -> dict[tuple[int, date], tuple[int, int]]:
    """{(agency, month): (vehicles in use, of which new-energy)}."""
    out: dict[tuple[int, date], tuple[int, int]] = {}
    for month in {m.replace(day=1) for m in months}:
        for vehicle in vehicles:
            if vehicle.in_use_in(month):
                n, ne = out.get((vehicle.agency_id, month), (0, 0))
                out[(vehicle.agency_id, month)] = (n + 1, ne + int(vehicle.new_energy))
    return out


def last_month_end(months: Iterable[date]) -> date | None:
    months = list(months)
    return month_end(max(months)) if months else None


@dataclass
class VehicleAccount:
    """One vehicle over a period: its full-to-full account, its bills and its flags."""

    vehicle: VehicleRow
    account: object  # accounting.Account
    cost: Decimal  # yuan of every log in the period (fuel and charging)
    elsewhere: int  # logs in the period at a station that is not designated
    unit: str  # "L" or "kWh": what the account counts
    department: str = ""


def accounts(vehicles, months: Sequence[date]) -> list[VehicleAccount]:
    """The full-to-full accounts of these vehicles (a scoped queryset) over ``months``: two queries."""
    return accounts_of(vehicle_rows(vehicles), months)


def accounts_of(rows: Sequence[VehicleRow], months: Sequence[date]) -> list[VehicleAccount]:
    """``accounts`` of vehicles already read (``vehicle_rows``, ``vehicles_of``): the logs, the logs
    at stations that are not designated and the departments' names, none of them when there is no
    vehicle (the ORM built those queries only to find they could return nothing)."""
    from .accounting import account, month_of

    if not rows:
        return []
    wanted = {month_of(m) for m in months}
    logs = log_rows([v.pk for v in rows], upto=last_month_end(wanted))
    elsewhere: dict[int, int] = {}
    if rows and wanted:
        first = min(wanted)
        for vehicle_id in FuelLog.objects.filter(
            vehicle_id__in=[v.pk for v in rows],
            designated=False,
            date__gte=first,
            date__lte=last_month_end(wanted),
        ).values_list("vehicle_id", flat=True):
            elsewhere[vehicle_id] = elsewhere.get(vehicle_id, 0) + 1
    from agencies.models import Department

    names = dict(
        Department.objects.filter(pk__in={v.department_id for v in rows if v.department_id}).values_list(
            "pk", "name"
        )
    )
    out = []
    for vehicle in rows:
        own = logs.get(vehicle.pk, [])
        result = account(accounted_fills(vehicle, own), wanted, standard=vehicle.standard)
        cost = sum((log.amount for log in own if month_of(log.day) in wanted), Decimal(0))
        unit = "kWh" if vehicle.accounted_by_charge else "L"
        out.append(
            VehicleAccount(
                vehicle,
                result,
                cost,
                elsewhere.get(vehicle.pk, 0),
                unit,
                names.get(vehicle.department_id, ""),
            )
        )
    return out


# --- pooling chances and sealed-period violations -----------------------------------------------------


@dataclass
class PoolGroup:
    """Same-day orders to the same destination on two or more vehicles, three or more people."""

    day: date
    destination: str
    orders: list
    passengers: int
    vehicles: int


def pooling_chances(orders, first: date, last: date) -> list[PoolGroup]:
    """``orders``: a scoped DispatchOrder queryset. One query."""
    from django.utils import timezone

    from .models import DispatchStatus
    from .rules import POOL_PASSENGERS, destination_key

    rows = (
        orders.exclude(status=DispatchStatus.CANCELLED)
        .filter(planned_start__date__gte=first, planned_start__date__lte=last)
        .select_related("vehicle", "department")
        .order_by("planned_start")
    )
    groups: dict[tuple[date, str], list] = {}
    for order in rows:
        day = timezone.localtime(order.planned_start).date()
        groups.setdefault((day, destination_key(order.destination)), []).append(order)
    out = []
    for (day, _key), members in sorted(groups.items(), key=lambda item: item[0][0], reverse=True):
        vehicles = {o.vehicle_id or f"order-{o.pk}" for o in members}
        people = sum(o.passengers for o in members)
        if len(members) >= 2 and len(vehicles) >= 2 and people >= POOL_PASSENGERS:
            out.append(PoolGroup(day, members[0].destination, members, people, len(vehicles)))
    return out


@dataclass(frozen=True)
class Violation:
    kind: str  # "dispatch" | "fuel"
    day: date
    plate: str
    what: str
    period: object  # holidays.Sealed
    row: object


def order_sealed(agency_id: int, planned_start, planned_end, periods):
    """The sealed period (``holidays.Sealed``) a dispatch order's planned days touch, or None."""
    from django.utils import timezone

    from .holidays import sealed_between

    start, end = timezone.localtime(planned_start).date(), timezone.localtime(planned_end).date()
    return sealed_between(start, end, periods, agency_id)


def violations(orders, logs, agency_ids: Sequence[int], first: date, last: date) -> list[Violation]:
    """Dispatch orders and fuel logs inside a sealed period (national holidays and each agency's
    own), in ``first``..``last``: three queries for any number of agencies. ``orders``/``logs``:
    scoped querysets."""
    from django.utils import timezone

    from .holidays import sealed_on, sealed_periods
    from .models import DispatchStatus

    periods = sealed_periods(agency_ids, first, last)
    out: list[Violation] = []
    if not periods:
        return out
    for order in (
        orders.exclude(status=DispatchStatus.CANCELLED)
        .filter(planned_start__date__lte=last, planned_end__date__gte=first)
        .select_related("vehicle")
    ):
        period = order_sealed(order.agency_id, order.planned_start, order.planned_end, periods)
        if period:
            plate = order.vehicle.plate if order.vehicle_id else ""
            start = timezone.localtime(order.planned_start).date()
            out.append(
                Violation("dispatch", start, plate, f"{order.number} {order.destination}", period, order)
            )
    for log in logs.filter(date__gte=first, date__lte=last).select_related("vehicle"):
        period = sealed_on(log.date, periods, log.vehicle.agency_id)
        if period:
            out.append(
                Violation(
                    "fuel",
                    log.date,
                    log.vehicle.plate,
                    f"{log.quantity} {log.unit} {log.station}",
                    period,
                    log,
                )
            )
    return sorted(out, key=lambda v: v.day, reverse=True)
