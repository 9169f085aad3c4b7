"""The import kinds of the vehicles ledger (``import_ledger --kind vehicles|fuel|trips``): Chinese
headers as offices write them, the same rules as the forms (``rules``), every bad row reported and
nothing written on any error (the shared pipeline, ``imports/``).

* ``vehicles`` — the registry (the energy manager's); a plate already registered with the same
  fields is unchanged, with other fields it is refused (change a vehicle on its page).
* ``fuel`` — refuelling and charging logs; the odometer is checked against the vehicle's logs in
  the ledger and the rows before it in the file.
* ``trips`` — dispatch orders as completed trips (requested, approved or completed), with the
  refusals of the form: a sealed or retired vehicle, one already dispatched at that time, an
  odometer in below the odometer out.

A row identical to a record already in the ledger is that record (unchanged), so each kind's
export imports back as "0 new, N unchanged". A clerk imports fuel logs and trips of their own
sections only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from agencies.models import Department, Role
from imports.registry import (
    ROW,
    Column,
    ImportContext,
    ImportKind,
    RowError,
    Validated,
    WriteSummary,
    register_import_kind,
)

from .accounting import month_of
from .indicators import LOG_KEYS, VEHICLE_KEYS
from .models import DispatchOrder, DispatchStatus, FuelGrade, FuelLog, FuelType, RowSource, Station, Vehicle
from .rules import (
    VehicleFacts,
    dispatch_check,
    dispatch_vehicle_check,
    expected_amount,
    fuel_log_check,
    odometer_pair_check,
    plate_normalise,
    vehicle_check,
)
from .services import today


def spellings(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """A TextChoices' values and labels in Chinese and English (any case) → the value."""
    found = {}
    for value, label in choices:
        found[value] = value
        for language in ("zh-hans", "en"):
            with translation.override(language):
                found[str(label).lower()] = value
    return {**found, **(extra or {})}


FUEL_TYPES = spellings(
    FuelType.choices,
    {
        "92#": "92",
        "92号": "92",
        "95#": "95",
        "95号": "95",
        "汽油": "92",
        "电动": "electric",
        "混动": "hybrid",
    },
)
GRADES = spellings(
    FuelGrade.choices,
    {"92#": "92", "92号": "92", "95#": "95", "95号": "95", "电": "electric", "充电": "electric"},
)
STATUSES = spellings(DispatchStatus.choices)


def _column(key, label, synonyms, kind="text", **options):
    return Column(key, label, synonyms, kind, **options)


PLATE = _column(
    "plate",
    pgettext_lazy("vehicles import column", "Plate number"),
    ("车牌号", "车牌", "号牌", "plate"),
    words=("车牌", "号牌"),
    max_length=10,
)
DEPARTMENT = _column(
    "department",
    pgettext_lazy("vehicles import column", "Department"),
    ("科室", "部门", "使用科室", "department"),
    required=False,
    words=("科室", "部门"),
    max_length=100,
)
NOTE = _column(
    "note",
    pgettext_lazy("vehicles import column", "Note"),
    ("备注", "note"),
    required=False,
    words=("备注",),
    max_length=200,
)


def _departments(context: ImportContext) -> dict:
    departments = Department.objects.filter(agency=context.agency)
    if context.departments is not None:
        departments = departments.filter(pk__in=context.departments)
    return dict(departments.values_list("name", "pk"))


def _department(state, values: dict, errors: dict, *, required: bool) -> int | None:
    name = (values.get("department") or "").strip()
    if not name:
        if required:
            errors["department"] = _("Give your department.")
        return None
    found = state.departments.get(name)
    if found is None:
        errors["department"] = (
            _("“%(name)s” is not one of your departments.")
            if state.clerk
            else _("No department called “%(name)s” in this agency.")
        ) % {"name": name}
    return found


def _facts(vehicle: Vehicle) -> VehicleFacts:
    return VehicleFacts(
        vehicle.plate,
        vehicle.fuel_type,
        vehicle.tank_capacity,
        vehicle.battery_capacity,
        vehicle.in_use_from,
        vehicle.sealed_from,
        vehicle.retired_on,
    )


# --- vehicles -----------------------------------------------------------------------------------------

