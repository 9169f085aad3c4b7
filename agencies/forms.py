"""Forms of the agency profile: yearly facts and departments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgencyYear, Department


class StyledFormMixin:
    """Gives every widget its Bootstrap class and marks invalid fields (shared by every app's forms)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class AgencyYearForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = AgencyYear
        fields = ["year", "headcount", "building_area", "office_area"]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency


class DepartmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name", "parent"]

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.agency = agency
        self.fields["parent"].queryset = Department.objects.filter(agency=agency, parent=None)
        self.fields["parent"].empty_label = _("(none — a section of the agency itself)")
