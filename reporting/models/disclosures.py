"""Quarterly disclosures (季度能源资源消耗公示): frozen, versioned snapshots and their history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class DisclosureStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")  # reopened for a correction


class PublishedDisclosureError(ValidationError):
    """A published disclosure never changes: reopen the quarter and publish a new version."""


class Disclosure(models.Model):
    """One agency's quarterly disclosure (季度能源资源消耗公示): a frozen JSON snapshot, versioned.

    A quarter has at most one draft and at most one published version; reopening supersedes the
    published one and the next publication is version n+1, stating what it corrects (更正).
    """

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="disclosures"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=DisclosureStatus.choices, default=DisclosureStatus.DRAFT
    )
    data = models.JSONField(
        _("snapshot"), default=dict, help_text=_("The figures as computed, frozen on publishing.")
    )
    computed_at = models.DateTimeField(_("computed at"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    notice_pdf = models.BinaryField(
        _("notice PDF"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The public notice as rendered once at publication; anonymous readers get this file."),
    )
    correction = models.TextField(
        _("correction (更正)"), blank=True, help_text=_("What this version corrects in the previous one.")
    )
    document_number = models.CharField(
        _("document number (发文字号)"),
        max_length=60,
        blank=True,
        help_text=_("Optional, printed under the notice's title, e.g. 临医保字〔2021〕2号."),
    )

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-year", "-quarter", "agency", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter", "version"], name="disclosure_unique_version"
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "quarter"],
                condition=Q(status="draft"),
                name="disclosure_one_draft_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "quarter"],
                condition=Q(status="published"),
                name="disclosure_one_published_per_quarter",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="disclosure_quarter_1_to_4"
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="disclosure_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}Q{self.quarter} v{self.version} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # The database row decides: a row stored as published is never written again.
        if self.pk and Disclosure.objects.filter(pk=self.pk, status=DisclosureStatus.PUBLISHED).exists():
            raise PublishedDisclosureError(
                _("A published disclosure cannot be changed; reopen the quarter to correct it."),
                code="published",
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != DisclosureStatus.DRAFT:
            raise PublishedDisclosureError(_("Only a draft disclosure can be deleted."), code="published")
        return super().delete(*args, **kwargs)

    @property
    def period(self):
        from ..periods import Quarter

        return Quarter(self.year, self.quarter)

    @property
    def is_published(self) -> bool:
        return self.status == DisclosureStatus.PUBLISHED


class DisclosureEventKind(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    RECOMPUTED = "recomputed", _("Recomputed")
    PUBLISHED = "published", _("Published")
    REOPENED = "reopened", _("Reopened")


class DisclosureEvent(models.Model):
    """The history of a quarter's disclosure: every computation, publication and reopening."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    disclosure = models.ForeignKey(
        Disclosure,
        verbose_name=_("disclosure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    version = models.PositiveSmallIntegerField(_("version"))
    kind = models.CharField(_("what happened"), max_length=16, choices=DisclosureEventKind.choices)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when a scheduled task did it."),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("disclosure event")
        verbose_name_plural = _("disclosure events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}Q{self.quarter} v{self.version} {self.get_kind_display()}"
