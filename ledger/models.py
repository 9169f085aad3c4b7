"""The energy and water ledger: meters (计量器具台账), their readings (抄表) and utility bills."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Department

from .uploads import AttachmentField


class MeterKind(models.TextChoices):
    ELECTRICITY = "electricity", _("Electricity")
    WATER = "water", _("Water")
    GAS = "gas", _("Natural gas")
    HEAT = "heat", _("Heat")


UNITS = {
    MeterKind.ELECTRICITY: "kWh",
    MeterKind.WATER: "m³",
    MeterKind.GAS: "m³",
    MeterKind.HEAT: "GJ",
}


class ItemCategory(models.TextChoices):
    """分项计量: what a sub-meter measures."""

    LIGHTING_SOCKETS = "lighting_sockets", _("Lighting and sockets")
    AIR_CONDITIONING = "air_conditioning", _("Air conditioning")
    POWER = "power", _("Power")
    SPECIAL = "special", _("Special")
    DOMESTIC = "domestic", _("Domestic water")
    CANTEEN = "canteen", _("Canteen")
    GREENING = "greening", _("Greening")
    OTHER = "other", _("Other")


ITEMS_BY_KIND = {
    MeterKind.ELECTRICITY: (
        ItemCategory.LIGHTING_SOCKETS,
        ItemCategory.AIR_CONDITIONING,
        ItemCategory.POWER,
        ItemCategory.SPECIAL,
        ItemCategory.OTHER,
    ),
    MeterKind.WATER: (ItemCategory.DOMESTIC, ItemCategory.CANTEEN, ItemCategory.GREENING, ItemCategory.OTHER),
    MeterKind.GAS: (),
    MeterKind.HEAT: (),
}


class ReadingKind(models.TextChoices):
    ACTUAL = "actual", pgettext_lazy("reading", "Actual")  # 实抄, not 实际值
    ESTIMATED = "estimated", _("Estimated")


class ReadingEvent(models.TextChoices):
    NORMAL = "normal", _("Normal")
    ROLLOVER = "rollover", _("Rollover (dial passed zero)")
    REPLACEMENT_FINAL = "replacement_final", _("Replacement: old meter's final reading")
    REPLACEMENT_INITIAL = "replacement_initial", _("Replacement: new meter's first reading")


class ReadingSource(models.TextChoices):
    FORM = "form", _("Form")
    ROUND = "round", _("Monthly round")
    IMPORT = "import", _("Excel import")
    DEMO = "demo", _("Demo data")


class Meter(models.Model):
    """A meter (计量器具): a building, floor, zone or item meter of one agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="meters"
    )
    code = models.CharField(
        pgettext_lazy("meter", "code"),
        max_length=40,
        help_text=_("The meter's number, unique in the agency."),
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(pgettext_lazy("meter", "kind"), max_length=16, choices=MeterKind.choices)
    location = models.CharField(_("location / zone"), max_length=120, blank=True)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meters",
        help_text=_("The section whose clerk reads it and whose usage it measures; empty for agency-wide."),
    )
    item = models.CharField(
        _("item category"),
        max_length=24,
        choices=ItemCategory.choices,
        blank=True,
        help_text=_("分项: what a sub-meter measures (air conditioning, lighting and sockets, …)."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent meter"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("Sub-meters give the breakdown; only meters without a parent count toward the total."),
    )
    multiplier = models.DecimalField(
        _("multiplier"),
        max_digits=10,
        decimal_places=3,
        default=Decimal("1"),
        help_text=_("CT ratio (倍率): usage = reading difference × multiplier."),
    )
    share = models.DecimalField(
        _("share"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("1"),
        help_text=_("The agency's share of a shared building meter, e.g. 0.35 (0 < share ≤ 1)."),
    )
    dial_digits = models.PositiveSmallIntegerField(
        _("dial digits"),
        default=6,
        help_text=_("Whole-number digits on the dial; it rolls over after 10^digits."),
    )
    installed_on = models.DateField(_("installed on"), null=True, blank=True)
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        ordering = ["agency", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="meter_unique_code_in_agency"),
            models.CheckConstraint(condition=Q(multiplier__gt=0), name="meter_multiplier_positive"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="meter_share_in_0_1"),
            models.CheckConstraint(
                condition=Q(dial_digits__gte=1) & Q(dial_digits__lte=12), name="meter_dial_digits_1_12"
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True)
                | Q(installed_on__isnull=True)
                | Q(retired_on__gte=F("installed_on")),
                name="meter_retired_after_installed",
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="meter_not_its_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def unit(self) -> str:
        return UNITS[MeterKind(self.kind)]

    def clean(self) -> None:
        errors = {}
        if self.multiplier is not None and self.multiplier <= 0:
            errors["multiplier"] = _("The multiplier must be greater than 0.")
        if self.share is not None and not (0 < self.share <= 1):
            errors["share"] = _("The share must be greater than 0 and at most 1.")
        if self.dial_digits is not None and not (1 <= self.dial_digits <= 12):
            errors["dial_digits"] = _("A dial has 1 to 12 digits.")
        if self.item and self.kind and self.item not in ITEMS_BY_KIND[MeterKind(self.kind)]:
            errors["item"] = _("This item category does not apply to this kind of meter.")
        if self.parent_id:
            parent = self.parent
            if parent.agency_id != self.agency_id or parent.kind != self.kind:
                errors["parent"] = _("The parent meter must be of the same agency and kind.")
            elif self.pk and parent.pk == self.pk:
                errors["parent"] = _("A meter cannot be its own parent.")
            elif self.pk and self._is_above(parent):
                errors["parent"] = _("The chosen parent is one of this meter's own sub-meters.")
        if self.department_id and self.department.agency_id != self.agency_id:
            errors["department"] = _("The department must belong to the same agency.")
        if self.installed_on and self.retired_on and self.retired_on < self.installed_on:
            errors["retired_on"] = _("A meter cannot be retired before it was installed.")
        if errors:
            raise ValidationError(errors)

    def _is_above(self, meter: "Meter") -> bool:
        """Whether this meter is somewhere above ``meter`` (a loop of any length would follow);
        one query per level above ``meter``'s parent — chains are a few meters deep."""
        seen: set[int] = set()
        above = meter.parent if meter.parent_id else None
        while above is not None and above.pk not in seen:
            if above.pk == self.pk:
                return True
            seen.add(above.pk)
            above = above.parent if above.parent_id else None
        return False


def voucher_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"vouchers/{instance._meta.model_name}/{uuid.uuid4().hex}.{ext}"


class Reading(models.Model):
    """A cumulative meter reading on a date (抄表读数); usage is the difference to the previous one."""

    # No index of its own: the unique (meter, date, …) index below starts with the meter and
    # serves every lookup by meter; a second index only slowed every insert (an import's COPY).
    meter = models.ForeignKey(
        Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="readings", db_index=False
    )
    date = models.DateField(_("reading date"))
    value = models.DecimalField(_("reading"), max_digits=16, decimal_places=3)
    kind = models.CharField(
        _("actual or estimated"), max_length=12, choices=ReadingKind.choices, default="actual"
    )
    event = models.CharField(_("event"), max_length=24, choices=ReadingEvent.choices, default="normal")
    voucher = AttachmentField(_("voucher (photo or PDF)"), upload_to=voucher_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_abnormal = models.BooleanField(
        _("abnormal"),
        default=False,
        help_text=_("Usage far above the meter's recent months, confirmed by the clerk."),
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("abnormal usage confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    source = models.CharField(
        pgettext_lazy("reading", "source"), max_length=8, choices=ReadingSource.choices, default="form"
    )
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
        verbose_name = _("reading")
        verbose_name_plural = _("readings")
        ordering = ["meter", "-date"]
        constraints = [
            # One reading per meter and date; a replacement's new-meter reading is the one exception
            # (it shares the date of the old meter's final reading), and there is at most one of it.
            # One expression index holds both rules and serves every (meter, date) lookup.
            models.UniqueConstraint(
                F("meter"),
                F("date"),
                Case(When(event="replacement_initial", then=Value(1)), default=Value(0)),
                name="reading_one_per_meter_and_date",
                violation_error_message=_("There is already a reading of this meter on this date."),
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="reading_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.meter.code} {self.date:%Y-%m-%d}: {self.value}"


class Bill(models.Model):
    """A utility bill for a meter the utility reads (缴费单): quantity and amount over a period."""

    meter = models.ForeignKey(Meter, verbose_name=_("meter"), on_delete=models.PROTECT, related_name="bills")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    voucher = AttachmentField(_("voucher (photo or PDF)"), upload_to=voucher_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
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
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        ordering = ["meter", "-period_end"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="bill_end_after_start"
            ),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="bill_quantity_not_negative"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="bill_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.meter.code} {self.period_start:%Y-%m-%d}–{self.period_end:%Y-%m-%d}"


# Office consumables live in their own subpackage; importing them here registers the models.
from .consumables.models import Expense, Item, PaperUse, Purchase, Requisition  # noqa: E402, F401
