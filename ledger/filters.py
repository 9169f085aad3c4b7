"""django-filter filters of the ledger lists."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Bill, ItemCategory, Meter, MeterKind, Reading


class MeterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    kind = django_filters.ChoiceFilter(label=pgettext_lazy("meter", "kind"), choices=MeterKind.choices)
    item = django_filters.ChoiceFilter(label=_("item category"), choices=ItemCategory.choices)
    abnormal = django_filters.ChoiceFilter(
        label=_("Has abnormal readings to review"),
        choices=(("1", _("yes")), ("0", _("no"))),
        method="with_abnormal",
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
        """1: meters with an abnormal reading no manager has reviewed; 0: meters with none."""
        waiting = Reading.objects.filter(meter=OuterRef("pk"), is_abnormal=True, reviewed_at__isnull=True)
        return queryset.filter(Exists(waiting) if value == "1" else ~Exists(waiting))


class BillFilter(django_filters.FilterSet):
    class Meta:
        model = Bill
        fields = ["meter"]

    def __init__(self, *args, meters, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["meter"].queryset = meters
        self.filters["meter"].field.widget.attrs["class"] = "form-select form-select-sm"
