"""The monthly fact table every dashboard, target and disclosure reads, and the locks."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Department


class MonthlyFigure(models.Model):
    """One indicator's value for one agency (or one of its departments) in one month.

    Rows with ``department=None`` are the agency totals; department rows are the breakdown.
    Written only by ``reporting.figures.refresh.figures_refresh``.
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


MONTH_FIELDS = tuple(f"m{m:02d}" for m in range(1, 13))  # YearlyFigure's month columns, January first


class YearlyFigure(models.Model):
    """The yearly rollup of the agency totals: one row per agency, indicator and year holding that
    year's twelve monthly values (NULL: no figure for the month), so a year's sums, a year to
    date, a quarter and the months covered are read from one row instead of twelve.

    Only summed indicators have rows (a ratio is read as its two parts, as from MonthlyFigure).
    Written only by ``reporting.figures.refresh`` (``figures_refresh``, in the transaction that
    writes the monthly rows, and ``rollup_rebuild``) from the MonthlyFigure rows of the agency
    totals: it is always what those rows add up to (docs/architecture.md, "The yearly rollup").
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE)
    indicator = models.CharField(_("indicator"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    m01 = models.DecimalField(_("month 1"), max_digits=18, decimal_places=4, null=True, blank=True)
    m02 = models.DecimalField(_("month 2"), max_digits=18, decimal_places=4, null=True, blank=True)
    m03 = models.DecimalField(_("month 3"), max_digits=18, decimal_places=4, null=True, blank=True)
    m04 = models.DecimalField(_("month 4"), max_digits=18, decimal_places=4, null=True, blank=True)
    m05 = models.DecimalField(_("month 5"), max_digits=18, decimal_places=4, null=True, blank=True)
    m06 = models.DecimalField(_("month 6"), max_digits=18, decimal_places=4, null=True, blank=True)
    m07 = models.DecimalField(_("month 7"), max_digits=18, decimal_places=4, null=True, blank=True)
    m08 = models.DecimalField(_("month 8"), max_digits=18, decimal_places=4, null=True, blank=True)
    m09 = models.DecimalField(_("month 9"), max_digits=18, decimal_places=4, null=True, blank=True)
    m10 = models.DecimalField(_("month 10"), max_digits=18, decimal_places=4, null=True, blank=True)
    m11 = models.DecimalField(_("month 11"), max_digits=18, decimal_places=4, null=True, blank=True)
    m12 = models.DecimalField(_("month 12"), max_digits=18, decimal_places=4, null=True, blank=True)

    class Meta:
        verbose_name = _("yearly figure")
        verbose_name_plural = _("yearly figures")
        ordering = ["agency", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "indicator", "year"], name="yearlyfigure_one_per_year"),
        ]
        # The city overview reads two years of a few indicators for every agency: 24,000 of a
        # province's 600,000 rows, found here instead of by scanning the table (docs/dashboards.md).
        indexes = [models.Index(fields=["year", "indicator"], name="yearlyfigure_year_indicator")]

    def __str__(self) -> str:
        return f"{self.agency} {self.indicator} {self.year}"

    def month_values(self) -> list:
        """The twelve monthly values, January first (None: no figure)."""
        return [getattr(self, name) for name in MONTH_FIELDS]


class RollupVersion(models.Model):
    """The version of an agency's yearly rollup: a new token each time ``rollup_rebuild`` replaces
    any of its rows, written in the same transaction. The city overview keeps each agency's
    target evaluation between requests under this token (``reporting.targets.cache``): a token
    it has not seen means the agency's figures changed. One row per agency — a refresh of one
    agency (which holds that agency's row lock already) never waits for another's."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("agency"), on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    token = models.UUIDField(_("token"))

    scope_path = ("agency", None)  # the agency's own row

    class Meta:
        verbose_name = _("rollup version")
        verbose_name_plural = _("rollup versions")

    def __str__(self) -> str:
        return f"{self.agency_id} {self.token}"


class PeriodLock(models.Model):
    """One indicator of an agency frozen for one month: its quarter's disclosure published it.

    The lock unit is (agency, month, indicator): publishing locks the summed indicators the
    snapshot gave a figure for in the quarter, not every ledger the agency keeps; a write is
    refused when one of the indicators its rows feed is locked in a month it touches.
    """

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE)
    month = models.DateField(_("month"))
    indicator = models.CharField(_("indicator"), max_length=64)
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
        ordering = ["agency", "month", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "month", "indicator"], name="periodlock_one_per_month_indicator"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="periodlock_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%Y-%m} {self.indicator}"


class StaleFigure(models.Model):
    """A write made this (agency, month, indicator) stale: recorded in the write's own transaction,
    deleted by the refresh that recomputed it after reading it. Insert-only (no unique key), so a
    write during a refresh keeps its own row and is refreshed again."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.CASCADE)
    month = models.DateField(_("month"))
    indicator = models.CharField(_("indicator"), max_length=64)
    marked_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stale figure")
        verbose_name_plural = _("stale figures")
        ordering = ["agency", "month", "indicator"]
        indexes = [models.Index(fields=["agency", "month"], name="stalefigure_agency_month")]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="stalefigure_month_is_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.month:%Y-%m} {self.indicator}"
