"""Inspections under the seed's 节约制度 (附件2): spot checks of the sections (抽查) with their
findings and rectification, and repair requests for water and power going to waste (跑冒滴漏)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Department
from ledger.uploads import AttachmentField


class CheckItem(models.TextChoices):
    """The checklist of 附件2 一、2–4 (空调、照明、办公设备)."""

    AC_TEMPERATURE = "ac_temperature", _("Air conditioning below 26 °C in summer or above 18 °C in winter")
    AC_WINDOWS_OPEN = "ac_windows_open", _("Air conditioning on with doors or windows open")
    AC_NOBODY = "ac_nobody", _("Air conditioning on with nobody in the room")
    AC_OFF_HOURS = "ac_off_hours", _("Air conditioning on before 9:00 or in the last half hour of the day")
    LIGHTS_DAYLIGHT = "lights_daylight", _("Lights on in good daylight")
    LIGHTS_EMPTY = "lights_empty", _("Lights on in an empty room")
    DEVICES_STANDBY = "devices_standby", _("Office equipment left on standby after hours")
    PRIVATE_APPLIANCE = "private_appliance", _("Private high-power appliance in use")


class AcMode(models.TextChoices):
    OFF = "off", _("Off")
    COOLING = "cooling", _("Cooling")
    HEATING = "heating", _("Heating")


def _upload_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"campaigns/{instance._meta.model_name}/{uuid.uuid4().hex}.{ext[:8]}"


class SpotCheck(models.Model):
    """A spot check of one section by the energy-management post (能源资源管理岗不定期抽查)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="spot_checks"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("section checked"), on_delete=models.PROTECT, related_name="spot_checks"
    )
    date = models.DateField(_("date"))
    time = models.TimeField(_("time"), help_text=_("When the check was made, e.g. 17:10."))
    inspector = models.CharField(_("inspector"), max_length=60)
    rooms = models.CharField(
        _("rooms"), max_length=120, blank=True, help_text=_("e.g. 701, 703, meeting room.")
    )
    ac_mode = models.CharField(_("air conditioning"), max_length=8, choices=AcMode.choices, default="off")
    ac_setpoint = models.DecimalField(
        _("set temperature (°C)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    notes = models.TextField(_("what was found"), max_length=2000, blank=True)
    rectify_by = models.DateField(
        _("rectify by"), null=True, blank=True, help_text=_("Required when something was found.")
    )
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification = models.CharField(_("how it was rectified"), max_length=300, blank=True)
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
        verbose_name = _("spot check")
        verbose_name_plural = _("spot checks")
        ordering = ["agency", "-date", "-time", "pk"]
        indexes = [models.Index(fields=["agency", "date"], name="spotcheck_agency_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rectify_by__isnull=True) | Q(rectify_by__gte=F("date")),
                name="spotcheck_deadline_after_check",
            ),
            models.CheckConstraint(
                condition=Q(rectified_on__isnull=True) | Q(rectified_on__gte=F("date")),
                name="spotcheck_rectified_after_check",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.department}"


class SpotCheckFinding(models.Model):
    """One item of the checklist found at a spot check."""

    spot_check = models.ForeignKey(
        SpotCheck, verbose_name=_("spot check"), on_delete=models.CASCADE, related_name="findings"
    )
    item = models.CharField(_("finding"), max_length=20, choices=CheckItem.choices)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["spot_check", "item"]
        constraints = [
            models.UniqueConstraint(fields=["spot_check", "item"], name="spotcheckfinding_once_per_check")
        ]

    def __str__(self) -> str:
        return self.get_item_display()


class SpotCheckPhoto(models.Model):
    spot_check = models.ForeignKey(
        SpotCheck, verbose_name=_("spot check"), on_delete=models.CASCADE, related_name="photos"
    )
    file = AttachmentField(_("photo"), upload_to=_upload_path)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("spot-check photo")
        verbose_name_plural = _("spot-check photos")
        ordering = ["spot_check", "pk"]

    def __str__(self) -> str:
        return self.file.name


class RepairKind(models.TextChoices):
    """附件2 二、2: 跑、冒、滴、漏 and lights that cannot be switched off."""

    DRIPPING_TAP = "dripping_tap", _("Dripping or broken tap")  # 水龙头滴漏
    LEAK = "leak", _("Leaking pipe or valve")  # 跑冒、管道阀门渗漏
    RUNNING_TOILET = "running_toilet", _("Toilet or urinal running")  # 长流水
    LIGHT_STUCK_ON = "light_stuck_on", _("Light that cannot be switched off")  # 长明灯
    OTHER = "other", _("Other")


class RepairRequest(models.Model):
    """A repair reported to the property manager (及时与物业联系), open until it is fixed."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="repair_requests"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="repair_requests",
        help_text=_("The section where it is; empty for shared areas."),
    )
    kind = models.CharField(_("kind of problem"), max_length=16, choices=RepairKind.choices)
    location = models.CharField(_("location"), max_length=120, help_text=_("e.g. 7th-floor east washroom."))
    problem = models.CharField(_("problem"), max_length=300)
    reported_on = models.DateField(_("reported to the property manager on"))
    reported_to = models.CharField(_("reported to"), max_length=60, blank=True)
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    fix_note = models.CharField(_("how it was fixed"), max_length=200, blank=True)
    photo = AttachmentField(_("photo"), upload_to=_upload_path, blank=True)
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
        verbose_name = _("repair request")
        verbose_name_plural = _("repair requests")
        ordering = ["agency", "fixed_on", "-reported_on", "pk"]
        indexes = [models.Index(fields=["agency", "fixed_on"], name="repair_agency_fixed")]
        constraints = [
            models.CheckConstraint(
                condition=Q(fixed_on__isnull=True) | Q(fixed_on__gte=F("reported_on")),
                name="repair_fixed_after_reported",
            )
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.problem}"
