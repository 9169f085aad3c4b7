"""The rules of the vehicles ledger, from primitives only (no queries).

The forms, the services and the Excel import all call these: ``plate_normalise``/``plate_check``
(Chinese plates), ``vehicle_check``, ``fuel_log_check`` (quantity, tank, amount, odometer, dates)
and ``in_use_in`` (whether a vehicle counts as in use in a month).
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from agencies.conventions import join_list

from .models import GRADES_OF, FuelGrade, FuelType

# The one-character abbreviations of the provinces, autonomous regions and municipalities.
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_LETTER = "A-HJ-NP-Z"  # plates use no I and no O
ORDINARY_PLATE = re.compile(rf"^[{PROVINCES}][{_LETTER}][{_LETTER}0-9]{{5}}$")
# New-energy (green) plates: D (electric) or F (hybrid) then a letter or digit and four digits for
# small vehicles (鲁QD12345); five digits then D or F for large ones (鲁Q12345D).
NEW_ENERGY_PLATE = re.compile(rf"^[{PROVINCES}][{_LETTER}](?:[DF][{_LETTER}0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")
AMOUNT_TOLERANCE = Decimal("0.50")  # yuan between the receipt's amount and quantity × unit price
MAX_STANDARD = Decimal("60")  # L/100 km: above this a typing error is more likely
MAX_PRICE = Decimal("50")  # yuan per litre or kWh
EARLIEST = date(2000, 1, 1)
CENT = Decimal("0.01")


def plate_normalise(text: str) -> str:
    """Upper case, without the spaces, dots and hyphens people type inside a plate (鲁Q·12345)."""
    return re.sub(r"[\s·•.\-]", "", text or "").upper()


def plate_check(plate: str) -> dict[str, str]:
    if ORDINARY_PLATE.match(plate) or NEW_ENERGY_PLATE.match(plate):
        return {}
    if len(plate) == 8:
        return {
            "plate": _(
                "A new-energy plate is a province, a letter, then D or F and five characters, e.g. 鲁QD12345."
            )
        }
    return {"plate": _("Not a plate number: a province, a letter and five letters or digits, e.g. 鲁Q12345.")}


def is_new_energy_plate(plate: str) -> bool:
    return bool(NEW_ENERGY_PLATE.match(plate))


def vehicle_check(
    *,
    plate: str,
    fuel_type: str,
    new_energy: bool,
    tank_capacity: Decimal | None,
    battery_capacity: Decimal | None,
    standard: Decimal | None,
    in_use_from: date | None,
    sealed_from: date | None,
    retired_on: date | None,
) -> dict[str, str]:
    errors = plate_check(plate)
    if fuel_type not in FuelType.values:
        errors["fuel_type"] = _("Choose what the vehicle runs on.")
        return errors
    if fuel_type == FuelType.ELECTRIC and not new_energy:
        errors["new_energy"] = _("An electric vehicle is a new-energy vehicle.")
    if new_energy and fuel_type not in (FuelType.ELECTRIC, FuelType.HYBRID):
        errors["new_energy"] = _("Only an electric or plug-in hybrid vehicle is a new-energy vehicle.")
    if not errors.get("plate") and is_new_energy_plate(plate) != bool(new_energy):
        errors.setdefault(
            "plate",
            _("A new-energy vehicle has an 8-character green plate (鲁QD12345); other vehicles 7 characters.")
            if new_energy
            else _(
                "An 8-character plate is a new-energy plate: tick “new-energy vehicle” or check the plate."
            ),
        )
    if fuel_type != FuelType.ELECTRIC and not (tank_capacity and tank_capacity > 0):
        errors["tank_capacity"] = _("Give the tank capacity in litres.")
    if fuel_type in (FuelType.ELECTRIC, FuelType.HYBRID) and not (battery_capacity and battery_capacity > 0):
        errors["battery_capacity"] = _("Give the battery capacity in kWh.")
    if standard is None or not standard.is_finite() or standard <= 0:
        errors["standard"] = _("Give the vehicle's fuel-per-100-km standard (more than 0).")
    elif standard > MAX_STANDARD:
        errors["standard"] = _("More than 60 per 100 km: check the standard.")
    if in_use_from and sealed_from and sealed_from < in_use_from:
        errors["sealed_from"] = _("A vehicle cannot be sealed before it came into use.")
    if in_use_from and retired_on and retired_on < in_use_from:
        errors["retired_on"] = _("A vehicle cannot be retired before it came into use.")
    return errors


def month_end(month: date) -> date:
    return month.replace(day=monthrange(month.year, month.month)[1])


def in_use_in(month: date, *, in_use_from: date, stopped_on: date | None) -> bool:
    """In use on at least one day of ``month``: came into use by its last day, and was not yet
    sealed or retired on its first day."""
    first = month.replace(day=1)
    return in_use_from <= month_end(first) and (stopped_on is None or stopped_on > first)


@dataclass(frozen=True)
class VehicleFacts:
    """What the fuel-log rules need to know of the vehicle."""

    plate: str
    fuel_type: str
    tank_capacity: Decimal | None
    battery_capacity: Decimal | None
    in_use_from: date
    sealed_from: date | None = None
    retired_on: date | None = None


def expected_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def fuel_log_check(
    *,
    vehicle: VehicleFacts,
    day: date,
    grade: str,
    quantity: Decimal,
    unit_price: Decimal,
    amount: Decimal,
    odometer: Decimal,
    today: date,
    before: Decimal | None = None,
    after: Decimal | None = None,
) -> dict[str, str]:
    """The errors of one fuel log by field. ``before``/``after``: the highest odometer of the
    vehicle's logs dated before ``day`` and the lowest of those dated after it."""
    errors: dict[str, str] = {}
    if day > today:
        errors["date"] = _("The date cannot be in the future.")
    elif day < max(EARLIEST, vehicle.in_use_from):
        errors["date"] = _("%(plate)s came into use on %(day)s; the log is dated before it.") % {
            "plate": vehicle.plate,
            "day": f"{vehicle.in_use_from:%Y-%m-%d}",
        }
    elif vehicle.retired_on and day >= vehicle.retired_on:
        errors["date"] = _("%(plate)s was retired on %(day)s.") % {
            "plate": vehicle.plate,
            "day": f"{vehicle.retired_on:%Y-%m-%d}",
        }
    elif vehicle.sealed_from and day >= vehicle.sealed_from:
        errors["date"] = _("%(plate)s is sealed since %(day)s; a sealed vehicle is not filled.") % {
            "plate": vehicle.plate,
            "day": f"{vehicle.sealed_from:%Y-%m-%d}",
        }
    allowed = GRADES_OF.get(vehicle.fuel_type, ())
    if grade not in allowed:
        errors["grade"] = _("%(plate)s takes %(grades)s.") % {
            "plate": vehicle.plate,
            "grades": join_list(FuelGrade(g).label for g in allowed),
        }
        return errors
    charge = grade == FuelGrade.ELECTRIC
    if not quantity.is_finite() or quantity <= 0:
        errors["quantity"] = _("The quantity must be more than 0.")
    elif charge and vehicle.battery_capacity and quantity > vehicle.battery_capacity:
        errors["quantity"] = _("%(q)s kWh is more than the battery holds (%(cap)s kWh).") % {
            "q": quantity,
            "cap": vehicle.battery_capacity,
        }
    elif not charge and vehicle.tank_capacity and quantity > vehicle.tank_capacity:
        errors["quantity"] = _("%(q)s L is more than the tank holds (%(cap)s L).") % {
            "q": quantity,
            "cap": vehicle.tank_capacity,
        }
    if not unit_price.is_finite() or unit_price <= 0 or unit_price > MAX_PRICE:
        errors["unit_price"] = _("The unit price must be more than 0 and at most 50 yuan.")
    if not errors.get("quantity") and not errors.get("unit_price"):
        expected = expected_amount(quantity, unit_price)
        if not amount.is_finite() or abs(amount - expected) > AMOUNT_TOLERANCE:
            errors["amount"] = _(
                "The amount does not match quantity × unit price (%(expected)s yuan) within 0.5 yuan."
            ) % {"expected": expected}
    if not odometer.is_finite() or odometer < 0:
        errors["odometer"] = _("The odometer reading cannot be negative.")
    elif before is not None and odometer < before:
        errors["odometer"] = _(
            "The odometer never goes backwards: an earlier log of %(plate)s reads %(km)s km."
        ) % {"plate": vehicle.plate, "km": before}
    elif after is not None and odometer > after:
        errors["odometer"] = _(
            "The odometer never goes backwards: a later log of %(plate)s reads %(km)s km."
        ) % {"plate": vehicle.plate, "km": after}
    return errors


