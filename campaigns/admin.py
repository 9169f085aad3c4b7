"""Admin of campaigns (staff only); the history of every row is one click away."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .energy import admin as _energy_admin  # noqa: F401 — the conversion factors
from .models import (
    Creation,
    EvaluationItem,
    EvaluationScheme,
    Event,
    EventFile,
    ItemScore,
    ItemVerdict,
    ManagementOffice,
    OrganisationMember,
    RepairRequest,
    SpotCheck,
    SpotCheckFinding,
    SpotCheckPhoto,
    Verification,
)


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


# --- the creation workflow: the items are data an admin keeps; the rest is the agencies' and the city's


class EvaluationItemInline(admin.TabularInline):
    model = EvaluationItem
    extra = 0
    fields = ["order", "code", "category", "title", "points", "evidence"]


@admin.register(EvaluationScheme)
class EvaluationSchemeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "from_year", "pass_points"]
    inlines = [EvaluationItemInline]


@admin.register(EvaluationItem)
class EvaluationItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "scheme", "category", "points", "evidence", "order"]
    list_filter = ["scheme", "category"]


class ItemScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0
    fields = ["item", "points", "passed", "evidence", "updated_by"]
    readonly_fields = ["updated_by"]


@admin.register(Creation)
class CreationAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "year", "stage", "applied_on", "assessed_on"]
    list_filter = ["stage", "year"]
    raw_id_fields = ["agency"]
    inlines = [ItemScoreInline]


@admin.register(ItemScore)
class ItemScoreAdmin(SimpleHistoryAdmin):
    list_display = ["creation", "item", "points", "passed"]
    raw_id_fields = ["creation"]


class ItemVerdictInline(admin.TabularInline):
    model = ItemVerdict
    extra = 0


@admin.register(Verification)
class VerificationAdmin(SimpleHistoryAdmin):
    list_display = ["creation", "result", "verified_on", "verified_by"]
    list_filter = ["result"]
    raw_id_fields = ["creation"]
    inlines = [ItemVerdictInline]


@admin.register(ItemVerdict)
class ItemVerdictAdmin(SimpleHistoryAdmin):
    list_display = ["verification", "item", "verdict", "points", "passed"]
    raw_id_fields = ["verification"]


@admin.register(OrganisationMember)
class OrganisationMemberAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "year", "body", "position", "name", "post"]
    list_filter = ["body", "year", "agency"]


@admin.register(ManagementOffice)
class ManagementOfficeAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "year"]
    list_filter = ["year"]
