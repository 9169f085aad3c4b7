from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agencies.scoping import Scope

from .jobs import job_retry
from .models import (
    BackgroundJob,
    Disclosure,
    DisclosureEvent,
    DisclosureStatus,
    MonthlyFigure,
    PeriodLock,
    ProgrammeGoal,
    RollupVersion,
    StaleFigure,
    Target,
    YearlyFigure,
)


@admin.register(MonthlyFigure)
class MonthlyFigureAdmin(admin.ModelAdmin):
    list_display = ["agency", "department", "indicator", "month", "value", "computed_at"]
    list_filter = ["indicator", "agency"]
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False  # written only by the refresh service

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(YearlyFigure)
class YearlyFigureAdmin(admin.ModelAdmin):
    """The yearly rollup, for reading: the refresh writes it from the monthly rows."""

    list_display = ["agency", "indicator", "year"]
    list_filter = ["indicator", "year"]
    search_fields = ["agency__name", "agency__code", "indicator"]

    def has_add_permission(self, request):
        return False  # written only by the refresh service

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RollupVersion)
class RollupVersionAdmin(admin.ModelAdmin):
    """Each agency's rollup version token, for reading: ``rollup_rebuild`` writes it."""

    list_display = ["agency", "token"]
    search_fields = ["agency__name", "agency__code"]

    def has_add_permission(self, request):
        return False  # written only by the rollup rebuild

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PeriodLock)
class PeriodLockAdmin(admin.ModelAdmin):
    list_display = ["agency", "month", "indicator", "locked_at", "locked_by", "note"]
    list_filter = ["agency", "indicator"]
    date_hierarchy = "month"


@admin.register(StaleFigure)
class StaleFigureAdmin(admin.ModelAdmin):
    """Written by write services, cleared by the refresh: read-only here."""

    list_display = ["agency", "month", "indicator", "marked_at"]
    list_filter = ["indicator"]
    date_hierarchy = "month"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["year", "indicator", "agency", "baseline_year", "reduction_percent", "basis"]
    list_filter = ["year", "indicator", "basis"]


class DisclosureEventInline(admin.TabularInline):
    model = DisclosureEvent
    fields = ["at", "kind", "version", "by", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Disclosure)
class DisclosureAdmin(admin.ModelAdmin):
    """Disclosures change only through the services; a published one is read-only here too."""

    list_display = ["agency", "year", "quarter", "version", "status", "published_at", "published_by"]
    list_filter = ["status", "year", "quarter"]
    readonly_fields = [
        "agency",
        "year",
        "quarter",
        "version",
        "status",
        "data",
        "computed_at",
        "published_at",
        "published_by",
    ]
    inlines = [DisclosureEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == DisclosureStatus.DRAFT

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.status == DisclosureStatus.DRAFT


@admin.register(DisclosureEvent)
class DisclosureEventAdmin(admin.ModelAdmin):
    list_display = ["at", "agency", "year", "quarter", "version", "kind", "by"]
    list_filter = ["kind", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProgrammeGoal)
class ProgrammeGoalAdmin(admin.ModelAdmin):
    list_display = ["year", "share_percent", "source"]


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    """Every agency's background jobs; the action sends failed or stuck ones again."""

    list_display = ["label", "agency", "state", "attempts", "error", "updated_at"]
    list_filter = ["state", "task"]
    readonly_fields = [f.name for f in BackgroundJob._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send the selected jobs again"))
    def retry(self, request, queryset):
        sent = sum(
            job_retry(scope=Scope.system(job.agency), job=job) for job in queryset.select_related("agency")
        )
        self.message_user(
            request,
            ngettext("%(count)d job sent again.", "%(count)d jobs sent again.", sent) % {"count": sent},
        )
