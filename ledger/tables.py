"""django-tables2 tables of the ledger."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from agencies.conventions import person_name
from agencies.tables import Table

from .models import Bill, Meter, Reading


class PersonColumn(tables.Column):
    """录入人 and the like: the person's name (agencies.conventions), never their user name."""

    def render(self, value):
        return person_name(value)


class MeterTable(Table):
    code = tables.LinkColumn("ledger:meter_detail", args=[tables.A("pk")])
    name = tables.LinkColumn("ledger:meter_detail", args=[tables.A("pk")])

    class Meta:
        model = Meter
        fields = ("code", "name", "kind", "location", "department", "item", "parent", "multiplier", "share")
        attrs = {"class": "table table-sm table-hover align-middle"}
        empty_text = _("No meters yet.")


class ReadingTable(Table):
    created_by = PersonColumn(verbose_name=_("entered by"))
    edit = tables.TemplateColumn(
        template_name="ledger/_reading_actions.html", verbose_name="", orderable=False, empty_values=()
    )

    class Meta:
        model = Reading
        fields = ("date", "value", "kind", "event", "is_abnormal", "note", "created_by", "created_at")
        attrs = {"class": "table table-sm align-middle"}
        order_by = ("-date",)
        empty_text = _("No readings yet.")


class BillTable(Table):
    created_by = PersonColumn(verbose_name=_("entered by"))
    voucher = tables.TemplateColumn(
        template_name="ledger/_bill_voucher.html", verbose_name=_("Voucher"), orderable=False, empty_values=()
    )

    class Meta:
        model = Bill
        fields = (
            "meter",
            "period_start",
            "period_end",
            "quantity",
            "amount",
            "invoice_number",
            "created_by",
            "voucher",
        )
        attrs = {"class": "table table-sm align-middle"}
        empty_text = _("No bills yet.")
