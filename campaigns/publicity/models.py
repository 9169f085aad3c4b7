"""Publicity and training (节能宣传, 四、(四)): events on the national days, lectures, trainings, the
Clean Plate campaign (光盘行动), with their channels, participants, summary, photos and files."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from agencies.models import Agency, Department
from ledger.uploads import AttachmentField


class EventKind(models.TextChoices):
    ENERGY_WEEK = "energy_week", _("National Energy Conservation Week")  # 全国节能宣传周
    LOW_CARBON_DAY = "low_carbon_day", _("National Low-Carbon Day")  # 全国低碳日
    WORLD_WATER_DAY = "world_water_day", _("World Water Day")  # 世界水日
    CHINA_WATER_WEEK = "china_water_week", _("China Water Week")  # 中国水周
    LECTURE = "lecture", _("Lecture")  # 知识讲座
    TRAINING = "training", _("Training")  # 岗位培训
    CLEAN_PLATE = "clean_plate", _("Clean Plate campaign")  # 光盘行动
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    """四、(四): 利用网站、公众号 … 公示栏宣传栏 …"""

    WEBSITE = "website", _("Website")
    WECHAT = "wechat", _("WeChat official account")
    NOTICE_BOARD = "notice_board", _("Notice board")
    MEETING = "meeting", pgettext_lazy("publicity channel", "Meeting")


def _upload_path(instance, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"campaigns/{instance._meta.model_name}/{uuid.uuid4().hex}.{ext[:8]}"


class Event(models.Model):
    """One publicity or training event (宣传、培训活动) of an agency."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="events"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("organised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("The section that organised it; empty for the agency as a whole."),
    )
    kind = models.CharField(_("kind of event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    end_date = models.DateField(_("until"), null=True, blank=True, help_text=_("For events of several days."))
    title = models.CharField(_("title"), max_length=120)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
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
    import_job_id = models.BigIntegerField(_("import job"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publicity or training event")
        verbose_name_plural = _("publicity and training events")
        ordering = ["agency", "-date", "pk"]
        indexes = [models.Index(fields=["agency", "date"], name="event_agency_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in Channel.values if c in (self.channels or [])]


class EventFile(models.Model):
    """A photo or a file (PDF) of an event, checked like a voucher."""

    event = models.ForeignKey(
        Event, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="files"
    )
    file = AttachmentField(_("file"), upload_to=_upload_path)
    name = models.CharField(_("file name"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event file")
        verbose_name_plural = _("event files")
        ordering = ["event", "pk"]

    def __str__(self) -> str:
        return self.name or self.file.name

    @property
    def is_image(self) -> bool:
        return not self.file.name.endswith(".pdf")
