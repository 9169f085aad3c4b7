"""The campaigns hub: this year's publicity, the open rectifications and repairs at a glance."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from agencies.scoping import scope_required

from .inspections.rules import repair_overdue_since
from .models import RepairRequest, SpotCheck
from .publicity.calendar import national_days
from .publicity.queries import counts_per_kind, events_of


@scope_required()
def index(request):
    today = timezone.localdate()
    scope = request.scope
    checks = scope.filter(SpotCheck.objects, department_field="department")
    repairs = scope.filter(RepairRequest.objects, department_field="department").filter(fixed_on__isnull=True)
    context = {
        "year": today.year,
        "counts": counts_per_kind(events_of(scope), years=[today.year - 1, today.year]),
        "upcoming": [d for d in national_days(today.year) if d.end >= today],
        "overdue_checks": checks.filter(rectified_on__isnull=True, rectify_by__lt=today).count(),
        "open_checks": checks.filter(rectified_on__isnull=True, rectify_by__isnull=False).count(),
        "open_repairs": repairs.count(),
        "overdue_repairs": repairs.filter(reported_on__lt=repair_overdue_since(today)).count(),
    }
    return render(request, "campaigns/index.html", context)
