"""Pages of the vehicles ledger: the registry, designated stations, the fuel log and the
per-vehicle accounting (单车油耗核算). Every read goes through ``request.scope``; a clerk sees
the vehicles of their sections and their logs."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.conventions import quarter_name, unit_label
from agencies.models import Role
from agencies.scoping import scope_required

from . import services
from .forms import (
    CompleteForm,
    DispatchForm,
    FuelLogForm,
    PeriodForm,
    SealPeriodForm,
    StationForm,
    VehicleForm,
    form_errors,
)
from .holidays import listed_years, sealed_periods
from .models import DispatchOrder, DispatchStatus, FuelGrade, FuelLog, SealPeriod, Station
from .queries import accounts, pooling_chances, violations
from .tables import DispatchTable, FuelLogTable, StationTable, VehicleTable

WRITERS = (Role.CLERK, Role.MANAGER)


def _vehicles(scope):
    return services.department_vehicles(scope)


def _logs(scope):
    return scope.filter(
        FuelLog.objects, agency_field="vehicle__agency", department_field="vehicle__department"
    )


# --- the registry ------------------------------------------------------------------------------------


@scope_required()
def vehicle_list(request):
    table = VehicleTable(_vehicles(request.scope).select_related("department"), request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "vehicles/vehicle_list.html", {"table": table})


@scope_required(Role.MANAGER)
def vehicle_edit(request, pk=None):
    vehicle = get_object_or_404(_vehicles(request.scope), pk=pk) if pk else None
    form = VehicleForm(request.POST or None, instance=vehicle, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.vehicle_save(scope=request.scope, vehicle=form.instance)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Vehicle saved."))
            return redirect("vehicles:vehicle_list")
    return render(request, "vehicles/vehicle_form.html", {"form": form, "vehicle": vehicle})


vehicle_create = vehicle_edit


# --- designated stations ------------------------------------------------------------------------------


@scope_required()
def station_list(request):
    table = StationTable(request.scope.filter(Station.objects), request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    return render(request, "vehicles/station_list.html", {"table": table})


@scope_required(Role.MANAGER)
def station_edit(request, pk=None):
    station = get_object_or_404(request.scope.filter(Station.objects), pk=pk) if pk else None
    form = StationForm(request.POST or None, instance=station)
    if request.method == "POST" and form.is_valid():
        try:
            services.station_save(scope=request.scope, station=form.instance)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Designated station saved."))
            return redirect("vehicles:station_list")
    return render(request, "vehicles/station_form.html", {"form": form, "station": station})


station_create = station_edit


# --- the fuel log ---------------------------------------------------------------------------------------


@scope_required()
def fuel_list(request):
    rows = _logs(request.scope).select_related("vehicle", "created_by")
    vehicle = None
    if request.GET.get("vehicle", "").isdigit():
        vehicle = _vehicles(request.scope).filter(pk=int(request.GET["vehicle"])).first()
        rows = rows.filter(vehicle=vehicle) if vehicle else rows.none()
    if request.GET.get("elsewhere"):
        rows = rows.filter(designated=False)
    table = FuelLogTable(rows, request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    totals = [
        {
            **t,
            "label": FuelGrade(t["grade"]).label,
            "unit": "kWh" if t["grade"] == FuelGrade.ELECTRIC else "L",
        }
        for t in rows.order_by("grade").values("grade").annotate(q=Sum("quantity"), yuan=Sum("amount"))
    ]
    context = {
        "table": table,
        "vehicle": vehicle,
        "vehicles": _vehicles(request.scope).order_by("plate"),
        "totals": totals,
        "elsewhere": bool(request.GET.get("elsewhere")),
    }
    return render(request, "vehicles/fuel_list.html", context)


def _fuel_form(request, log=None):
    initial = {}
    if log is None and request.GET.get("vehicle", "").isdigit():
        initial["vehicle"] = request.GET["vehicle"]
    form = FuelLogForm(
        request.POST or None, request.FILES or None, instance=log, scope=request.scope, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.fuel_log_record(
                scope=request.scope,
                vehicle=data["vehicle"],
                date=data["date"],
                grade=data["grade"],
                quantity=data["quantity"],
                unit_price=data["unit_price"],
                amount=data["amount"],
                odometer=data["odometer"],
                full=data["full"],
                station=data["station"],
                fuel_card=data["fuel_card"],
                note=data["note"],
                receipt=request.FILES.get("receipt"),
                log=log,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Fuel log saved."))
            return redirect(f"{_url('vehicles:fuel_list')}?vehicle={data['vehicle'].pk}")
    return render(request, "vehicles/fuel_form.html", {"form": form, "log": log})


def _url(name):
    from django.urls import reverse

    return reverse(name)


@scope_required(*WRITERS)
def fuel_create(request):
    return _fuel_form(request)


@scope_required(*WRITERS)
def fuel_edit(request, pk):
    return _fuel_form(request, get_object_or_404(_logs(request.scope), pk=pk))


@require_POST
@scope_required(*WRITERS)
def fuel_delete(request, pk):
    log = get_object_or_404(_logs(request.scope), pk=pk)
    try:
        services.fuel_log_delete(scope=request.scope, log=log)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Fuel log deleted."))
    return redirect("vehicles:fuel_list")


@scope_required()
def fuel_receipt(request, pk):
    """A log's receipt photo, only to people who may see the log."""
    from ledger.uploads import upload_response

    return upload_response(get_object_or_404(_logs(request.scope), pk=pk).receipt)


