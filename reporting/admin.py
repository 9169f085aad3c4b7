from django.contrib import admin

from .models import MonthlyFigure, PeriodLock, Target


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(admin.ModelAdmin):
    list_display = ["agency", "department", "indicator", "month", "value", "computed_at"]
    list_filter = ["indicator", "agency"]
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False  # written only by the refresh service

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    list_display = ["agency", "month", "locked_at", "locked_by", "note"]
    list_filter = ["agency"]
    date_hierarchy = "month"


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "indicator", "agency", "baseline_year", "reduction_percent", "basis"]
    list_filter = ["year", "indicator", "basis"]


# --- Dashboards (branch dashboards) ---
from .models import ProgrammeGoal  # noqa: E402


@admin.register(ProgrammeGoal)
class ProgrammeGoalAdmin(admin.ModelAdmin):
    list_display = ["year", "share_percent", "source"]
