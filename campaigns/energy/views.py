"""The conversion factors as the manager sees them (the admin changes them)."""

from __future__ import annotations

from django.shortcuts import render

from agencies.scoping import scope_required

from .indicators import registered_sources
from .models import EnergyFactor, FactorKind


@scope_required()
def factor_list(request):
    """Every factor with its date and source, and which registered indicators count as energy."""
    factors = list(EnergyFactor.objects.all())
    groups = [(kind, label, [f for f in factors if f.kind == kind]) for kind, label in FactorKind.choices]
    context = {"groups": groups, "sources": registered_sources()}
    return render(request, "campaigns/energy/factor_list.html", context)