# --- per-vehicle accounting (单车油耗核算) ------------------------------------------------------------


@scope_required()
def accounting(request):
    form = PeriodForm(request.GET or None)
    months, label, period = form.months(timezone.localdate())
    rows = accounts(_vehicles(request.scope), months)
    rows.sort(key=lambda r: (r.account.over is None, -(r.account.over or 0), r.vehicle.plate))
    context = {
        "rows": rows,
        "label": label,
        "period": period,
        "over": [r for r in rows if r.account.over is not None],
        "months": months,
        "quarters": [(q, quarter_name(q)) for q in range(1, 5)],
    }
    return render(request, "vehicles/accounting.html", context)


# --- dispatch orders (派单) --------------------------------------------------------------------------


def _orders(scope):
    return scope.filter(DispatchOrder.objects, department_field="department")


@scope_required()
def dispatch_list(request):
    rows = _orders(request.scope).select_related("vehicle", "department", "approver")
    status = request.GET.get("status", "")
    if status in DispatchStatus.values:
        rows = rows.filter(status=status)
    table = DispatchTable(rows, request=request)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"table": table, "status": status, "statuses": DispatchStatus.choices}
    return render(request, "vehicles/dispatch_list.html", context)


@scope_required(*WRITERS)
def dispatch_edit(request, pk=None):
    order = get_object_or_404(_orders(request.scope), pk=pk) if pk else None
    form = DispatchForm(request.POST or None, instance=order, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispatch_save(scope=request.scope, order=form.instance)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Dispatch order saved."))
            return redirect("vehicles:dispatch_list")
    return render(request, "vehicles/dispatch_form.html", {"form": form, "order": order})


dispatch_create = dispatch_edit


def _dispatch_action(request, pk, action, done):
    order = get_object_or_404(_orders(request.scope), pk=pk)
    try:
        action(scope=request.scope, order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("vehicles:dispatch_list")


@require_POST
@scope_required(Role.MANAGER)
def dispatch_approve(request, pk):
    return _dispatch_action(request, pk, services.dispatch_approve, _("Dispatch order approved."))


@require_POST
@scope_required(*WRITERS)
def dispatch_cancel(request, pk):
    return _dispatch_action(request, pk, services.dispatch_cancel, _("Dispatch order cancelled."))


@scope_required(*WRITERS)
def dispatch_complete(request, pk):
    order = get_object_or_404(_orders(request.scope), pk=pk)
    form = CompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.dispatch_complete(scope=request.scope, order=order, **form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Dispatch order completed."))
            return redirect("vehicles:dispatch_list")
    return render(request, "vehicles/dispatch_complete.html", {"form": form, "order": order})


def _range(request) -> tuple[date, date, int]:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), 2100)
    return date(year, 1, 1), min(date(year, 12, 31), today), year


@scope_required()
def pooling(request):
    """Same-day orders to the same destination on two or more vehicles (3人以上集中派车)."""
    first, last, year = _range(request)
    groups = pooling_chances(_orders(request.scope), first, last)
    return render(request, "vehicles/pooling.html", {"groups": groups, "year": year})


# --- sealed periods and violations ------------------------------------------------------------------


@scope_required()
def seal_list(request):
    _first, _last, year = _range(request)
    periods = sealed_periods([request.scope.agency.pk], date(year, 1, 1), date(year, 12, 31))
    return render(
        request, "vehicles/seal_list.html", {"periods": periods, "year": year, "years": listed_years()}
    )


@scope_required(Role.MANAGER)
def seal_edit(request, pk=None):
    period = get_object_or_404(request.scope.filter(SealPeriod.objects), pk=pk) if pk else None
    form = SealPeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        try:
            services.seal_save(scope=request.scope, period=form.instance)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Seal period saved."))
            return redirect("vehicles:seal_list")
    return render(request, "vehicles/seal_form.html", {"form": form, "period": period})


seal_create = seal_edit


@scope_required()
def violations_list(request):
    first, last, year = _range(request)
    found = violations(_orders(request.scope), _logs(request.scope), [request.scope.agency.pk], first, last)
    return render(request, "vehicles/violations.html", {"violations": found, "year": year})


# --- the per-vehicle page --------------------------------------------------------------------------


def vehicle_year(vehicle, year: int) -> dict:
    """A vehicle's months of ``year``: the full-to-full account of each, the year's, its spans, and
    its fills at stations that are not designated (what the page, its chart and export show)."""
    from .accounting import account, monthly
    from .queries import accounted_fills, log_rows, vehicle_rows

    (row,) = vehicle_rows(type(vehicle).objects.filter(pk=vehicle.pk))
    months = [date(year, m, 1) for m in range(1, 13)]
    logs = log_rows([vehicle.pk], upto=date(year, 12, 31)).get(vehicle.pk, [])
    fills = accounted_fills(row, logs)
    by_month = monthly(fills, months, standard=vehicle.standard)
    elsewhere = list(
        FuelLog.objects.filter(vehicle=vehicle, date__year=year, designated=False).order_by("date")
    )
    counted: dict[date, int] = {}
    for log in elsewhere:
        counted[log.date.replace(day=1)] = counted.get(log.date.replace(day=1), 0) + 1
    return {
        "months": [(m, by_month[m], counted.get(m, 0)) for m in months],
        "year": account(fills, months, standard=vehicle.standard),
        "unit": "kWh" if row.accounted_by_charge else "L",
        "elsewhere": elsewhere,
    }


@scope_required()
def vehicle_detail(request, pk):
    vehicle = get_object_or_404(_vehicles(request.scope).select_related("department"), pk=pk)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, vehicle.in_use_from.year, 2000), today.year)
    data = vehicle_year(vehicle, year)
    unit = data["unit"]
    chart = {
        "months": [f"{m:%Y-%m}" for m, _a, _n in data["months"]],
        "rate": [float(a.rate) if a.rate is not None else None for _m, a, _n in data["months"]],
        "standard": [float(vehicle.standard)] * 12,
        "bought": [float(a.bought) for _m, a, _n in data["months"]],
        "rate_name": _("Fuel per 100 km"),
        "standard_name": _("standard"),
        "bought_name": _("fuel bought"),
        "rate_unit": unit_label(vehicle.rate_unit),
        "bought_unit": unit_label(unit),
    }
    years = list(range(max(vehicle.in_use_from.year, 2019), today.year + 1))
    context = {"vehicle": vehicle, "d": data, "year": year, "years": years, "chart": chart}
    return render(request, "vehicles/vehicle_detail.html", context)


@scope_required()
def accounting_export(request):
    """The monthly accounting of every vehicle the user may see, for a year, as .xlsx."""
    from django.http import HttpResponse

    from agencies.models import Department

    from .exports import accounting_workbook

    _first, _last, year = _range(request)
    departments = dict(Department.objects.filter(agency=request.scope.agency).values_list("pk", "name"))
    content = accounting_workbook(_vehicles(request.scope), year, departments=departments)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{request.scope.agency.code}-vehicles-{year}.xlsx"'
    )
    return response
