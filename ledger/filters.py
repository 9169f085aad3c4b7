"""django-filter filters of the ledger lists."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Bill, ItemCategory, Meter, MeterKind


class MeterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=pgettext_lazy("meter", "kind"), choices=MeterKind.choices)
    item = django_filters.ChoiceFilter(label=_("item category"), choices=ItemCategory.choices)
    abnormal = django_filters.BooleanFilter(
        label=_("Has abnormal readings to review"), method="with_abnormal"
    )

    class Meta:
        model = Meter
        fields = ["q", "kind", "department", "item"]

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = scope.departments()
        for f in self.filters.values():
            f.field.widget.attrs.setdefault("class", "form-select form-select-sm")
        self.filters["q"].field.widget.attrs["class"] = "form-control form-control-sm"

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(location__icontains=value)
        )

    def with_abnormal(self, queryset, name, value):
        if value:
            return queryset.filter(readings__is_abnormal=True, readings__reviewed_at__isnull=True).distinct()
        return queryset


class BillFilter(django_filters.FilterSet):
    class Meta:
        model = Bill
        fields = ["meter"]

    def __init__(self, *args, meters, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["meter"].queryset = meters
        self.filters["meter"].field.widget.attrs["class"] = "form-select form-select-sm"
