"""The targets page: the evaluation and the agency's own targets (managers add, replace, delete)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import Role
from agencies.scoping import scope_required

from ..forms import TargetForm
from ..models import Target
from ..targets import queries, services
from .files import year_param


@scope_required()
def targets(request):
    scope = request.scope
    year = year_param(request, queries.default_target_year(agency=scope.agency))
    context = queries.targets_page(agency=scope.agency, year=year)
    context["form"] = TargetForm(initial={"year": year, "baseline_year": year - 1})
    return render(request, "reporting/targets.html", context)


@require_POST
@scope_required(Role.MANAGER)
def target_save(request):
    scope = request.scope
    form = TargetForm(request.POST)
    if not form.is_valid():  # the service's model validation is repeated below for the agency
        context = queries.targets_page(
            agency=scope.agency, year=year_param(request, queries.default_target_year(agency=scope.agency))
        )
        return render(request, "reporting/targets.html", {**context, "form": form}, status=400)
    try:
        target = services.target_save(scope=scope, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:targets")
    messages.success(request, _("Saved the target %(target)s.") % {"target": target})
    return redirect(f"{reverse('reporting:targets')}?year={target.year}")


@require_POST
@scope_required(Role.MANAGER)
def target_delete(request, pk):
    target = get_object_or_404(request.scope.filter(Target.objects), pk=pk)
    services.target_delete(scope=request.scope, target=target)
    messages.success(request, _("Deleted the target; the default applies again."))
    return redirect("reporting:targets")
