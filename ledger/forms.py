"""Forms of the ledger: meters, single readings and bills. The monthly round is parsed in views."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin

from .models import Bill, Meter, Reading, ReadingEvent
from .uploads import upload_check


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VoucherMixin:
    def clean_voucher(self):
        voucher = self.cleaned_data.get("voucher")
        if isinstance(voucher, UploadedFile):
            upload_check(voucher)
        return voucher


class MeterForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Meter
        fields = [
            "code",
            "name",
            "kind",
            "location",
            "department",
            "item",
            "parent",
            "multiplier",
            "share",
            "dial_digits",
            "installed_on",
            "retired_on",
            "note",
        ]
        widgets = {"installed_on": DateInput(), "retired_on": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = scope.agency
        self.fields["department"].queryset = scope.departments()
        parents = scope.filter(Meter.objects)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents

    def _post_clean(self):
        # Fill the instance but leave the rules (and the code's uniqueness) to services.meter_save.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class ReadingForm(VoucherMixin, StyledFormMixin, forms.ModelForm):
    estimated = forms.BooleanField(label=_("Estimated"), required=False)
    confirm_abnormal = forms.BooleanField(
        label=_("Confirm unusual usage"),
        required=False,
        help_text=_("Tick only if you checked that a usage far above the usual is right."),
    )

    class Meta:
        model = Reading
        fields = ["date", "value", "event", "estimated", "confirm_abnormal", "voucher", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["estimated"].initial = self.instance.kind == "estimated"
        self.fields["event"].initial = ReadingEvent.NORMAL
        self.fields["voucher"].widget.attrs["accept"] = "image/*"

    def _post_clean(self):
        pass


class BillForm(VoucherMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Bill
        fields = [
            "meter",
            "period_start",
            "period_end",
            "quantity",
            "amount",
            "invoice_number",
            "voucher",
            "note",
        ]
        widgets = {"period_start": DateInput(), "period_end": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meter"].queryset = scope.filter(Meter.objects, department_field="department")
        self.fields["voucher"].widget.attrs["accept"] = "image/*,application/pdf"

    def _post_clean(self):
        pass