VEHICLE_COLUMNS = (
    PLATE,
    _column(
        "make_model",
        pgettext_lazy("vehicles import column", "Make and model"),
        ("品牌型号", "厂牌型号", "车型", "make"),
        words=("型号", "车型", "品牌"),
        max_length=80,
    ),
    _column(
        "fuel_type",
        pgettext_lazy("vehicles import column", "Fuel"),
        ("燃料", "燃料类型", "油品", "fuel"),
        "choice",
        choices=FUEL_TYPES,
        words=("燃料", "油品"),
    ),
    _column(
        "new_energy",
        pgettext_lazy("vehicles import column", "New-energy vehicle"),
        ("新能源", "是否新能源", "new energy"),
        "bool",
        required=False,
        words=("新能源",),
    ),
    _column(
        "tank_capacity",
        pgettext_lazy("vehicles import column", "Tank capacity (L)"),
        ("油箱容积", "油箱", "tank"),
        "decimal",
        required=False,
        words=("油箱",),
    ),
    _column(
        "battery_capacity",
        pgettext_lazy("vehicles import column", "Battery capacity (kWh)"),
        ("电池容量", "battery"),
        "decimal",
        required=False,
        words=("电池",),
    ),
    _column(
        "standard",
        pgettext_lazy("vehicles import column", "Fuel-per-100-km standard"),
        ("百公里耗油控制标准", "百公里油耗标准", "油耗标准", "standard"),
        "decimal",
        words=("标准",),
    ),
    DEPARTMENT,
    _column(
        "in_use_from",
        pgettext_lazy("vehicles import column", "In use from"),
        ("启用日期", "购置日期", "in use from"),
        "date",
        words=("启用", "购置"),
    ),
    _column(
        "sealed_from",
        pgettext_lazy("vehicles import column", "Sealed from"),
        ("封存日期", "sealed from"),
        "date",
        required=False,
        words=("封存",),
    ),
    _column(
        "retired_on",
        pgettext_lazy("vehicles import column", "Retired on"),
        ("报废日期", "处置日期", "retired on"),
        "date",
        required=False,
        words=("报废", "处置"),
    ),
    NOTE,
)
VEHICLE_SIGNATURE = (
    "make_model",
    "fuel_type",
    "new_energy",
    "tank_capacity",
    "battery_capacity",
    "standard",
    "department_id",
    "in_use_from",
    "sealed_from",
    "retired_on",
    "note",
)


@dataclass
class VehicleState:
    context: ImportContext
    departments: dict
    clerk: bool
    existing: dict  # plate -> Vehicle
    seen: dict = field(default_factory=dict)  # plate -> row


def vehicles_prepare(context: ImportContext) -> VehicleState:
    existing = {v.plate: v for v in Vehicle.objects.filter(agency=context.agency)}
    return VehicleState(context, _departments(context), context.departments is not None, existing)


def _capacity(value) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.1")) if value is not None else None


def vehicles_validate(state: VehicleState, values: dict, row: int) -> Validated:
    plate = plate_normalise(values["plate"])
    fuel_type = values["fuel_type"]
    new_energy = bool(values.get("new_energy")) or fuel_type == FuelType.ELECTRIC
    tank = None if fuel_type == FuelType.ELECTRIC else _capacity(values.get("tank_capacity"))
    battery = (
        _capacity(values.get("battery_capacity"))
        if fuel_type in (FuelType.ELECTRIC, FuelType.HYBRID)
        else None
    )
    standard = Decimal(values["standard"]).quantize(Decimal("0.01"))
    errors = vehicle_check(
        plate=plate,
        fuel_type=fuel_type,
        new_energy=new_energy,
        tank_capacity=tank,
        battery_capacity=battery,
        standard=standard,
        in_use_from=values["in_use_from"],
        sealed_from=values.get("sealed_from"),
        retired_on=values.get("retired_on"),
    )
    department_id = _department(state, values, errors, required=False)
    if plate in state.seen:
        errors[ROW] = _("Plate %(plate)s is already in row %(row)d.") % {
            "plate": plate,
            "row": state.seen[plate],
        }
    if errors:
        raise RowError(errors)
    state.seen[plate] = row
    candidate = Vehicle(
        agency=state.context.agency,
        plate=plate,
        make_model=values["make_model"].strip(),
        fuel_type=fuel_type,
        new_energy=new_energy,
        tank_capacity=tank,
        battery_capacity=battery,
        standard=standard,
        department_id=department_id,
        in_use_from=values["in_use_from"],
        sealed_from=values.get("sealed_from"),
        retired_on=values.get("retired_on"),
        note=values.get("note") or "",
        source=RowSource.IMPORT,
        import_job_id=state.context.job_id,
    )
    same = state.existing.get(plate)
    if same is not None:
        if all(getattr(same, f) == getattr(candidate, f) for f in VEHICLE_SIGNATURE):
            return Validated(record=same, status="unchanged")
        raise RowError(
            {
                "plate": _("%(plate)s is already registered with other details; change it on its page.")
                % {"plate": plate}
            }
        )
    stop = candidate.stopped_on or today()
    months = tuple(_months(candidate.in_use_from, max(stop, candidate.in_use_from)))
    return Validated(record=candidate, status="new", months=months)


