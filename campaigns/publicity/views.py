"""Pages of publicity and training: the events, their files, the year's calendar and counts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.models import Role
from agencies.scoping import scope_required
from ledger.uploads import upload_response
from waste.forms import form_errors
from waste.views import xlsx_response

from . import services
from .calendar import national_days, year_calendar
from .forms import EventFileForm, EventForm, YearForm
from .models import EventFile
from .queries import counts_per_kind, events_of
from .tables import EventTable

WRITERS = (Role.CLERK, Role.MANAGER)


def _year(request) -> int:
    return YearForm(request.GET).year_or(timezone.localdate().year)


@scope_required()
def event_list(request):
    year = _year(request)
    events = events_of(request.scope).filter(date__year=year).annotate(file_count=Count("files"))
    table = EventTable(events.select_related("department"), request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    counts = counts_per_kind(events_of(request.scope), years=list(range(year - 4, year + 1)))
    context = {"table": table, "year": year, "counts": counts}
    return render(request, "campaigns/publicity/event_list.html", context)


@scope_required()
def event_calendar(request):
    year = _year(request)
    events = events_of(request.scope).filter(date__year=year).order_by("date")
    context = {
        "year": year,
        "months": year_calendar(year, events),
        "national": national_days(year),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        "counts": counts_per_kind(events_of(request.scope), years=[year]),
    }
    return render(request, "campaigns/publicity/calendar.html", context)


@scope_required()
def event_detail(request, pk):
    event = get_object_or_404(events_of(request.scope).select_related("department", "created_by"), pk=pk)
    context = {"event": event, "files": event.files.all(), "file_form": EventFileForm()}
    return render(request, "campaigns/publicity/event_detail.html", context)


@scope_required(*WRITERS)
def event_edit(request, pk=None):
    event = get_object_or_404(events_of(request.scope), pk=pk) if pk else None
    form = EventForm(request.POST or None, instance=event, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_save(
                scope=request.scope,
                kind=data["kind"],
                date=data["date"],
                end_date=data["end_date"],
                title=data["title"],
                channels=data["channels"],
                participants=data["participants"],
                summary=data["summary"],
                department=data["department"],
                event=event,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Event saved."))
            return redirect("campaigns:event_detail", pk=event.pk)
    return render(request, "campaigns/publicity/event_form.html", {"form": form, "event": event})


event_create = event_edit


@require_POST
@scope_required(*WRITERS)
def event_delete(request, pk):
    event = get_object_or_404(events_of(request.scope), pk=pk)
    services.event_delete(scope=request.scope, event=event)
    messages.success(request, _("Event deleted."))
    return redirect("campaigns:event_list")


@require_POST
@scope_required(*WRITERS)
def event_file_add(request, pk):
    event = get_object_or_404(events_of(request.scope), pk=pk)
    form = EventFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_file_add(scope=request.scope, event=event, upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("File added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("campaigns:event_detail", pk=event.pk)


def _files(scope):
    return EventFile.objects.filter(event__in=events_of(scope))


@scope_required()
def event_file(request, pk):
    return upload_response(get_object_or_404(_files(request.scope), pk=pk).file)


@require_POST
@scope_required(*WRITERS)
def event_file_delete(request, pk):
    stored = get_object_or_404(_files(request.scope), pk=pk)
    services.event_file_delete(scope=request.scope, event_file=stored)
    messages.success(request, _("File removed."))
    return redirect("campaigns:event_detail", pk=stored.event_id)


@scope_required()
def event_export(request):
    """The events the user may see, as .xlsx with the import's headers (imports back unchanged)."""
    from imports.exports import kind_workbook
    from imports.registry import ImportContext, get_import_kind

    scope = request.scope
    context = ImportContext(
        agency=scope.agency, user=scope.user, dry_run=False, departments=scope.department_ids
    )
    content = kind_workbook(get_import_kind("events"), context, language=request.LANGUAGE_CODE)
    return xlsx_response(content, f"{scope.agency.code}-events.xlsx")