# --- dispatch orders (派单) ---------------------------------------------------------------------------

POOL_PASSENGERS = 3  # 3人以上集中派车


def destination_key(text: str) -> str:
    """Destinations compared for pooling: without spaces and punctuation, upper case."""
    return re.sub(r"[\s,，.。、;；:：()（）\-—]", "", text or "").upper()


def dispatch_check(*, planned_start, planned_end, passengers: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if planned_start and planned_end and planned_end <= planned_start:
        errors["planned_end"] = _("The vehicle must come back after it leaves.")
    if passengers is None or passengers < 1:
        errors["passengers"] = _("At least one passenger.")
    elif passengers > 60:
        errors["passengers"] = _("More than 60 passengers: check the number.")
    return errors


def dispatch_vehicle_check(
    *, vehicle: VehicleFacts, first: date, last: date, busy: list[tuple[str, object, object]]
) -> dict[str, str]:
    """Refusals of a vehicle for the days ``first``..``last``: sealed, retired, not yet in use, or
    already dispatched (``busy``: the number, start and end of approved orders overlapping)."""
    if vehicle.retired_on and last >= vehicle.retired_on:
        return {
            "vehicle": _("%(plate)s was retired on %(day)s.")
            % {"plate": vehicle.plate, "day": f"{vehicle.retired_on:%Y-%m-%d}"}
        }
    if vehicle.sealed_from and last >= vehicle.sealed_from:
        return {
            "vehicle": _("%(plate)s is sealed from %(day)s and may not be dispatched.")
            % {"plate": vehicle.plate, "day": f"{vehicle.sealed_from:%Y-%m-%d}"}
        }
    if first < vehicle.in_use_from:
        return {
            "vehicle": _("%(plate)s comes into use on %(day)s.")
            % {"plate": vehicle.plate, "day": f"{vehicle.in_use_from:%Y-%m-%d}"}
        }
    if busy:
        number, start, end = busy[0]
        return {
            "vehicle": _(
                "%(plate)s is already dispatched at that time (order %(number)s, %(start)s–%(end)s)."
            )
            % {
                "plate": vehicle.plate,
                "number": number,
                "start": f"{start:%Y-%m-%d %H:%M}",
                "end": f"{end:%Y-%m-%d %H:%M}",
            }
        }
    return {}


def odometer_pair_check(odometer_out: Decimal | None, odometer_in: Decimal | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if odometer_out is None or not odometer_out.is_finite() or odometer_out < 0:
        errors["odometer_out"] = _("Give the odometer reading when the vehicle left.")
    if odometer_in is None or not odometer_in.is_finite() or odometer_in < 0:
        errors["odometer_in"] = _("Give the odometer reading when the vehicle came back.")
    if not errors and odometer_in < odometer_out:
        errors["odometer_in"] = _("The odometer in (%(in)s km) is below the odometer out (%(out)s km).") % {
            "in": odometer_in,
            "out": odometer_out,
        }
    return errors