def _months(first: date, last: date) -> list[date]:
    out, month = [], month_of(first)
    while month <= month_of(last):
        out.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return out


def vehicles_write(state: VehicleState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(records, Vehicle, batch_size=500, default_user=state.context.user)
    return WriteSummary(created=len(records))


def vehicles_export(context: ImportContext):
    rows = Vehicle.objects.filter(agency=context.agency).select_related("department").order_by("plate")
    if context.departments is not None:
        rows = rows.filter(department_id__in=context.departments)
    for v in rows:
        yield {
            "plate": v.plate,
            "make_model": v.make_model,
            "fuel_type": v.fuel_type,
            "new_energy": v.new_energy,
            "tank_capacity": v.tank_capacity,
            "battery_capacity": v.battery_capacity,
            "standard": v.standard,
            "department": v.department.name if v.department else "",
            "in_use_from": v.in_use_from,
            "sealed_from": v.sealed_from,
            "retired_on": v.retired_on,
            "note": v.note,
        }


# --- fuel logs -----------------------------------------------------------------------------------------

FUEL_COLUMNS = (
    PLATE,
    _column(
        "date",
        pgettext_lazy("vehicles import column", "Date"),
        ("加油日期", "日期", "date"),
        "date",
        words=("日期",),
    ),
    _column(
        "grade",
        pgettext_lazy("vehicles import column", "Fuel"),
        ("油品", "油号", "燃料", "fuel"),
        "choice",
        choices=GRADES,
        words=("油品", "油号", "燃料"),
    ),
    _column(
        "quantity",
        pgettext_lazy("vehicles import column", "Quantity (L or kWh)"),
        ("加油量", "数量", "升数", "充电量", "quantity"),
        "decimal",
        words=("加油量", "升数", "充电量", "数量"),
        not_words=("金额", "单价"),
    ),
    _column(
        "unit_price",
        pgettext_lazy("vehicles import column", "Unit price (yuan)"),
        ("单价", "unit price"),
        "decimal",
        words=("单价",),
    ),
    _column(
        "amount",
        pgettext_lazy("vehicles import column", "Amount (yuan)"),
        ("金额", "加油金额", "amount"),
        "decimal",
        required=False,
        words=("金额",),
        not_words=("单价",),
    ),
    _column(
        "odometer",
        pgettext_lazy("vehicles import column", "Odometer (km)"),
        ("里程表读数", "里程表", "odometer"),
        "decimal",
        words=("里程表", "表显里程"),
    ),
    _column(
        "full",
        pgettext_lazy("vehicles import column", "Filled up"),
        ("加满", "是否加满", "full"),
        "bool",
        required=False,
        words=("加满",),
    ),
    _column(
        "station",
        pgettext_lazy("vehicles import column", "Station"),
        ("加油站", "加油地点", "station"),
        required=False,
        words=("加油站", "充电站", "地点"),
        max_length=80,
    ),
    _column(
        "fuel_card",
        pgettext_lazy("vehicles import column", "Fuel card"),
        ("加油卡", "油卡", "卡号", "fuel card"),
        required=False,
        words=("油卡", "加油卡", "卡号"),
        max_length=30,
    ),
    NOTE,
)
FUEL_SIGNATURE = (
    "date",
    "grade",
    "quantity",
    "unit_price",
    "amount",
    "odometer",
    "full",
    "station",
    "fuel_card",
    "note",
)


@dataclass
class FuelState:
    context: ImportContext
    today: date
    vehicles: dict  # plate -> Vehicle (a clerk's sections' only)
    designated: set
    logs: dict  # vehicle id -> [(date, odometer, full, is_charge)] in the ledger and accepted rows
    existing: dict  # (vehicle id, signature) -> [FuelLog]


def _vehicles(context: ImportContext):
    rows = Vehicle.objects.filter(agency=context.agency)
    if context.departments is not None:
        rows = rows.filter(department_id__in=context.departments)
    return rows


def fuel_prepare(context: ImportContext) -> FuelState:
    vehicles = {v.plate: v for v in _vehicles(context)}
    logs: dict = defaultdict(list)
    existing: dict = defaultdict(list)
    for log in FuelLog.objects.filter(vehicle__in=vehicles.values()).order_by("pk"):
        logs[log.vehicle_id].append((log.date, log.odometer, log.full, log.is_charge))
        existing[(log.vehicle_id, tuple(getattr(log, f) for f in FUEL_SIGNATURE))].append(log)
    designated = set(
        Station.objects.filter(agency=context.agency, is_active=True).values_list("name", flat=True)
    )
    return FuelState(context, today(), vehicles, designated, logs, existing)


def fuel_validate(state: FuelState, values: dict, row: int) -> Validated:
    plate = plate_normalise(values["plate"])
    vehicle = state.vehicles.get(plate)
    if vehicle is None:
        raise RowError(
            {
                "plate": _("No vehicle %(plate)s in your sections.") % {"plate": plate}
                if state.context.departments is not None
                else _("No vehicle %(plate)s is registered.") % {"plate": plate}
            }
        )
    quantity = Decimal(values["quantity"]).quantize(Decimal("0.01"))
    price = Decimal(values["unit_price"]).quantize(Decimal("0.01"))
    amount = values.get("amount")
    amount = expected_amount(quantity, price) if amount is None else Decimal(amount).quantize(Decimal("0.01"))
    odometer = Decimal(values["odometer"]).quantize(Decimal("0.1"))
    day, full = values["date"], values.get("full")
    full = True if full is None else bool(full)
    station = (values.get("station") or "").strip()
    signature = (
        day,
        values["grade"],
        quantity,
        price,
        amount,
        odometer,
        full,
        station,
        (values.get("fuel_card") or "").strip(),
        values.get("note") or "",
    )
    same = state.existing.get((vehicle.pk, signature))
    if same:
        return Validated(record=same.pop(), status="unchanged", months=(month_of(day),))
    known = state.logs[vehicle.pk]
    before = max((km for d, km, _f, _c in known if d < day), default=None)
    after = min((km for d, km, _f, _c in known if d > day), default=None)
    errors = fuel_log_check(
        vehicle=_facts(vehicle),
        day=day,
        grade=values["grade"],
        quantity=quantity,
        unit_price=price,
        amount=amount,
        odometer=odometer,
        today=state.today,
        before=before,
        after=after,
    )
    if errors:
        raise RowError(errors)
    charge = values["grade"] == FuelGrade.ELECTRIC
    known.append((day, odometer, full, charge))
    later_full = [d for d, _km, f, c in known if f and c == charge and d > day]
    months = {month_of(day)} | ({month_of(min(later_full))} if later_full else set())
    record = FuelLog(
        vehicle=vehicle,
        date=day,
        grade=values["grade"],
        quantity=quantity,
        unit_price=price,
        amount=amount,
        odometer=odometer,
        full=full,
        station=station,
        designated=station in state.designated,
        fuel_card=signature[8],
        note=signature[9],
        source=RowSource.IMPORT,
        import_job_id=state.context.job_id,
        created_by=state.context.user,
    )
    return Validated(record=record, status="new", months=tuple(sorted(months)))


def fuel_write(state: FuelState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(records, FuelLog, batch_size=1000, default_user=state.context.user)
    return WriteSummary(created=len(records))


def fuel_export(context: ImportContext):
    rows = FuelLog.objects.filter(vehicle__in=_vehicles(context)).select_related("vehicle")
    for log in rows.order_by("vehicle__plate", "date", "odometer").iterator(chunk_size=2000):
        yield {
            "plate": log.vehicle.plate,
            "date": log.date,
            "grade": log.grade,
            "quantity": log.quantity,
            "unit_price": log.unit_price,
            "amount": log.amount,
            "odometer": log.odometer,
            "full": log.full,
            "station": log.station,
            "fuel_card": log.fuel_card,
            "note": log.note,
        }


# --- trips (dispatch orders) -------------------------------------------------------------------------------

TRIP_COLUMNS = (
    _column(
        "number",
        pgettext_lazy("vehicles import column", "Order number"),
        ("派车单号", "单号", "编号", "number"),
        required=False,
        words=("单号", "编号"),
        max_length=20,
    ),
    DEPARTMENT,
    _column(
        "applicant",
        pgettext_lazy("vehicles import column", "Applicant"),
        ("申请人", "用车人", "applicant"),
        words=("申请人", "用车人"),
        max_length=40,
    ),
    _column(
        "purpose",
        pgettext_lazy("vehicles import column", "Purpose"),
        ("用车事由", "事由", "purpose"),
        words=("事由",),
        max_length=200,
    ),
    _column(
        "destination",
        pgettext_lazy("vehicles import column", "Destination"),
        ("目的地", "去向", "destination"),
        words=("目的地", "去向", "地点"),
        max_length=120,
    ),
    _column(
        "passengers",
        pgettext_lazy("vehicles import column", "Passengers"),
        ("乘车人数", "人数", "passengers"),
        "int",
        words=("人数",),
    ),
    _column(
        "date",
        pgettext_lazy("vehicles import column", "Date"),
        ("用车日期", "日期", "date"),
        "date",
        words=("日期",),
    ),
    _column(
        "start_time",
        pgettext_lazy("vehicles import column", "Leaves at"),
        ("出车时间", "出发时间", "leaves at"),
        words=("出车时间", "出发"),
        max_length=5,
    ),
    _column(
        "end_time",
        pgettext_lazy("vehicles import column", "Returns at"),
        ("返回时间", "回场时间", "returns at"),
        words=("返回", "回场时间"),
        max_length=5,
    ),
    _column(
        "plate",
        pgettext_lazy("vehicles import column", "Plate number"),
        ("车牌号", "车牌", "plate"),
        required=False,
        words=("车牌",),
        max_length=10,
    ),
    _column(
        "driver",
        pgettext_lazy("vehicles import column", "Driver"),
        ("驾驶员", "司机", "driver"),
        required=False,
        words=("驾驶员", "司机"),
        max_length=40,
    ),
    _column(
        "status",
        pgettext_lazy("vehicles import column", "Status"),
        ("状态", "status"),
        "choice",
        choices=STATUSES,
        required=False,
        words=("状态",),
    ),
    _column(
        "odometer_out",
        pgettext_lazy("vehicles import column", "Odometer out (km)"),
        ("出车里程", "odometer out"),
        "decimal",
        required=False,
        words=("出车里程",),
    ),
    _column(
        "odometer_in",
        pgettext_lazy("vehicles import column", "Odometer in (km)"),
        ("回场里程", "odometer in"),
        "decimal",
        required=False,
        words=("回场里程",),
    ),
    NOTE,
)


@dataclass
class TripState:
    context: ImportContext
    departments: dict
    clerk: bool
    vehicles: dict  # plate -> Vehicle (any of the agency: the pool)
    busy: dict  # vehicle id -> [(start, end, number)] approved or completed
    existing: dict  # number -> DispatchOrder
    numbers: dict = field(default_factory=dict)  # year -> next sequence
    seen: dict = field(default_factory=dict)


def _orders(context: ImportContext):
    rows = DispatchOrder.objects.filter(agency=context.agency)
    if context.departments is not None:
        rows = rows.filter(department_id__in=context.departments)
    return rows


def trips_prepare(context: ImportContext) -> TripState:
    busy: dict = defaultdict(list)
    for vehicle_id, start, end, number in DispatchOrder.objects.filter(
        agency=context.agency,
        status__in=[DispatchStatus.APPROVED, DispatchStatus.COMPLETED],
        vehicle__isnull=False,
    ).values_list("vehicle_id", "planned_start", "planned_end", "number"):
        busy[vehicle_id].append((start, end, number))
    numbers: dict = {}
    for number in DispatchOrder.objects.filter(agency=context.agency).values_list("number", flat=True):
        year, _sep, sequence = number.partition("-")
        if year.isdigit() and sequence.isdigit():
            numbers[int(year)] = max(numbers.get(int(year), 0), int(sequence))
    vehicles = {v.plate: v for v in Vehicle.objects.filter(agency=context.agency)}
    existing = {o.number: o for o in _orders(context)}
    return TripState(
        context, _departments(context), context.departments is not None, vehicles, busy, existing, numbers
    )


def _time(text: str | None, field_: str, errors: dict) -> time | None:
    try:
        hours, minutes = (int(part) for part in (text or "").strip().replace("：", ":").split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError):
        errors[field_] = _("Give the time as 08:30.")
        return None


def trips_validate(state: TripState, values: dict, row: int) -> Validated:
    errors: dict = {}
    department_id = _department(state, values, errors, required=True)
    day = values["date"]
    start_time = _time(values.get("start_time"), "start_time", errors)
    end_time = _time(values.get("end_time"), "end_time", errors)
    if errors:
        raise RowError(errors)
    start = timezone.make_aware(datetime.combine(day, start_time))
    end = timezone.make_aware(datetime.combine(day, end_time))
    errors = dispatch_check(planned_start=start, planned_end=end, passengers=values["passengers"])
    status = values.get("status") or DispatchStatus.COMPLETED
    plate = plate_normalise(values.get("plate") or "")
    vehicle = state.vehicles.get(plate) if plate else None
    if plate and vehicle is None:
        errors["plate"] = _("No vehicle %(plate)s is registered.") % {"plate": plate}
    if status in (DispatchStatus.APPROVED, DispatchStatus.COMPLETED) and not plate:
        errors["plate"] = _("An approved or completed trip names its vehicle.")
    out, back = values.get("odometer_out"), values.get("odometer_in")
    if status == DispatchStatus.COMPLETED or (out is not None and back is not None):
        errors |= odometer_pair_check(out, back)
    number = (values.get("number") or "").strip()
    if number and number in state.seen:
        errors[ROW] = _("Order %(number)s is already in row %(row)d.") % {
            "number": number,
            "row": state.seen[number],
        }
    if vehicle is not None and not errors and status != DispatchStatus.CANCELLED:
        busy = [
            (n, timezone.localtime(s), timezone.localtime(e))
            for s, e, n in state.busy[vehicle.pk]
            if s < end and e > start and n != number
        ]
        if status == DispatchStatus.REQUESTED:
            busy = []
        errors |= dispatch_vehicle_check(vehicle=_facts(vehicle), first=day, last=day, busy=busy)
    if "vehicle" in errors:  # the file names the vehicle by its plate
        errors["plate"] = errors.pop("vehicle")
    if errors:
        raise RowError(errors)
    if number:
        state.seen[number] = row
    candidate = DispatchOrder(
        agency=state.context.agency,
        department_id=department_id,
        applicant=values["applicant"].strip(),
        purpose=values["purpose"].strip(),
        destination=values["destination"].strip(),
        passengers=values["passengers"],
        planned_start=start,
        planned_end=end,
        vehicle=vehicle,
        driver=(values.get("driver") or "").strip(),
        status=status,
        odometer_out=out,
        odometer_in=back,
        note=values.get("note") or "",
        source=RowSource.IMPORT,
        import_job_id=state.context.job_id,
        created_by=state.context.user,
    )
    same = state.existing.get(number) if number else None
    if same is not None:
        fields = (
            "department_id",
            "applicant",
            "purpose",
            "destination",
            "passengers",
            "planned_start",
            "planned_end",
            "vehicle_id",
            "driver",
            "status",
            "odometer_out",
            "odometer_in",
            "note",
        )
        if all(getattr(same, f) == getattr(candidate, f) for f in fields):
            return Validated(record=same, status="unchanged")
        raise RowError(
            {"number": _("Order %(number)s is already recorded with other details.") % {"number": number}}
        )
    if not number:
        state.numbers[day.year] = state.numbers.get(day.year, 0) + 1
        number = f"{day.year}-{state.numbers[day.year]:04d}"
    candidate.number = number
    if vehicle is not None and status in (DispatchStatus.APPROVED, DispatchStatus.COMPLETED):
        state.busy[vehicle.pk].append((start, end, number))
    return Validated(record=candidate, status="new")


def trips_write(state: TripState, records: list) -> WriteSummary:
    from simple_history.utils import bulk_create_with_history

    bulk_create_with_history(records, DispatchOrder, batch_size=1000, default_user=state.context.user)
    return WriteSummary(created=len(records))


def trips_export(context: ImportContext):
    rows = _orders(context).select_related("vehicle", "department").order_by("planned_start", "pk")
    for o in rows.iterator(chunk_size=2000):
        start, end = timezone.localtime(o.planned_start), timezone.localtime(o.planned_end)
        yield {
            "number": o.number,
            "department": o.department.name,
            "applicant": o.applicant,
            "purpose": o.purpose,
            "destination": o.destination,
            "passengers": o.passengers,
            "date": start.date(),
            "start_time": f"{start:%H:%M}",
            "end_time": f"{end:%H:%M}",
            "plate": o.vehicle.plate if o.vehicle else "",
            "driver": o.driver,
            "status": o.status,
            "odometer_out": o.odometer_out,
            "odometer_in": o.odometer_in,
            "note": o.note,
        }


VEHICLES_KIND = ImportKind(
    key="vehicles",
    label=gettext_lazy("Official vehicles"),
    description=gettext_lazy(
        "The vehicle registry: plate, make and model, fuel, tank or battery, the fuel-per-100-km standard, "
        "department and the dates in use, sealed and retired."
    ),
    columns=VEHICLE_COLUMNS,
    prepare=vehicles_prepare,
    validate=vehicles_validate,
    write=vehicles_write,
    export=vehicles_export,
    roles=(Role.MANAGER,),
    indicators=VEHICLE_KEYS,
    template_rows=(
        {
            "plate": "鲁Q12378",
            "make_model": "大众帕萨特",
            "fuel_type": "92#汽油",
            "tank_capacity": Decimal(70),
            "standard": Decimal("9.5"),
            "department": "办公室",
            "in_use_from": date(2016, 5, 1),
        },
        {
            "plate": "鲁QD05126",
            "make_model": "比亚迪秦EV",
            "fuel_type": "纯电动",
            "new_energy": "是",
            "battery_capacity": Decimal("53.1"),
            "standard": Decimal(14),
            "in_use_from": date(2020, 6, 1),
        },
    ),
)
FUEL_KIND = ImportKind(
    key="fuel",
    label=gettext_lazy("Fuel logs"),
    description=gettext_lazy(
        "Refuelling and charging: plate, date, fuel, litres (kWh), unit price, amount, odometer, filled up "
        "or not, station and fuel card."
    ),
    columns=FUEL_COLUMNS,
    prepare=fuel_prepare,
    validate=fuel_validate,
    write=fuel_write,
    export=fuel_export,
    roles=(Role.MANAGER, Role.CLERK),
    indicators=LOG_KEYS,
    depends_on=("vehicles",),
    template_rows=(
        {
            "plate": "鲁Q12378",
            "date": date(2020, 3, 4),
            "grade": "92#汽油",
            "quantity": Decimal("42.5"),
            "unit_price": Decimal("5.86"),
            "amount": Decimal("249.05"),
            "odometer": Decimal(103215),
            "full": "是",
            "station": "中国石化临沂蒙山大道加油站",
        },
    ),
)
TRIPS_KIND = ImportKind(
    key="trips",
    label=gettext_lazy("Dispatch orders"),
    description=gettext_lazy(
        "Dispatch orders (派单): department, applicant, purpose, destination, passengers, date and times, "
        "vehicle and driver, status and the odometer out and in."
    ),
    columns=TRIP_COLUMNS,
    prepare=trips_prepare,
    validate=trips_validate,
    write=trips_write,
    export=trips_export,
    roles=(Role.MANAGER, Role.CLERK),
    indicators=VEHICLE_KEYS,
    depends_on=("vehicles",),
    template_rows=(
        {
            "department": "办公室",
            "applicant": "李鑫",
            "purpose": "医保基金监督检查",
            "destination": "临沂市人民医院",
            "passengers": 2,
            "date": date(2020, 3, 10),
            "start_time": "09:00",
            "end_time": "12:00",
            "plate": "鲁Q12378",
            "driver": "王建国",
            "status": "已完成",
            "odometer_out": Decimal(103300),
            "odometer_in": Decimal(103342),
        },
    ),
)


def register() -> None:
    register_import_kind(VEHICLES_KIND)
    register_import_kind(FUEL_KIND)
    register_import_kind(TRIPS_KIND)
