"""Reduction targets (节约能源资源目标): data on a registered indicator."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency


class Target(models.Model):
    """A reduction target (节约能源资源目标) of one registered indicator for one year.

    ``basis`` names a registered target base (``reporting.registry.TargetBase``).
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
        _("basis"),
        max_length=32,
        default="total",
        help_text=_(
            "A registered target base: the agency total, per capita (用能人数), per m², or one an app adds."
        ),
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
        return f"{self.year} {self.indicator_name} −{self.reduction_percent}% ({who})"

    @property
    def indicator_name(self) -> str:
        from ..registry import indicator_name

        return indicator_name(self.indicator)

    @property
    def basis_name(self) -> str:
        from ..registry import target_base_name

        return target_base_name(self.basis)

    def clean(self) -> None:
        from ..registry import TOTAL, get_indicator, get_target_base

        errors = {}
        try:
            indicator = get_indicator(self.indicator)
        except LookupError:
            errors["indicator"] = _("No indicator %(key)s is registered.") % {"key": self.indicator}
        else:
            try:
                base = get_target_base(self.basis)
            except LookupError:
                errors["basis"] = _("No target base %(key)s is registered.") % {"key": self.basis}
            else:
                if base.key != TOTAL and base.key not in indicator.bases:
                    errors["basis"] = _("%(indicator)s is not measured %(base)s.") % {
                        "indicator": indicator.name,
                        "base": base.name,
                    }
        if self.year and self.baseline_year and self.baseline_year >= self.year:
            errors["baseline_year"] = _("The baseline year must come before the target year.")
        if errors:
            raise ValidationError(errors)
