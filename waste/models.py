"""Waste sorting (垃圾分类): collection points, the collection ledger (垃圾分类清运台账) and the
hazardous-waste storage log (有害垃圾暂存登记).

A collection of hazardous waste *is* the hand-over to a licensed disposer: the database refuses
such a row without the disposer's licence number and the transfer-manifest number.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Department
from ledger.uploads import AttachmentField

from .categories import WasteCategory

__all__ = [
    "CollectionPoint",
    "HazardousKind",
    "HazardousStorage",
    "WasteCategory",
    "WasteCollection",
    "WasteSource",
]


def upload_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"waste/{instance._meta.model_name}/{uuid.uuid4().hex}.{ext[:8]}"


class HazardousKind(models.TextChoices):
    """What 附件3 lists as 有害垃圾."""

    BATTERIES = "batteries", _("Waste batteries")  # 废电池
    LAMPS = "lamps", _("Fluorescent tubes and energy-saving lamps")  # 废荧光灯管
    MERCURY = "mercury", _("Thermometers and blood-pressure meters")  # 废温度计、废血压计
    MEDICINES = "medicines", _("Expired medicines and their packaging")  # 废药品及其包装物
    PAINTS = "paints", _("Paints, solvents and their packaging")  # 废油漆、溶剂及其包装物
    PESTICIDES = "pesticides", _("Pesticides, disinfectants and their packaging")  # 废杀虫剂、消毒剂
    FILM = "film", _("Film and photographic paper")  # 废胶片及废相纸
    OTHER = "other", _("Other hazardous waste")


class WasteSource(models.TextChoices):
    FORM = "form", _("Form")
    IMPORT = "import", _("Excel import")
    DEMO = "demo", _("Demo data")


class CollectionPoint(models.Model):
    """A place with sorted containers (收集容器设置点): which categories it takes."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="waste_points"
    )
    name = models.CharField(_("name"), max_length=80, help_text=_("e.g. 7th-floor tea room."))
    location = models.CharField(_("location"), max_length=200, blank=True)
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("The categories this point has containers for."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection point")
        verbose_name_plural = _("collection points")
        ordering = ["agency", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="collectionpoint_unique_name_in_agency")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def category_labels(self) -> list[str]:
        return [str(WasteCategory(c).label) for c in WasteCategory.values if c in (self.categories or [])]


class WasteCollection(models.Model):
    """One collection (清运) of one category: what the collecting company took away, in kg.

    For hazardous waste this is the hand-over (移交) to a licensed disposer, with its licence
    number (危险废物经营许可证编号) and transfer-manifest number (转移联单编号).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="waste_collections"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waste_collections",
        help_text=_("The section that keeps this record; empty for the agency as a whole."),
    )
    date = models.DateField(_("collection date"))
    category = models.CharField(_("category"), max_length=12, choices=WasteCategory.choices)
    weight = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=2)
    containers = models.PositiveIntegerField(
        _("containers"), null=True, blank=True, help_text=_("Bins or bags collected.")
    )
    company = models.CharField(
        _("collecting company"),
        max_length=120,
        help_text=_("The company that took the waste away; for hazardous waste, the licensed disposer."),
    )
    point = models.ForeignKey(
        CollectionPoint,
        verbose_name=_("collection point"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="collections",
    )
    licence_number = models.CharField(
        _("disposer's licence number"),
        max_length=60,
        blank=True,
        help_text=_("Required for hazardous waste."),
    )
    manifest_number = models.CharField(
        _("transfer-manifest number"),
        max_length=60,
        blank=True,
        help_text=_("Required for hazardous waste."),
    )
    photo = AttachmentField(_("photo or weighing slip"), upload_to=upload_path, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=WasteSource.choices, default="form")
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
        verbose_name = _("waste collection")
        verbose_name_plural = _("waste collections")
        ordering = ["agency", "-date", "category"]
        indexes = [models.Index(fields=["agency", "date"], name="wastecollection_agency_date")]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="wastecollection_weight_positive"),
            models.CheckConstraint(
                condition=~Q(category="hazardous") | (~Q(licence_number="") & ~Q(manifest_number="")),
                name="wastecollection_hazardous_needs_licence_and_manifest",
                violation_error_message=_(
                    "Hazardous waste may be handed only to a licensed disposer: give the licence "
                    "number and the transfer-manifest number."
                ),
            ),
            models.UniqueConstraint(
                fields=["agency", "manifest_number"],
                condition=~Q(manifest_number=""),
                name="wastecollection_manifest_once",
                violation_error_message=_("This transfer-manifest number is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_category_display()} {self.weight} kg"

    @property
    def is_hazardous(self) -> bool:
        return self.category == WasteCategory.HAZARDOUS


class HazardousStorage(models.Model):
    """A lot of hazardous waste put in the separate store (单独存放) until its hand-over."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="hazardous_storage"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hazardous_storage",
        help_text=_("The section that handed it in; empty for the agency as a whole."),
    )
    stored_on = models.DateField(_("stored on"))
    kind = models.CharField(_("kind of hazardous waste"), max_length=12, choices=HazardousKind.choices)
    weight = models.DecimalField(_("weight (kg)"), max_digits=10, decimal_places=2)
    pieces = models.PositiveIntegerField(
        _("number of pieces"), null=True, blank=True, help_text=_("Tubes, batteries, bottles… if counted.")
    )
    place = models.CharField(_("storage place"), max_length=120, blank=True)
    handover = models.ForeignKey(
        WasteCollection,
        verbose_name=_("handed over with"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stored_lots",
    )
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
        verbose_name = _("hazardous waste in storage")
        verbose_name_plural = _("hazardous waste storage log")
        ordering = ["agency", "-stored_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="hazardousstorage_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.stored_on:%Y-%m-%d} {self.get_kind_display()} {self.weight} kg"

    @property
    def in_store(self) -> bool:
        return self.handover_id is None
