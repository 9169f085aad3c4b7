"""Forms of reporting: targets, the quarter to compute, the reason to reopen, the period pickers."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin

from .periods import Quarter
from .registry import indicators, target_bases


def _indicator_choices():
    return [(i.key, f"{i.name} ({i.unit})") for i in indicators()]


def _basis_choices():
    return [(b.key, b.name) for b in target_bases()]


class TargetForm(StyledFormMixin, forms.Form):
    """The agency's own target; saving replaces its target of the same indicator and year."""

    indicator = forms.ChoiceField(
        label=_("indicator"), choices=_indicator_choices
    )  # callable: the registry now
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    baseline_year = forms.IntegerField(label=_("baseline year"), min_value=2000, max_value=2100)
    reduction_percent = forms.DecimalField(
        label=_("reduction (%)"), min_value=0, max_value=100, max_digits=5, decimal_places=2
    )
    basis = forms.ChoiceField(label=_("basis"), choices=_basis_choices)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("year") and data.get("baseline_year") and data["baseline_year"] >= data["year"]:
            self.add_error("baseline_year", _("The baseline year must come before the target year."))
        return data


class QuarterForm(StyledFormMixin, forms.Form):
    quarter = forms.CharField(label=_("Quarter"), max_length=8, help_text=_("For example 2020Q4."))

    def clean_quarter(self):
        try:
            quarter = Quarter.parse(self.cleaned_data["quarter"])
            quarter.check_ended()
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        return quarter


class PublishForm(StyledFormMixin, forms.Form):
    correction = forms.CharField(
        label=_("What this version corrects"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for a corrected version; the reason given when reopening is used if left empty."),
    )


class ReopenForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


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
