"""django-tables2 tables of repair requests."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from agencies.tables import Table

from .models import RepairRequest


class RepairTable(Table):
    state = tables.TemplateColumn(
        template_name="campaigns/inspections/_repair_state.html",
        verbose_name=_("state"),
        orderable=False,
        empty_values=(),
    )

    class Meta:
        model = RepairRequest
        fields = (
            "reported_on",
            "kind",
            "location",
            "problem",
            "department",
            "reported_to",
            "fixed_on",
            "state",
        )
        attrs = {"class": "table table-sm align-middle", "data-testid": "repairs"}
        empty_text = _("No repair requests.")
