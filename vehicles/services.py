"""Writes of the vehicles ledger: vehicles, designated stations and fuel logs.

Every write takes the caller's ``scope`` and first checks that what it writes and points at lies
in it (``scope.check``: agency; the vehicle's department for clerks), whatever the form did; then
the rules (``rules``), the period locks of the indicators it feeds, and it marks those stale in
its own transaction (``reporting.writes``: refreshed after the commit).

A fuel log is checked and saved while the vehicle's row is locked (``SELECT … FOR UPDATE``), so
two logs of one vehicle entered at the same moment cannot both pass the odometer check against
the same neighbours.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Role
from agencies.scoping import Scope, ScopeViolation
from reporting import writes

from .accounting import month_of
from .indicators import LOG_KEYS, SUMMED_KEYS, VEHICLE_KEYS
from .models import DispatchOrder, DispatchStatus, FuelLog, FuelType, RowSource, SealPeriod, Station, Vehicle
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

VEHICLE_FIELDS = (
    "plate",
    "make_model",
    "fuel_type",
    "new_energy",
    "tank_capacity",
    "battery_capacity",
    "standard",
    "department",
    "in_use_from",
    "sealed_from",
    "retired_on",
    "note",
)
# Changing these changes figures: the vehicle's months (in use), and its logs' department rows.
FIGURE_FIELDS = ("department_id", "fuel_type", "new_energy", "in_use_from", "sealed_from", "retired_on")


def today() -> date:
    """Today in Asia/Shanghai (the project's TIME_ZONE)."""
    return timezone.localdate()


def months_between(first: date, last: date) -> list[date]:
    months, month = [], month_of(first)
    while month <= month_of(last):
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def facts(vehicle: Vehicle) -> VehicleFacts:
    return VehicleFacts(
        plate=vehicle.plate,
        fuel_type=vehicle.fuel_type,
        tank_capacity=vehicle.tank_capacity,
        battery_capacity=vehicle.battery_capacity,
        in_use_from=vehicle.in_use_from,
        sealed_from=vehicle.sealed_from,
        retired_on=vehicle.retired_on,
    )


# --- vehicles ---------------------------------------------------------------------------------------


def _vehicle_months(vehicle: Vehicle, old: Vehicle | None) -> list[date]:
    """The months whose figures a change of this vehicle can move: from its first day in use (or
    first log) to the last day its status or logs reach."""
    days = [vehicle.in_use_from, today()]
    if old is not None:
        days.append(old.in_use_from)
        logs = old.fuel_logs.aggregate(first=Min("date"), last=Max("date"))
        days += [d for d in logs.values() if d]
    days += [d for d in (vehicle.sealed_from, vehicle.retired_on) if d]
    return months_between(min(days), max(days))


def vehicle_save(*, scope: Scope, vehicle: Vehicle) -> Vehicle:
    """Register or change a vehicle (the energy manager's)."""
    scope.require(Role.MANAGER)
    if vehicle.pk is None:
        vehicle.agency = scope.agency
    scope.check(vehicle)
    vehicle.plate = plate_normalise(vehicle.plate)
    if vehicle.fuel_type == FuelType.ELECTRIC:
        vehicle.tank_capacity = None
    elif vehicle.fuel_type != FuelType.HYBRID:
        vehicle.battery_capacity = None
    errors = vehicle_check(
        plate=vehicle.plate,
        fuel_type=vehicle.fuel_type,
        new_energy=vehicle.new_energy,
        tank_capacity=vehicle.tank_capacity,
        battery_capacity=vehicle.battery_capacity,
        standard=vehicle.standard,
        in_use_from=vehicle.in_use_from,
        sealed_from=vehicle.sealed_from,
        retired_on=vehicle.retired_on,
    )
    if vehicle.in_use_from is None:
        errors["in_use_from"] = _("Give the date the vehicle came into use.")
    taken = Vehicle.objects.filter(agency_id=vehicle.agency_id, plate=vehicle.plate).exclude(pk=vehicle.pk)
    if not errors.get("plate") and taken.exists():
        errors["plate"] = _("The agency already has a vehicle with this plate.")
    old = Vehicle.objects.get(pk=vehicle.pk) if vehicle.pk else None
    if old is not None and not errors:
        first_log = old.fuel_logs.order_by("date").values_list("date", flat=True).first()
        if first_log and first_log < vehicle.in_use_from:
            errors["in_use_from"] = _("The vehicle has a fuel log dated %(day)s, before this date.") % {
                "day": f"{first_log:%Y-%m-%d}"
            }
        stopped = vehicle.stopped_on
        last_log = old.fuel_logs.order_by("-date").values_list("date", flat=True).first()
        if stopped and last_log and last_log >= stopped:
            field = "sealed_from" if stopped == vehicle.sealed_from else "retired_on"
            errors[field] = _("The vehicle has a fuel log dated %(day)s, on or after this date.") % {
                "day": f"{last_log:%Y-%m-%d}"
            }
    if errors:
        raise ValidationError(errors)
    months, keys = [], ()
    if old is None:
        months, keys = _vehicle_months(vehicle, None), VEHICLE_KEYS
    elif any(getattr(old, f) != getattr(vehicle, f) for f in FIGURE_FIELDS):
        months, keys = _vehicle_months(vehicle, old), SUMMED_KEYS
    if months:
        writes.assert_open(agency_id=vehicle.agency_id, months=months, indicators=keys)
    try:
        with transaction.atomic():
            vehicle.save()
            if months:
                writes.mark_stale(agency_id=vehicle.agency_id, months=months, indicators=keys)
    except IntegrityError:
        raise ValidationError({"plate": _("The agency already has a vehicle with this plate.")}) from None
    return vehicle


# --- designated stations (定点加油站) ------------------------------------------------------------------


def station_save(*, scope: Scope, station: Station) -> Station:
    scope.require(Role.MANAGER)
    if station.pk is None:
        station.agency = scope.agency
    scope.check(station)
    station.name = station.name.strip()
    if not station.name:
        raise ValidationError({"name": _("Give the station's name as its receipts print it.")})
    taken = Station.objects.filter(agency_id=station.agency_id, name=station.name).exclude(pk=station.pk)
    if taken.exists():
        raise ValidationError({"name": _("This station is already listed.")})
    station.save()
    # Logs keep whether their station was designated when they were entered; a newly listed
    # station makes the logs that name it designated.
    FuelLog.objects.filter(vehicle__agency_id=station.agency_id, station=station.name).update(
        designated=station.is_active
    )
    return station


def designated_names(agency_id: int) -> set[str]:
    return set(Station.objects.filter(agency_id=agency_id, is_active=True).values_list("name", flat=True))


# --- fuel logs (加油/充电记录) -------------------------------------------------------------------------


def _neighbours(vehicle: Vehicle, day: date, exclude: int | None) -> tuple:
    """The highest odometer of the vehicle's logs before ``day`` and the lowest after it."""
    logs = FuelLog.objects.filter(vehicle=vehicle)
    if exclude:
        logs = logs.exclude(pk=exclude)
    before = logs.filter(date__lt=day).aggregate(km=Max("odometer"))["km"]
    after = logs.filter(date__gt=day).aggregate(km=Min("odometer"))["km"]
    return before, after


def _stale_months(vehicle: Vehicle, days: list[date], charge: bool) -> list[date]:
    """The months of these days and of the next full fill after each (a span closing there changes)."""
    months = {month_of(d) for d in days}
    same = (
        FuelLog.objects.filter(vehicle=vehicle, full=True, grade="electric")
        if charge
        else (FuelLog.objects.filter(vehicle=vehicle, full=True).exclude(grade="electric"))
    )
    for day in days:
        nxt = same.filter(date__gt=day).order_by("date").values_list("date", flat=True).first()
        if nxt:
            months.add(month_of(nxt))
    return sorted(months)


def fuel_log_record(
    *,
    scope: Scope,
    vehicle: Vehicle,
    date: date,
    grade: str,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Decimal | None,
    odometer: Decimal,
    full: bool = True,
    station: str = "",
    fuel_card: str = "",
    note: str = "",
    receipt=None,
    source: str = RowSource.FORM,
    log: FuelLog | None = None,
) -> FuelLog:
    """Record (or, given ``log``, correct) one refuelling or charge; ValidationError by field."""
    from ledger.uploads import upload_prepare

    target = log or FuelLog(created_by=scope.user, source=source)
    target.vehicle = vehicle
    scope.check(target)  # the row as stored and as it will point (a clerk: their section's vehicle)
    try:
        receipt = upload_prepare(receipt)
    except ValidationError as error:
        raise ValidationError({"receipt": error.messages[0]}) from None
    if amount is None and quantity is not None and unit_price is not None:
        amount = expected_amount(quantity, unit_price)
    old = (log.vehicle, log.date, log.is_charge) if log is not None and log.pk else None
    charge = grade == "electric"
    days = [date, *([old[1]] if old else [])]
    writes.assert_open(agency_id=vehicle.agency_id, months={month_of(d) for d in days}, indicators=LOG_KEYS)
    with transaction.atomic():
        # the vehicle's row (and the one the log leaves) locked: secb's shared lock (reporting.writes)
        rows = writes.lock(Vehicle.objects.filter(pk__in={vehicle.pk, *([old[0].pk] if old else [])}))
        locked = next(v for v in rows if v.pk == vehicle.pk)
        before, after = _neighbours(locked, date, log.pk if log is not None else None)
        errors = fuel_log_check(
            vehicle=facts(locked),
            day=date,
            grade=grade,
            quantity=quantity,
            unit_price=unit_price,
            amount=amount,
            odometer=odometer,
            today=today(),
            before=before,
            after=after,
        )
        if errors:
            raise ValidationError(errors)
        months = _stale_months(locked, days, charge)
        if old and (old[0].pk != vehicle.pk or old[2] != charge):
            months = sorted(set(months) | set(_stale_months(old[0], [old[1]], old[2])))
        log = target
        log.date, log.grade, log.quantity, log.unit_price = date, grade, quantity, unit_price
        log.amount, log.odometer, log.full = amount, odometer, full
        log.station, log.fuel_card, log.note = station.strip(), fuel_card.strip(), note
        log.designated = bool(log.station) and log.station in designated_names(vehicle.agency_id)
        if receipt is not None:
            log.receipt = receipt
        log.save()
        writes.mark_stale(agency_id=vehicle.agency_id, months=months, indicators=LOG_KEYS)
    return log


def fuel_log_delete(*, scope: Scope, log: FuelLog) -> None:
    """Remove a log entered by mistake (its history stays)."""
    scope.check(log)
    writes.assert_open(agency_id=log.vehicle.agency_id, months=[month_of(log.date)], indicators=LOG_KEYS)
    with writes.serialised(Vehicle.objects.filter(pk=log.vehicle_id)):
        months = _stale_months(log.vehicle, [log.date], log.is_charge)
        log.delete()
        writes.mark_stale(agency_id=log.vehicle.agency_id, months=months, indicators=LOG_KEYS)


def department_vehicles(scope: Scope):
    """The vehicles a user may log fuel for: a clerk, those of their sections; others, all."""
    return scope.filter(Vehicle.objects, department_field="department")


# --- dispatch orders (派单) ---------------------------------------------------------------------------


def _local_day(moment) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _busy(order: DispatchOrder, vehicle: Vehicle) -> list:
    """Approved or completed orders of ``vehicle`` that overlap ``order``'s planned time."""
    rows = DispatchOrder.objects.filter(
        vehicle=vehicle,
        status__in=[DispatchStatus.APPROVED, DispatchStatus.COMPLETED],
        planned_start__lt=order.planned_end,
        planned_end__gt=order.planned_start,
    ).exclude(pk=order.pk)
    return list(rows.order_by("planned_start").values_list("number", "planned_start", "planned_end"))


def _vehicle_errors(order: DispatchOrder) -> dict[str, str]:
    """Under the vehicle's row lock: sealed, retired or already dispatched at that time."""
    if order.vehicle_id is None:
        return {}
    (vehicle,) = writes.lock(Vehicle.objects.filter(pk=order.vehicle_id))
    busy = _busy(order, vehicle)
    return dispatch_vehicle_check(
        vehicle=facts(vehicle),
        first=_local_day(order.planned_start),
        last=_local_day(order.planned_end),
        busy=[(n, timezone.localtime(s), timezone.localtime(e)) for n, s, e in busy],
    )


def _number(order: DispatchOrder) -> str:
    year = _local_day(order.planned_start).year
    taken = DispatchOrder.objects.filter(agency_id=order.agency_id, number__startswith=f"{year}-").count()
    return f"{year}-{taken + 1:04d}"


def requestable_vehicles(scope: Scope):
    """The vehicles a user may ask for: a clerk, those of their sections and the agency's pool
    (no department); the energy manager, every vehicle of the agency."""
    from django.db.models import Q

    vehicles = scope.filter(Vehicle.objects)
    if scope.department_ids is not None:
        vehicles = vehicles.filter(Q(department__isnull=True) | Q(department_id__in=scope.department_ids))
    return vehicles


def _clerk_vehicle(scope: Scope, vehicle: Vehicle | None) -> None:
    if vehicle is None or scope.department_ids is None:
        return
    if vehicle.department_id is not None and vehicle.department_id not in scope.department_ids:
        raise ScopeViolation(_("This vehicle belongs to another section; ask the energy manager."))


def dispatch_save(*, scope: Scope, order: DispatchOrder) -> DispatchOrder:
    """Create or change a dispatch order while it is requested (a clerk: for their own section)."""
    if order.pk is None:
        order.agency = scope.agency
        order.created_by = scope.user
        order.status = DispatchStatus.REQUESTED
    scope.check(order)
    _clerk_vehicle(scope, order.vehicle)
    if order.pk and DispatchOrder.objects.filter(pk=order.pk).values_list("status", flat=True).first() != (
        DispatchStatus.REQUESTED
    ):
        raise ValidationError(_("Only a requested order can be changed; cancel it and request another."))
    errors = dispatch_check(
        planned_start=order.planned_start, planned_end=order.planned_end, passengers=order.passengers
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        errors = _vehicle_errors(order)
        if errors:
            raise ValidationError(errors)
        if order.pk:
            order.save()
            return order
        for _attempt in range(5):
            order.number = _number(order)
            try:
                with transaction.atomic():
                    order.save()
                return order
            except IntegrityError:
                order.pk = None
        raise ValidationError(_("The order could not be numbered; try again."))


def dispatch_approve(*, scope: Scope, order: DispatchOrder) -> DispatchOrder:
    """The energy manager approves a requested order with a vehicle that is free and in use."""
    scope.require(Role.MANAGER)
    scope.check(order)
    if order.status != DispatchStatus.REQUESTED:
        raise ValidationError(_("Only a requested order can be approved."))
    if order.vehicle_id is None:
        raise ValidationError({"vehicle": _("Assign a vehicle before approving the order.")})
    with transaction.atomic():
        errors = _vehicle_errors(order)
        if errors:
            raise ValidationError(errors)
        order.status = DispatchStatus.APPROVED
        order.approver = scope.user
        order.approved_at = timezone.now()
        order.save(update_fields=["status", "approver", "approved_at"])
    return order


def dispatch_complete(
    *, scope: Scope, order: DispatchOrder, odometer_out: Decimal | None, odometer_in: Decimal | None
) -> DispatchOrder:
    """Close an approved order with the odometer out and in (in ≥ out)."""
    scope.check(order)
    if order.status != DispatchStatus.APPROVED:
        raise ValidationError(_("Only an approved order can be completed."))
    errors = odometer_pair_check(odometer_out, odometer_in)
    if errors:
        raise ValidationError(errors)
    order.odometer_out, order.odometer_in = odometer_out, odometer_in
    order.status = DispatchStatus.COMPLETED
    order.save(update_fields=["odometer_out", "odometer_in", "status"])
    return order


def dispatch_cancel(*, scope: Scope, order: DispatchOrder) -> DispatchOrder:
    scope.check(order)
    if order.status not in (DispatchStatus.REQUESTED, DispatchStatus.APPROVED):
        raise ValidationError(_("A completed or cancelled order cannot be cancelled."))
    order.status = DispatchStatus.CANCELLED
    order.save(update_fields=["status"])
    return order


def seal_save(*, scope: Scope, period: SealPeriod) -> SealPeriod:
    """An agency's own seal period (the energy manager's)."""
    scope.require(Role.MANAGER)
    if period.pk is None:
        period.agency = scope.agency
    scope.check(period)
    if period.start and period.end and period.end < period.start:
        raise ValidationError({"end": _("The period cannot end before it starts.")})
    period.save()
    return period
