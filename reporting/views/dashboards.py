"""The agency dashboard (leadership group, energy manager, city) and the city overview (city only)."""

from django.shortcuts import render
from django.urls import reverse

from agencies.models import Role
from agencies.scoping import scope_required
from linyi_ecoagency.memory import cyclic_gc_paused

from ..dashboards.agency import agency_dashboard
from ..dashboards.city import city_agencies, city_dashboard
from ..forms import PeriodForm


@scope_required(Role.LEADER, Role.MANAGER, Role.CITY)
def dashboard(request):
    form = PeriodForm(request.GET or None)
    year, quarter = form.period()
    data = agency_dashboard(agency=request.scope.agency, year=year, quarter=quarter)
    context = {"form": form, "d": data, "chart_data": data.chart_data()}
    return render(request, "reporting/dashboard/agency.html", context)


UNPUBLISHED_SHOWN = 200  # names listed; the count says how many more


def _page_number(value: str | None, pages: int) -> int:
    """?page=N, clamped to the pages there are; anything else is the first page."""
    try:
        return min(max(1, int(value or 1)), pages)
    except ValueError:
        return 1


@scope_required(Role.CITY)
def city_dashboard_view(request):
    # A province's 3,000 agencies and 12,000 target results: no cycles among them. The collector
    # stays paused for the whole request — reading the agencies included — so that nothing the
    # request makes is promoted to the oldest generation and later re-scanned by a full collection
    # with everything the process keeps (the kept evaluations, targets/cache.py). Paused only around
    # the evaluation and the rendering, the slowest requests of a 3,000-agency run each paid one
    # full collection (380–410 ms at load 5).
    with cyclic_gc_paused():
        return _city_dashboard(request)


def _city_dashboard(request):
    form = PeriodForm(request.GET or None)
    year, quarter = form.period()
    # the agencies that take part in the programme: the city office that verifies is not one of them
    agencies = city_agencies(request.scope.agencies().filter(in_programme=True).order_by("code"))
    data = city_dashboard(agencies=agencies, year=year, quarter=quarter, rank=request.GET.get("rank"))
    page = _page_number(request.GET.get("page"), data.pages)
    context = {
        "form": form,
        "d": data,
        "page": page,
        "page_range": range(1, data.pages + 1),
        "table": data.table(page),
        "ranking": data.ranking_table(page),
        "chart_data": data.chart_data(page),
        "unpublished_shown": data.unpublished[:UNPUBLISHED_SHOWN],
        "next_url": reverse("reporting:dashboard") + data.period.query,
    }
    return render(request, "reporting/dashboard/city.html", context)
