"""Forms of the vehicles ledger. They narrow every choice to the request's scope; the rules are the
services' (a form fills the fields, ``services`` decides)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.conventions import months_label, quarter_label
from agencies.forms import StyledFormMixin
from ledger.forms import DateInput
from waste.forms import form_errors

from .models import DispatchOrder, FuelLog, SealPeriod, Station, Vehicle
from .services import VEHICLE_FIELDS, department_vehicles, requestable_vehicles

__all__ = [
    "CompleteForm",
    "DateInput",
    "DispatchForm",
    "FuelLogForm",
    "PeriodForm",
    "SealPeriodForm",
    "StationForm",
    "VehicleForm",
    "form_errors",
]


class VehicleForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = list(VEHICLE_FIELDS)
        widgets = {"in_use_from": DateInput(), "sealed_from": DateInput(), "retired_on": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = scope.departments()
        self.fields["plate"].widget.attrs.update(autocapitalize="characters", placeholder="鲁Q12345")
        self.fields["standard"].widget.attrs.update(min="0.01", step="0.01")

    def _post_clean(self):
        # The model's own validation (constraints, uniqueness) is the service's, with its messages.
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class StationForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Station
        fields = ["name", "address", "is_active"]

    def _post_clean(self):
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class FuelLogForm(StyledFormMixin, forms.ModelForm):
    amount = forms.DecimalField(
        label=_("amount (yuan)"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_(
            "As on the receipt; leave empty for quantity × unit price. It must match within 0.5 yuan."
        ),
    )

    class Meta:
        model = FuelLog
        fields = [
            "vehicle",
            "date",
            "grade",
            "quantity",
            "unit_price",
            "amount",
            "odometer",
            "full",
            "station",
            "fuel_card",
            "receipt",
            "note",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = department_vehicles(scope).order_by("plate")
        self.fields["receipt"].widget.attrs["accept"] = "image/*,application/pdf"
        for name in ("quantity", "unit_price", "odometer"):
            self.fields[name].widget.attrs.update(min="0", step="0.01")
        names = list(scope.filter(Station.objects).filter(is_active=True).values_list("name", flat=True))
        self.fields["station"].widget.attrs["list"] = "designated-stations"
        self.stations = names

    def _post_clean(self):
        pass


class PeriodForm(forms.Form):
    """?year=2020&quarter=3 (or &month=7) on the accounting pages."""

    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    quarter = forms.IntegerField(required=False, min_value=1, max_value=4)
    month = forms.IntegerField(required=False, min_value=1, max_value=12)

    def months(self, today: date) -> tuple[list[date], str, dict]:
        """The months asked (default: the last complete quarter), a label, and the values used."""
        data = self.cleaned_data if self.is_valid() else {}
        year, quarter, month = data.get("year"), data.get("quarter"), data.get("month")
        if not year:
            last = date(today.year, today.month, 1)
            first_of_quarter = (last.month - 1) // 3 * 3 + 1
            year, quarter = last.year, (first_of_quarter - 1) // 3  # the quarter before this one
            if quarter == 0:
                year, quarter = year - 1, 4
            month = None
        if month:
            return [date(year, month, 1)], months_label(month, month, year), {"year": year, "month": month}
        if quarter:
            first = (quarter - 1) * 3 + 1
            months = [date(year, m, 1) for m in range(first, first + 3)]
            return months, quarter_label(year, quarter), {"year": year, "quarter": quarter}
        return [date(year, m, 1) for m in range(1, 13)], months_label(1, 12, year), {"year": year}


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DispatchForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DispatchOrder
        fields = [
            "department",
            "applicant",
            "purpose",
            "destination",
            "passengers",
            "planned_start",
            "planned_end",
            "vehicle",
            "driver",
            "note",
        ]
        widgets = {"planned_start": DateTimeInput(), "planned_end": DateTimeInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        departments = scope.departments()
        self.fields["department"].queryset = departments
        if departments.count() == 1:
            self.fields["department"].initial = departments.first().pk
        # A clerk asks for a vehicle of their sections or of the agency's pool; the manager, any.
        self.fields["vehicle"].queryset = requestable_vehicles(scope).order_by("plate")
        for name in ("planned_start", "planned_end"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]

    def _post_clean(self):
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class CompleteForm(StyledFormMixin, forms.Form):
    odometer_out = forms.DecimalField(
        label=_("odometer out (km)"), max_digits=9, decimal_places=1, min_value=0
    )
    odometer_in = forms.DecimalField(label=_("odometer in (km)"), max_digits=9, decimal_places=1, min_value=0)


class SealPeriodForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = SealPeriod
        fields = ["name", "start", "end", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}

    def _post_clean(self):
        from django.forms.models import construct_instance

        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
