"""Admin of campaigns (staff only); the history of every row is one click away."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Event, EventFile, RepairRequest, SpotCheck, SpotCheckFinding, SpotCheckPhoto


class EventFileInline(admin.TabularInline):
    model = EventFile
    extra = 0
    readonly_fields = ["uploaded_by", "uploaded_at"]


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["date", "agency", "kind", "title", "participants"]
    list_filter = ["kind", "agency"]
    search_fields = ["title", "summary"]
    date_hierarchy = "date"
    raw_id_fields = ["department"]
    inlines = [EventFileInline]


@admin.register(EventFile)
class EventFileAdmin(admin.ModelAdmin):
    list_display = ["name", "event", "uploaded_by", "uploaded_at"]
    raw_id_fields = ["event"]


class FindingInline(admin.TabularInline):
    model = SpotCheckFinding
    extra = 0


class PhotoInline(admin.TabularInline):
    model = SpotCheckPhoto
    extra = 0


@admin.register(SpotCheck)
class SpotCheckAdmin(SimpleHistoryAdmin):
    list_display = ["date", "time", "agency", "department", "inspector", "rectify_by", "rectified_on"]
    list_filter = ["agency"]
    date_hierarchy = "date"
    raw_id_fields = ["department"]
    inlines = [FindingInline, PhotoInline]


@admin.register(SpotCheckFinding)
class SpotCheckFindingAdmin(admin.ModelAdmin):
    list_display = ["spot_check", "item"]
    list_filter = ["item"]
    raw_id_fields = ["spot_check"]


@admin.register(SpotCheckPhoto)
class SpotCheckPhotoAdmin(admin.ModelAdmin):
    list_display = ["spot_check", "file", "uploaded_at"]
    raw_id_fields = ["spot_check"]


@admin.register(RepairRequest)
class RepairRequestAdmin(SimpleHistoryAdmin):
    list_display = ["reported_on", "agency", "kind", "location", "problem", "fixed_on"]
    list_filter = ["kind", "agency"]
    search_fields = ["location", "problem"]
    raw_id_fields = ["department"]
