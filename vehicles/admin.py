"""Admin of the vehicles ledger (staff only); the history of every row is one click away."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DispatchOrder, FuelLog, SealPeriod, Station, Vehicle


@admin.register(Vehicle)
class VehicleAdmin(SimpleHistoryAdmin):
    list_display = ["plate", "agency", "make_model", "fuel_type", "standard", "department", "in_use_from"]
    list_filter = ["fuel_type", "new_energy", "agency"]
    search_fields = ["plate", "make_model"]
    raw_id_fields = ["department"]


@admin.register(Station)
class StationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "is_active"]
    list_filter = ["agency", "is_active"]
    search_fields = ["name"]


@admin.register(FuelLog)
class FuelLogAdmin(SimpleHistoryAdmin):
    list_display = ["date", "vehicle", "grade", "quantity", "amount", "odometer", "full", "designated"]
    list_filter = ["grade", "full", "designated", "source"]
    search_fields = ["vehicle__plate", "station", "fuel_card"]
    raw_id_fields = ["vehicle"]
    date_hierarchy = "date"


@admin.register(DispatchOrder)
class DispatchOrderAdmin(SimpleHistoryAdmin):
    list_display = ["number", "agency", "status", "planned_start", "destination", "vehicle", "passengers"]
    list_filter = ["status", "agency"]
    search_fields = ["number", "destination", "applicant"]
    raw_id_fields = ["vehicle", "department"]


@admin.register(SealPeriod)
class SealPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "start", "end"]
    list_filter = ["agency"]
