"""Pages of the vehicles ledger: the registry, designated stations, the fuel log and the
per-vehicle accounting (单车油耗核算). Every read goes through ``request.scope``; a clerk sees
the vehicles of their sections and their logs."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from agencies.conventions import quarter_name
from agencies.models import Role
from agencies.scoping import scope_required

from . import services
from .forms import FuelLogForm, PeriodForm, StationForm, VehicleForm, form_errors
from .models import FuelGrade, FuelLog, Station
from .queries import accounts
from .tables import FuelLogTable, StationTable, VehicleTable

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
    from django.http import FileResponse

    log = get_object_or_404(_logs(request.scope), pk=pk)
    if not log.receipt:
        raise Http404
    return FileResponse(log.receipt.open("rb"), filename=log.receipt.name.rsplit("/", 1)[-1])


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
