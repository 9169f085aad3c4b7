"""django-filter filters of the waste lists."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .categories import WasteCategory
from .models import WasteCollection


class CollectionFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label=_("category"), choices=WasteCategory.choices)
    date_from = django_filters.DateFilter(
        label=_("from"), field_name="date", lookup_expr="gte", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("to"), field_name="date", lookup_expr="lte", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = WasteCollection
        fields = ["category", "department", "date_from", "date_to"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = scope.departments()
        for f in self.filters.values():
            f.field.widget.attrs.setdefault("class", "form-select form-select-sm")
        for name in ("date_from", "date_to"):
            self.filters[name].field.widget.attrs["class"] = "form-control form-control-sm"
