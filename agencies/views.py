"""Home page, the agency switcher and the agency profile (departments, yearly facts)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services, workbench
from .forms import AgencyYearForm, DepartmentForm
from .models import Role
from .params import text_param, year_param
from .scoping import scope_required, switch_agency


@scope_required()
def home(request):
    """The role's workbench (工作台): its to-dos and panels, as the apps registered them."""
    scope, today = request.scope, timezone.localdate()
    panels = [
        render_to_string(panel.template, context, request=request)
        for panel, context in workbench.panels_for(scope, today)
    ]
    context = {
        "todos": workbench.todos_for(scope, today),
        "panels": panels,
        "today": today,
        "current_year": scope.agency.years.order_by("-year").first(),
    }
    return render(request, "home.html", context)


@scope_required()
def switch(request):
    scope = request.scope
    if request.method == "POST":
        try:
            new_scope = switch_agency(request, text_param(request.POST.get("agency")))
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("agencies:switch")
        messages.success(request, _("Now working in %(agency)s.") % {"agency": new_scope.agency})
        # A click-through (e.g. from the city overview) says where to go next; only local paths.
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(next_url)
        return redirect("home")
    query = text_param(request.GET.get("q"))
    agencies = scope.agencies().order_by("code")
    if query:
        agencies = agencies.filter(name__icontains=query) | agencies.filter(code__icontains=query)
    return render(request, "agencies/switch.html", {"agencies": agencies[:200], "q": query})


def _profile_context(scope, year_form=None, department_form=None):
    return {
        "years": scope.agency.years.all(),
        "departments": scope.agency.departments.select_related("parent"),
        "year_form": year_form or AgencyYearForm(agency=scope.agency),
        "department_form": department_form or DepartmentForm(agency=scope.agency),
    }


@scope_required()
def profile(request):
    return render(request, "agencies/profile.html", _profile_context(request.scope))


@require_POST
@scope_required(Role.MANAGER)
def year_save(request):
    scope = request.scope
    year = year_param(request.POST.get("year"))
    existing = scope.agency.years.filter(year=year).first() if year else None
    form = AgencyYearForm(request.POST, agency=scope.agency, instance=existing)
    if not form.is_valid():
        context = _profile_context(scope, year_form=form)
        return render(request, "agencies/profile.html", context, status=400)
    row = services.agency_year_save(scope=scope, **form.cleaned_data)
    messages.success(request, _("Saved the facts of %(year)s.") % {"year": row.year})
    return redirect("agencies:profile")


@require_POST
@scope_required(Role.MANAGER)
def department_add(request):
    scope = request.scope
    form = DepartmentForm(request.POST, agency=scope.agency)
    if not form.is_valid():
        context = _profile_context(scope, department_form=form)
        return render(request, "agencies/profile.html", context, status=400)
    department = services.department_create(scope=scope, **form.cleaned_data)
    messages.success(request, _("Added the department %(name)s.") % {"name": department.name})
    return redirect("agencies:profile")
