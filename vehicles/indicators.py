"""The vehicles indicators, the target base "per vehicle in use" and the fuel analysis report.

* ``vehicles.fuel`` — litres bought (the receipts' quantities by date), by grade below it;
  the seed's third target (公务用车年平均油耗量) reads it per vehicle in use.
* ``vehicles.charging`` — kWh charged; ``vehicles.cost`` — yuan of fuel and charging.
* ``vehicles.distance`` — km of the full-to-full spans closed in the month (``accounting``),
  split into fuel vehicles' and electric vehicles' km.
* ``vehicles.fuel_accounted`` — the litres of those fuel spans; with the fuel vehicles' km it
  gives ``vehicles.fuel_per_100km``, a Ratio: every reader divides the period's sums.
* ``vehicles.in_use`` — vehicles in use, counted per month (vehicle-months), its new-energy part
  below it; ``vehicles.new_energy_share`` is their Ratio.

One computation (``vehicle_figures``: the vehicles in one query, their logs in another) gives
every summed key. Department rows come from the vehicle's department.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.conventions import register_unit
from reporting.registry import (
    AnalysisReport,
    Figure,
    Indicator,
    Ratio,
    TargetBase,
    register_indicator,
    register_report,
    register_target_base,
)

from .accounting import month_of, spans
from .models import FuelGrade
from .queries import accounted_fills, in_use_counts, last_month_end, log_rows, vehicles_of

FUEL = "vehicles.fuel"
GRADE_KEYS = {
    FuelGrade.PETROL_92.value: "vehicles.fuel.petrol92",
    FuelGrade.PETROL_95.value: "vehicles.fuel.petrol95",
    FuelGrade.DIESEL.value: "vehicles.fuel.diesel",
}
CHARGING = "vehicles.charging"
COST = "vehicles.cost"
DISTANCE = "vehicles.distance"
DISTANCE_FUEL = "vehicles.distance.fuel"
DISTANCE_ELECTRIC = "vehicles.distance.electric"
ACCOUNTED = "vehicles.fuel_accounted"
RATE = "vehicles.fuel_per_100km"
IN_USE = "vehicles.in_use"
IN_USE_NEW_ENERGY = "vehicles.in_use.new_energy"
NEW_ENERGY_SHARE = "vehicles.new_energy_share"

# What a write of the fuel log makes stale; what a change of a vehicle's dates or kind makes stale.
LOG_KEYS = (FUEL, *GRADE_KEYS.values(), CHARGING, COST, DISTANCE, DISTANCE_FUEL, DISTANCE_ELECTRIC, ACCOUNTED)
VEHICLE_KEYS = (IN_USE, IN_USE_NEW_ENERGY)
SUMMED_KEYS = (*LOG_KEYS, *VEHICLE_KEYS)

PER_VEHICLE = "per_vehicle"
ORDER = 30
VEHICLE_MONTH = "vehicle-month"


def _add(sums: dict, key: str, agency: int, department: int | None, month: date, value: Decimal) -> None:
    bucket = sums[key]
    bucket[(agency, None, month)] = bucket.get((agency, None, month), Decimal(0)) + value
    if department is not None:
        bucket[(agency, department, month)] = bucket.get((agency, department, month), Decimal(0)) + value


def vehicle_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    """{key: figures} for the vehicle keys asked: two queries for any number of agencies."""
    wanted = {month_of(m) for m in months}
    sums: dict[str, dict] = {key: {} for key in SUMMED_KEYS}
    if not wanted:
        return {key: [] for key in keys}
    vehicles = vehicles_of(agency_ids)
    by_id = {v.pk: v for v in vehicles}
    logs = log_rows(by_id, upto=last_month_end(wanted)) if set(keys) & set(LOG_KEYS) else {}
    for vehicle_id, rows in logs.items():
        vehicle = by_id[vehicle_id]
        a, d = vehicle.agency_id, vehicle.department_id
        for log in rows:
            month = month_of(log.day)
            if month not in wanted:
                continue
            _add(sums, COST, a, d, month, log.amount)
            if log.is_charge:
                _add(sums, CHARGING, a, d, month, log.quantity)
            else:
                _add(sums, FUEL, a, d, month, log.quantity)
                _add(sums, GRADE_KEYS[log.grade], a, d, month, log.quantity)
        for span in spans(accounted_fills(vehicle, rows)):
            month = month_of(span.closed)
            if month not in wanted:
                continue
            _add(sums, DISTANCE, a, d, month, span.distance)
            if vehicle.accounted_by_charge:
                _add(sums, DISTANCE_ELECTRIC, a, d, month, span.distance)
            else:
                _add(sums, DISTANCE_FUEL, a, d, month, span.distance)
                _add(sums, ACCOUNTED, a, d, month, span.quantity)
    if set(keys) & set(VEHICLE_KEYS):
        for vehicle in vehicles:
            for month in wanted:
                if vehicle.in_use_in(month):
                    a, d = vehicle.agency_id, vehicle.department_id
                    _add(sums, IN_USE, a, d, month, Decimal(1))
                    if vehicle.new_energy:
                        _add(sums, IN_USE_NEW_ENERGY, a, d, month, Decimal(1))
    return {
        key: [
            Figure(agency, department, month, value)
            for (agency, department, month), value in sums[key].items()
        ]
        for key in keys
    }


def _compute(key: str):
    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        return vehicle_figures(agency_ids, months, [key])[key]

    return compute


def vehicles_in_use(agency_ids: Sequence[int], years: Sequence[int]) -> dict[tuple[int, int], Decimal]:
    """The target base's divisor: vehicles in use in the year, the average of its months' counts.

    A year still running counts its months up to the current one. One query."""
    today = timezone.localdate()
    vehicles = vehicles_of(agency_ids)
    out: dict[tuple[int, int], Decimal] = {}
    for year in years:
        if year > today.year:
            continue
        months = [date(year, m, 1) for m in range(1, (today.month if year == today.year else 12) + 1)]
        counts = in_use_counts(vehicles, months)
        for agency_id in agency_ids:
            total = sum(counts.get((agency_id, m), (0, 0))[0] for m in months)
            if total:
                out[(agency_id, year)] = Decimal(total) / Decimal(len(months))
    return out


def register() -> None:
    register_unit(VEHICLE_MONTH, pgettext_lazy("unit", "vehicle-month"))
    register_unit("kWh/100 km", pgettext_lazy("unit", "kWh/100 km"))  # 千瓦时/百公里
    register_target_base(
        TargetBase(
            PER_VEHICLE,
            _("per vehicle in use"),
            _("/vehicle"),
            vehicles_in_use,
            order=30,
            divisor_text=_("%(n)s vehicles in use on average"),
        )
    )

    def summed(key, name, unit, order, *, parent=None, bases=(), public=True):
        register_indicator(
            Indicator(
                key=key,
                name=name,
                unit=unit,
                compute=_compute(key),
                compute_batch=vehicle_figures,
                parent=parent,
                bases=bases,
                order=order,
                public=public,
            )
        )

    summed(FUEL, _("Vehicle fuel"), "L", ORDER, bases=(PER_VEHICLE,))
    for i, (grade, key) in enumerate(GRADE_KEYS.items()):
        summed(key, FuelGrade(grade).label, "L", ORDER + 1 + i, parent=FUEL)
    summed(CHARGING, _("Vehicle charging"), "kWh", ORDER + 4)
    summed(COST, _("Vehicle fuel cost"), "yuan", ORDER + 5)
    summed(DISTANCE, _("Vehicle kilometres"), "km", ORDER + 6)
    summed(DISTANCE_FUEL, _("Kilometres of fuel vehicles"), "km", ORDER + 7, parent=DISTANCE)
    summed(DISTANCE_ELECTRIC, _("Kilometres of electric vehicles"), "km", ORDER + 8, parent=DISTANCE)
    summed(ACCOUNTED, _("Fuel of the accounted kilometres"), "L", ORDER + 9, public=False)
    register_indicator(
        Indicator(
            key=RATE,
            name=_("Fuel per 100 km"),
            unit="L/100 km",
            aggregation=Ratio(ACCOUNTED, DISTANCE_FUEL, Decimal(100)),
            order=ORDER + 10,
        )
    )
    summed(IN_USE, _("Vehicles in use"), VEHICLE_MONTH, ORDER + 11, public=False)
    summed(
        IN_USE_NEW_ENERGY,
        _("New-energy vehicles in use"),
        VEHICLE_MONTH,
        ORDER + 12,
        parent=IN_USE,
        public=False,
    )
    register_indicator(
        Indicator(
            key=NEW_ENERGY_SHARE,
            name=_("New-energy share of vehicles"),
            unit="%",
            aggregation=Ratio(IN_USE_NEW_ENERGY, IN_USE, Decimal(100)),
            order=ORDER + 13,
        )
    )
    register_report(
        AnalysisReport(
            "vehicles",
            FUEL,
            _("Vehicle fuel statistics and analysis report"),
            related=(DISTANCE, RATE, COST),
            order=30,
        )
    )
