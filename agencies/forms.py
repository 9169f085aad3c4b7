"""Forms of the agency profile: yearly facts and departments."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .models import AgencyYear, Department
from .params import refuse_control_characters, refuse_dates_outside_calendar


class StyledFormMixin:
    """Gives every widget its Bootstrap class and marks invalid fields (shared by every app's forms).

    It must never validate in ``__init__``: forms narrow their choices to the request's scope
    after this ``__init__`` returns, and a form validated before that would accept another
    agency's ids (issue #10). Invalid fields are marked once validation has run.

    Every text field refuses control characters, every whole-number field a number a database
    integer cannot hold and every date field a date outside the portal's calendar (2000–2100),
    whatever the form (issue #10.6: they were stored, or answered 500).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(refuse_control_characters)
            elif isinstance(field, forms.IntegerField) and not isinstance(
                field, forms.DecimalField | forms.FloatField
            ):
                # what a PostgreSQL integer holds; beyond it the INSERT fails (a 500)
                field.validators += [MinValueValidator(-(2**31)), MaxValueValidator(2**31 - 1)]
            elif isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(refuse_dates_outside_calendar)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self._errors or ():
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


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
