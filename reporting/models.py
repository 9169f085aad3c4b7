"""The monthly fact table every dashboard, target and disclosure reads, and the period locks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Department


class MonthlyFigure(models.Model):
    """One indicator's value for one agency (or one of its departments) in one month.

    Rows with ``department=None`` are the agency totals; department rows are the breakdown.
    Written only by ``reporting.services.figures_refresh``.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.CASCADE, null=True, blank=True
    )
    indicator = models.CharField(_("indicator"), max_length=64)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("monthly figure")
        verbose_name_plural = _("monthly figures")
        ordering = ["agency", "indicator", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "indicator", "month"],
                condition=Q(department__isnull=True),
                name="monthlyfigure_one_total",
            ),
            models.UniqueConstraint(
                fields=["agency", "department", "indicator", "month"],
                condition=Q(department__isnull=False),
                name="monthlyfigure_one_per_department",
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="monthlyfigure_month_is_first_day"),
        ]
        indexes = [models.Index(fields=["indicator", "month"], name="monthlyfigure_ind_month")]

    def __str__(self) -> str:
        return f"{self.agency} {self.indicator} {self.month:%Y-%m}: {self.value}"


class PeriodLock(models.Model):
    """A month of an agency whose ledger rows are frozen (its quarter's disclosure is published)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE)
    month = models.DateField(_("month"))
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("locked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("period lock")
        verbose_name_plural = _("period locks")
        ordering = ["agency", "month"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="periodlock_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="periodlock_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%Y-%m}"


class TargetBasis(models.TextChoices):
    TOTAL = "total", _("Agency total")
    PER_CAPITA = "per_capita", _("Per capita")  # ÷ AgencyYear.headcount (用能人数) of each year


class Target(models.Model):
    """A reduction target (节约能源资源目标) of one registered indicator for one year.

    ``agency=None`` is the default for every agency; an agency's own target for the same
    indicator and year overrides it. A target is data on a registered indicator: a new ledger
    brings its indicator, a manager (or the demo) adds its target, no code changes.
    """

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="targets",
        help_text=_("Leave empty for the default target of every agency."),
    )
    indicator = models.CharField(_("indicator"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    baseline_year = models.PositiveSmallIntegerField(
        _("baseline year"), validators=[MinValueValidator(2000)], help_text=_("Usually 2019.")
    )
    reduction_percent = models.DecimalField(
        _("reduction (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("At least this much lower than the baseline year, e.g. 3.00."),
    )
    basis = models.CharField(
        _("basis"), max_length=16, choices=TargetBasis.choices, default=TargetBasis.TOTAL
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "indicator", "agency"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "indicator", "year"],
                condition=Q(agency__isnull=False),
                name="target_one_per_agency_indicator_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(agency__isnull=True),
                name="target_one_default_per_indicator_year",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__lt=models.F("year")), name="target_baseline_before_year"
            ),
            models.CheckConstraint(
                condition=Q(reduction_percent__gte=0) & Q(reduction_percent__lte=100),
                name="target_reduction_between_0_and_100",
            ),
        ]

    def __str__(self) -> str:
        who = self.agency.display_name if self.agency_id else _("all agencies")
        return f"{self.year} {self.indicator} −{self.reduction_percent}% ({who})"

    def clean(self) -> None:
        from .registry import get_indicator

        errors = {}
        try:
            get_indicator(self.indicator)
        except LookupError:
            errors["indicator"] = _("No indicator %(key)s is registered.") % {"key": self.indicator}
        if self.year and self.baseline_year and self.baseline_year >= self.year:
            errors["baseline_year"] = _("The baseline year must come before the target year.")
        if errors:
            raise ValidationError(errors)


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
    correction = models.TextField(
        _("correction (更正)"), blank=True, help_text=_("What this version corrects in the previous one.")
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
        from .periods import Quarter

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


# --- Dashboards -------------------------------------------------------------------------------


class ProgrammeGoal(models.Model):
    """A dated goal of the city's programme: the share of agencies meeting the requirements.

    The city plan: about 70 % of county-level-and-above agencies by the end of 2022 (力争70%左右),
    80 % by the end of 2025 (十四五 public-institution plan). Rows, not constants: an admin edits them.
    """

    scope_global = True  # the city's goal, no agency's row: written in the Django admin only

    year = models.PositiveSmallIntegerField(
        _("by the end of year"), unique=True, validators=[MinValueValidator(2000)]
    )
    share_percent = models.DecimalField(
        _("share of agencies (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The share of agencies that should meet the creation requirements, e.g. 70.00."),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("programme goal")
        verbose_name_plural = _("programme goals")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                name="programmegoal_share_between_0_and_100",
            ),
        ]

    def __str__(self) -> str:
        share = self.share_percent
        text = f"{share:.0f}" if share is not None and share == share.to_integral_value() else f"{share}"
        return _("%(share)s%% of agencies by the end of %(year)s") % {"share": text, "year": self.year}
