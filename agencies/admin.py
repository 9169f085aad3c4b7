from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, AgencyYear, Department, Membership


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class AgencyYearInline(admin.TabularInline):
    model = AgencyYear
    extra = 0


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "parent", "is_active", "in_programme"]
    search_fields = ["code", "name"]
    list_filter = ["is_active", "in_programme"]
    inlines = [DepartmentInline, AgencyYearInline]


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "agency", "parent", "sort_order", "is_active"]
    list_filter = ["agency"]
    search_fields = ["name"]


@admin.register(AgencyYear)
class AgencyYearAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "year", "headcount", "building_area", "office_area"]
    list_filter = ["year", "agency"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "agency", "department", "role"]
    list_filter = ["role", "agency"]
    search_fields = ["user__username", "agency__name"]
    autocomplete_fields = ["user", "agency"]
