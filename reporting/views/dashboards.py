"""The agency dashboard (leadership group, energy manager, city) and the city overview (city only)."""

from django.shortcuts import render
from django.urls import reverse

from agencies.models import Role
from agencies.scoping import scope_required

from ..dashboards.agency import agency_dashboard
from ..dashboards.city import city_dashboard
from ..forms import PeriodForm


@scope_required(Role.LEADER, Role.MANAGER, Role.CITY)
def dashboard(request):
    form = PeriodForm(request.GET or None)
    year, quarter = form.period()
    data = agency_dashboard(agency=request.scope.agency, year=year, quarter=quarter)
    context = {"form": form, "d": data, "chart_data": data.chart_data()}
    return render(request, "reporting/dashboard/agency.html", context)


@scope_required(Role.CITY)
def city_dashboard_view(request):
    form = PeriodForm(request.GET or None)
    year, quarter = form.period()
    # the agencies that take part in the programme: the city office that verifies is not one of them
    agencies = list(request.scope.agencies().filter(in_programme=True).order_by("code"))
    data = city_dashboard(agencies=agencies, year=year, quarter=quarter, rank=request.GET.get("rank"))
    query = f"?year={data.period.year}" + (f"&quarter={data.period.quarter}" if data.period.quarter else "")
    context = {
        "form": form,
        "d": data,
        "table": data.table(),
        "ranking": data.ranking_table(),
        "chart_data": data.chart_data(),
        "next_url": reverse("reporting:dashboard") + query,
    }
    return render(request, "reporting/dashboard/city.html", context)
