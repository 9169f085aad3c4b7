"""What the dashboards keep of their own: the programme's dated goals."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
    source = models.CharField(pgettext_lazy("factor", "source"), max_length=200, blank=True)

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
