"""Admin of office consumables (staff only); stock moves only through the services: read-only here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Expense, Item, PaperUse, Purchase, Requisition


@admin.register(Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "agency",
        "category",
        "unit",
        "stock",
        "reorder_level",
        "is_green",
        "is_disposable",
    ]
    list_filter = ["category", "is_green", "is_disposable", "agency"]
    search_fields = ["code", "name"]
    readonly_fields = ["stock", "stock_value"]


@admin.register(Purchase)
class PurchaseAdmin(SimpleHistoryAdmin):
    list_display = [
        "date",
        "item",
        "quantity",
        "unit_price",
        "amount",
        "supplier",
        "invoice_number",
        "approver",
    ]
    raw_id_fields = ["item"]
    date_hierarchy = "date"


@admin.register(Requisition)
class RequisitionAdmin(SimpleHistoryAdmin):
    list_display = ["date", "department", "item", "quantity", "amount", "requested_by", "issued_by"]
    raw_id_fields = ["item", "department"]
    date_hierarchy = "date"


@admin.register(PaperUse)
class PaperUseAdmin(SimpleHistoryAdmin):
    list_display = ["date", "department", "sheets", "duplex_sheets"]
    raw_id_fields = ["department"]


@admin.register(Expense)
class ExpenseAdmin(SimpleHistoryAdmin):
    list_display = ["date", "agency", "department", "kind", "amount", "voucher_number"]
    list_filter = ["kind", "agency"]
    raw_id_fields = ["department"]
