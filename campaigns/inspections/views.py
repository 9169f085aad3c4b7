"""Pages of inspections: spot checks, the monthly bulletin (page and PDF), repair requests."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.models import Role
from agencies.scoping import scope_required
from ledger.uploads import upload_response
from waste.forms import MonthForm, form_errors

from . import services
from .bulletin import CheckLine, bulletin_build, bulletin_pdf
from .forms import CloseForm, FixForm, RepairForm, SpotCheckForm
from .models import RepairRequest, SpotCheck, SpotCheckPhoto
from .rules import rectification_state, repair_overdue_since
from .tables import RepairTable

WRITERS = (Role.CLERK, Role.MANAGER)


def _checks(scope):
    return scope.filter(SpotCheck.objects, department_field="department")


def _repairs(scope):
    return scope.filter(RepairRequest.objects, department_field="department")


def _month(request):
    return MonthForm(request.GET).month_or(timezone.localdate().replace(day=1))


@scope_required()
def spot_check_list(request):
    """The month's checks (or, with ?state=overdue, every rectification past its deadline)."""
    today = timezone.localdate()
    checks = _checks(request.scope).select_related("department").prefetch_related("findings")
    overdue = request.GET.get("state") == "overdue"
    month = _month(request)
    if overdue:
        checks = checks.filter(
            rectified_on__isnull=True, rectify_by__lt=today, findings__isnull=False
        ).distinct()
    else:
        checks = checks.filter(date__year=month.year, date__month=month.month)
    lines = [
        CheckLine(
            check,
            [f.get_item_display() for f in check.findings.all()],
            rectification_state(
                has_findings=bool(check.findings.all()),
                rectify_by=check.rectify_by,
                rectified_on=check.rectified_on,
                today=today,
            ),
        )
        for check in checks.order_by("-date", "-time")
    ]
    context = {"lines": lines, "month": month, "overdue": overdue}
    return render(request, "campaigns/inspections/spot_check_list.html", context)


@scope_required()
def spot_check_detail(request, pk):
    check = get_object_or_404(_checks(request.scope).select_related("department", "created_by"), pk=pk)
    findings = [f.get_item_display() for f in check.findings.all()]
    state = rectification_state(
        has_findings=bool(findings),
        rectify_by=check.rectify_by,
        rectified_on=check.rectified_on,
        today=timezone.localdate(),
    )
    context = {"check": check, "findings": findings, "state": state, "close_form": CloseForm()}
    context["photos"] = check.photos.all()
    return render(request, "campaigns/inspections/spot_check_detail.html", context)


@scope_required(Role.MANAGER)
def spot_check_edit(request, pk=None):
    check = get_object_or_404(_checks(request.scope), pk=pk) if pk else None
    form = SpotCheckForm(request.POST or None, request.FILES or None, instance=check, scope=request.scope)
    if request.method == "GET" and check is None:
        form.initial.update(inspector=request.user.get_full_name() or request.user.get_username())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check = services.spot_check_save(
                scope=request.scope,
                department=data["department"],
                date=data["date"],
                time=data["time"],
                inspector=data["inspector"],
                rooms=data["rooms"],
                ac_mode=data["ac_mode"],
                ac_setpoint=data["ac_setpoint"],
                ticked=data["findings"],
                notes=data["notes"],
                rectify_by=data["rectify_by"],
                photos=data["photos"],
                spot_check=check,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Spot check saved."))
            return redirect("campaigns:spot_check_detail", pk=check.pk)
    return render(request, "campaigns/inspections/spot_check_form.html", {"form": form, "check": check})


spot_check_create = spot_check_edit


@require_POST
@scope_required(Role.MANAGER)
def spot_check_close(request, pk):
    check = get_object_or_404(_checks(request.scope), pk=pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.spot_check_close(
                scope=request.scope,
                spot_check=check,
                rectified_on=form.cleaned_data["rectified_on"],
                rectification=form.cleaned_data["rectification"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Rectification closed."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("campaigns:spot_check_detail", pk=check.pk)


@scope_required()
def spot_check_photo(request, pk):
    photos = SpotCheckPhoto.objects.filter(spot_check__in=_checks(request.scope))
    return upload_response(get_object_or_404(photos, pk=pk).file)


# --- the monthly bulletin (通报) ------------------------------------------------------------------


def _bulletin(request):
    return bulletin_build(agency=request.scope.agency, month=_month(request), as_of=timezone.localdate())


@scope_required()
def bulletin(request):
    return render(request, "campaigns/inspections/bulletin.html", {"b": _bulletin(request)})


@scope_required()
def bulletin_pdf_view(request):
    data = _bulletin(request)
    response = HttpResponse(bulletin_pdf(data), content_type="application/pdf")
    name = f"{request.scope.agency.code}-bulletin-{data.month:%Y-%m}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


# --- repair requests (跑冒滴漏) -------------------------------------------------------------------


@scope_required()
def repair_list(request):
    repairs = _repairs(request.scope).select_related("department")
    state = request.GET.get("state", "")
    if state == "open":
        repairs = repairs.filter(fixed_on__isnull=True)
    elif state == "overdue":
        repairs = repairs.filter(
            fixed_on__isnull=True, reported_on__lt=repair_overdue_since(timezone.localdate())
        )
    table = RepairTable(repairs, request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "campaigns/inspections/repair_list.html", {"table": table, "state": state})


@scope_required(*WRITERS)
def repair_edit(request, pk=None):
    repair = get_object_or_404(_repairs(request.scope), pk=pk) if pk else None
    form = RepairForm(request.POST or None, request.FILES or None, instance=repair, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.repair_save(
                scope=request.scope,
                kind=data["kind"],
                location=data["location"],
                problem=data["problem"],
                department=data["department"],
                reported_on=data["reported_on"],
                reported_to=data["reported_to"],
                fixed_on=data["fixed_on"],
                fix_note=data["fix_note"],
                photo=request.FILES.get("photo"),
                repair=repair,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Repair request saved."))
            return redirect("campaigns:repair_list")
    return render(request, "campaigns/inspections/repair_form.html", {"form": form, "repair": repair})


repair_create = repair_edit


@require_POST
@scope_required(*WRITERS)
def repair_fix(request, pk):
    repair = get_object_or_404(_repairs(request.scope), pk=pk)
    form = FixForm(request.POST)
    if form.is_valid():
        try:
            services.repair_fix(
                scope=request.scope,
                repair=repair,
                fixed_on=form.cleaned_data["fixed_on"],
                fix_note=form.cleaned_data["fix_note"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Marked as fixed."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("campaigns:repair_list")


@scope_required()
def repair_photo(request, pk):
    return upload_response(get_object_or_404(_repairs(request.scope), pk=pk).photo)
