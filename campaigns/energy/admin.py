"""Admin of the conversion factors: a change recomputes comprehensive energy and carbon."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EnergyFactor
from .services import factor_changed


@admin.register(EnergyFactor)
class EnergyFactorAdmin(SimpleHistoryAdmin):
    list_display = ["carrier", "kind", "value", "per", "valid_from"]
    list_filter = ["kind", "carrier"]
    ordering = ["kind", "carrier", "valid_from"]

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("valid_from") if change else None
        super().save_model(request, obj, form, change)
        factor_changed(factor=obj, previous_from=previous)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        factor_changed(factor=obj)
