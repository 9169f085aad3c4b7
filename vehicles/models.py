"""Official vehicles (公务用车): the registry, the agency's designated filling stations and the fuel
log (车辆油耗台账, refuelling and charging).

A vehicle's status is kept as dates, so that "vehicles in use" is known for any month: in use from
``in_use_from``; sealed (封存) from ``sealed_from``; retired (报废/处置) on ``retired_on``. A vehicle
counts as in use in a month when it was in use on at least one day of it (``rules.in_use_in``).
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Department
from ledger.uploads import AttachmentField

__all__ = [
    "DispatchOrder",
    "DispatchStatus",
    "FuelGrade",
    "FuelLog",
    "FuelType",
    "SealPeriod",
    "Station",
    "Vehicle",
    "VehicleStatus",
]


def receipt_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"vouchers/{instance._meta.model_name}/{uuid.uuid4().hex}.{ext[:8]}"


class FuelType(models.TextChoices):
    """What the vehicle runs on."""

    PETROL_92 = "92", _("92# petrol")
    PETROL_95 = "95", _("95# petrol")
    DIESEL = "diesel", _("Diesel")
    ELECTRIC = "electric", _("Electric")
    HYBRID = "hybrid", _("Plug-in hybrid")


def rate_unit(fuel_type: str) -> str:
    """What a vehicle's standard and its fuel per 100 km are counted in: an electric vehicle's in
    kWh per 100 km (its distance comes from its charges), every other's in litres."""
    return "kWh/100 km" if fuel_type == FuelType.ELECTRIC else "L/100 km"


class FuelGrade(models.TextChoices):
    """What one fuel log put in: a fuel (litres) or electricity (kWh)."""

    PETROL_92 = "92", _("92# petrol")
    PETROL_95 = "95", _("95# petrol")
    DIESEL = "diesel", _("Diesel")
    ELECTRIC = "electric", _("Electricity (charging)")


# Which grades a vehicle may take: a 92# car may be filled with 95#, a hybrid with petrol or a charge.
GRADES_OF = {
    FuelType.PETROL_92: (FuelGrade.PETROL_92, FuelGrade.PETROL_95),
    FuelType.PETROL_95: (FuelGrade.PETROL_92, FuelGrade.PETROL_95),
    FuelType.DIESEL: (FuelGrade.DIESEL,),
    FuelType.ELECTRIC: (FuelGrade.ELECTRIC,),
    FuelType.HYBRID: (FuelGrade.PETROL_92, FuelGrade.PETROL_95, FuelGrade.ELECTRIC),
}


class VehicleStatus(models.TextChoices):
    IN_USE = "in_use", _("in use")
    SEALED = "sealed", _("sealed")
    RETIRED = "retired", _("retired")


class RowSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Excel import")
    DEMO = "demo", _("Demo data")


