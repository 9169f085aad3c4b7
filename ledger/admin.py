"""Admin of the ledger (staff only); the history of every row is one click away."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Bill, Meter, Reading


@admin.register(Meter)
class MeterAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "agency", "kind", "department", "item", "parent", "multiplier", "share"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Reading)
class ReadingAdmin(SimpleHistoryAdmin):
    list_display = ["meter", "date", "value", "kind", "event", "is_abnormal", "source", "created_by"]
    list_filter = ["event", "is_abnormal", "source"]
    raw_id_fields = ["meter"]
    date_hierarchy = "date"


@admin.register(Bill)
class BillAdmin(SimpleHistoryAdmin):
    list_display = ["meter", "period_start", "period_end", "quantity", "amount", "invoice_number"]
    raw_id_fields = ["meter"]


from .consumables import admin as consumables_admin  # noqa: E402, F401 — registers the consumables models
