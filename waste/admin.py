"""Admin of the waste ledger (staff only); the history of every row is one click away."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CollectionPoint, HazardousStorage, WasteCollection


@admin.register(CollectionPoint)
class CollectionPointAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "location", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name", "location"]


@admin.register(WasteCollection)
class WasteCollectionAdmin(SimpleHistoryAdmin):
    list_display = ["date", "agency", "category", "weight", "company", "manifest_number", "source"]
    list_filter = ["category", "agency", "source"]
    search_fields = ["company", "manifest_number", "licence_number"]
    raw_id_fields = ["point", "department"]
    date_hierarchy = "date"


@admin.register(HazardousStorage)
class HazardousStorageAdmin(SimpleHistoryAdmin):
    list_display = ["stored_on", "agency", "kind", "weight", "pieces", "handover"]
    list_filter = ["kind", "agency"]
    raw_id_fields = ["handover", "department"]