class Vehicle(models.Model):
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="vehicles"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        help_text=_("The section that uses and keeps the vehicle; empty for the agency's pool."),
    )
    plate = models.CharField(
        _("plate number"),
        max_length=8,
        help_text=_("e.g. 鲁Q12345; a new-energy plate has 8 characters, e.g. 鲁QD12345."),
    )
    make_model = models.CharField(_("make and model"), max_length=80)
    fuel_type = models.CharField(_("fuel"), max_length=8, choices=FuelType.choices)
    new_energy = models.BooleanField(
        _("new-energy vehicle"), default=False, help_text=_("Electric or plug-in hybrid (green plate).")
    )
    tank_capacity = models.DecimalField(
        _("tank capacity (L)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    battery_capacity = models.DecimalField(
        _("battery capacity (kWh)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    standard = models.DecimalField(
        _("fuel-per-100-km standard"),
        max_digits=5,
        decimal_places=2,
        help_text=_("百公里耗油控制标准: litres per 100 km (kWh per 100 km for an electric vehicle)."),
    )
    in_use_from = models.DateField(_("in use from"))
    sealed_from = models.DateField(_("sealed from"), null=True, blank=True)
    retired_on = models.DateField(pgettext_lazy("vehicle", "retired on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=RowSource.choices, default="form")
    import_job_id = models.BigIntegerField(_("import job"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["agency", "plate"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "plate"], name="vehicle_plate_once_in_agency"),
            models.CheckConstraint(condition=Q(standard__gt=0), name="vehicle_standard_positive"),
            models.CheckConstraint(
                condition=Q(sealed_from__isnull=True) | Q(sealed_from__gte=models.F("in_use_from")),
                name="vehicle_sealed_after_in_use",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gte=models.F("in_use_from")),
                name="vehicle_retired_after_in_use",
            ),
        ]

    def __str__(self) -> str:
        return self.plate

    @property
    def rate_unit(self) -> str:
        return rate_unit(self.fuel_type)

    @property
    def stopped_on(self) -> date | None:
        """The first day it was no longer in use (sealed or retired), if any."""
        days = [d for d in (self.sealed_from, self.retired_on) if d]
        return min(days) if days else None

    def status_on(self, day: date) -> str:
        if self.retired_on and self.retired_on <= day:
            return VehicleStatus.RETIRED
        if self.sealed_from and self.sealed_from <= day:
            return VehicleStatus.SEALED
        return VehicleStatus.IN_USE

    @property
    def status(self) -> str:
        from django.utils import timezone

        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(VehicleStatus(self.status).label)

    @property
    def is_electric(self) -> bool:
        return self.fuel_type == FuelType.ELECTRIC


class Station(models.Model):
    """A filling or charging station the agency designated (定点加油站); other stations are flagged."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="fuel_stations"
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("As the receipt names it."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("designated now"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("designated station")
        verbose_name_plural = _("designated stations")
        ordering = ["agency", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="station_name_once_in_agency")]

    def __str__(self) -> str:
        return self.name


class FuelLog(models.Model):
    """One refuelling (加油) or charge (充电) of one vehicle, from its receipt."""

    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="fuel_logs"
    )
    date = models.DateField(_("date"))
    grade = models.CharField(_("fuel"), max_length=8, choices=FuelGrade.choices)
    quantity = models.DecimalField(
        pgettext_lazy("fuel log", "quantity"),
        max_digits=8,
        decimal_places=2,
        help_text=_("Litres; kWh for a charge."),
    )
    unit_price = models.DecimalField(_("unit price (yuan)"), max_digits=7, decimal_places=2)
    amount = models.DecimalField(
        _("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        help_text=_("As on the receipt; it must match quantity × unit price within 0.5 yuan."),
    )
    odometer = models.DecimalField(_("odometer (km)"), max_digits=9, decimal_places=1)
    full = models.BooleanField(
        _("filled up"),
        default=True,
        help_text=_("Filled to full (charged to full): closes an accounting span."),
    )
    station = models.CharField(_("station"), max_length=80, blank=True)
    designated = models.BooleanField(_("designated station"), default=False, editable=False)
    fuel_card = models.CharField(_("fuel card"), max_length=30, blank=True)
    receipt = AttachmentField(_("receipt (photo or PDF)"), upload_to=receipt_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=RowSource.choices, default="form")
    import_job_id = models.BigIntegerField(_("import job"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fuel log")
        verbose_name_plural = _("fuel logs")
        ordering = ["vehicle", "-date", "-odometer"]
        indexes = [models.Index(fields=["vehicle", "date"], name="fuellog_vehicle_date")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="fuellog_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="fuellog_price_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fuellog_amount_not_negative"),
            models.CheckConstraint(condition=Q(odometer__gte=0), name="fuellog_odometer_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.date:%Y-%m-%d} {self.quantity} {self.unit}"

    @property
    def is_charge(self) -> bool:
        return self.grade == FuelGrade.ELECTRIC

    @property
    def unit(self) -> str:
        return "kWh" if self.is_charge else "L"


class DispatchStatus(models.TextChoices):
    REQUESTED = "requested", _("requested")
    APPROVED = "approved", _("approved")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")


class DispatchOrder(models.Model):
    """A dispatch order (派单): who asked for a vehicle, where to, when, and what the odometer said.

    requested → approved → completed, or cancelled before it is completed. The energy manager
    approves (the vehicle must be in use and not dispatched at the same time); completing it
    records the odometer out and in (in ≥ out).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="dispatch_orders"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="dispatch_orders",
        help_text=_("The section that asks for the vehicle."),
    )
    number = models.CharField(_("order number"), max_length=20, editable=False)
    applicant = models.CharField(_("applicant"), max_length=40)
    purpose = models.CharField(_("purpose"), max_length=200)
    destination = models.CharField(_("destination"), max_length=120)
    passengers = models.PositiveSmallIntegerField(_("passengers"), default=1)
    planned_start = models.DateTimeField(_("leaves at"))
    planned_end = models.DateTimeField(_("returns at"))
    vehicle = models.ForeignKey(
        Vehicle,
        verbose_name=_("vehicle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatch_orders",
        help_text=_("The energy manager may assign it when approving."),
    )
    driver = models.CharField(_("driver"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.REQUESTED
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    odometer_out = models.DecimalField(
        _("odometer out (km)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    odometer_in = models.DecimalField(
        _("odometer in (km)"), max_digits=9, decimal_places=1, null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=RowSource.choices, default="form")
    import_job_id = models.BigIntegerField(_("import job"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dispatch order")
        verbose_name_plural = _("dispatch orders")
        ordering = ["agency", "-planned_start"]
        indexes = [models.Index(fields=["agency", "planned_start"], name="dispatch_agency_start")]
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="dispatch_number_once_in_agency"),
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")), name="dispatch_returns_after_leaving"
            ),
            models.CheckConstraint(
                condition=Q(odometer_in__isnull=True)
                | Q(odometer_out__isnull=True)
                | Q(odometer_in__gte=models.F("odometer_out")),
                name="dispatch_odometer_in_not_below_out",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | (Q(odometer_out__isnull=False) & Q(odometer_in__isnull=False)),
                name="dispatch_completed_has_odometer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.destination}"

    @property
    def distance(self) -> Decimal | None:
        if self.odometer_in is None or self.odometer_out is None:
            return None
        return self.odometer_in - self.odometer_out


class SealPeriod(models.Model):
    """A period of the agency's own in which its vehicles are sealed (封存停驶), beside the national
    statutory holidays that ``fixtures/statutory_holidays.json`` lists for every agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="seal_periods"
    )
    name = models.CharField(_("name"), max_length=60)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("seal period")
        verbose_name_plural = _("seal periods")
        ordering = ["agency", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="sealperiod_end_not_before_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"
