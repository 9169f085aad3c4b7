"""The period picker of the dashboards and the electricity report: a year and an optional quarter."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin


class PeriodForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Period"),
        choices=[
            ("", _("Whole year")),
            ("1", _("Q1")),
            ("2", _("Q2")),
            ("3", _("Q3")),
            ("4", _("Q4")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def period(self) -> tuple[int | None, int | None]:
        """(year, quarter) when valid; (None, None) — the defaults — otherwise."""
        if not self.is_valid():
            return None, None
        return self.cleaned_data.get("year"), self.cleaned_data.get("quarter")


class ReportPeriodForm(PeriodForm):
    """The report covers one quarter alone, or the whole year."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quarter"].choices = [
            ("", _("Whole year")),
            ("1", _("Q1 (January to March)")),
            ("2", _("Q2 (April to June)")),
            ("3", _("Q3 (July to September)")),
            ("4", _("Q4 (October to December)")),
        ]
