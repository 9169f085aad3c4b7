"""Forms of the waste ledger. They narrow every choice to the request's scope; the rules are the
services' (a form fills the fields, ``services`` decides)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms.models import construct_instance
from django.utils.translation import gettext_lazy as _

from agencies.forms import StyledFormMixin
from ledger.uploads import upload_check

from .categories import WasteCategory
from .models import CollectionPoint, HazardousStorage, WasteCollection


def form_errors(form, error: ValidationError) -> None:
    """A service's ValidationError shown on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PhotoMixin:
    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if isinstance(photo, UploadedFile):
            upload_check(photo)
        return photo


def _departments(form, scope, *, required: bool) -> None:
    field = form.fields["department"]
    field.queryset = scope.departments()
    field.required = required
    if required and field.queryset.count() == 1:
        field.initial = field.queryset.first().pk


class CollectionForm(PhotoMixin, StyledFormMixin, forms.ModelForm):
    class Meta:
        model = WasteCollection
        fields = [
            "date",
            "category",
            "weight",
            "containers",
            "company",
            "point",
            "department",
            "licence_number",
            "manifest_number",
            "photo",
            "note",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = scope.filter(CollectionPoint.objects).filter(is_active=True)
        _departments(self, scope, required=scope.department_ids is not None)
        self.fields["weight"].widget.attrs.update(min="0.01", step="0.01")
        self.fields["photo"].widget.attrs["accept"] = "image/*,application/pdf"
        self.fields["licence_number"].widget.attrs["data-hazardous-only"] = "1"
        self.fields["manifest_number"].widget.attrs["data-hazardous-only"] = "1"

    def _post_clean(self):
        pass


class PointForm(StyledFormMixin, forms.ModelForm):
    categories = forms.MultipleChoiceField(
        label=_("categories"),
        choices=WasteCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The categories this point has containers for."),
    )

    class Meta:
        model = CollectionPoint
        fields = ["name", "location", "categories", "is_active", "note"]

    def _post_clean(self):
        # Fill the instance but leave the rules (and the name's uniqueness) to services.point_save.
        self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class StorageForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = HazardousStorage
        fields = ["stored_on", "kind", "weight", "pieces", "place", "department", "note"]
        widgets = {"stored_on": DateInput()}

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        _departments(self, scope, required=scope.department_ids is not None)

    def _post_clean(self):
        pass


class HandoverForm(PhotoMixin, StyledFormMixin, forms.Form):
    """A hand-over of stored lots to a licensed disposer (危险废物转移)."""

    date = forms.DateField(label=_("hand-over date"), widget=DateInput())
    lots = forms.ModelMultipleChoiceField(
        label=_("lots handed over"),
        queryset=HazardousStorage.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    weight = forms.DecimalField(
        label=_("weight (kg)"),
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text=_("Leave empty to use the total of the lots; give the disposer's figure if it differs."),
    )
    containers = forms.IntegerField(label=_("containers"), min_value=0, max_value=100000, required=False)
    company = forms.CharField(label=_("licensed disposer"), max_length=120)
    licence_number = forms.CharField(label=_("disposer's licence number"), max_length=60)
    manifest_number = forms.CharField(label=_("transfer-manifest number"), max_length=60)
    department = forms.ModelChoiceField(label=_("department"), queryset=None, required=False)
    photo = forms.FileField(label=_("photo or manifest scan"), required=False)
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        lots = scope.filter(HazardousStorage.objects, department_field="department")
        self.fields["lots"].queryset = lots.filter(handover__isnull=True).order_by("stored_on", "pk")
        _departments(self, scope, required=scope.department_ids is not None)
        self.fields["photo"].widget.attrs["accept"] = "image/*,application/pdf"


class MonthForm(forms.Form):
    """?month=2024-05 on the display page and the bulletin."""

    month = forms.CharField(required=False)

    def month_or(self, default: date) -> date:
        if not self.is_valid():
            return default
        text = (self.cleaned_data.get("month") or "").strip()
        try:
            year, month = (int(part) for part in text.split("-")[:2])
            return date(year, month, 1) if 2000 <= year <= 2100 else default
        except (ValueError, TypeError):
            return default
