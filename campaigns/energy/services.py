"""Changing a conversion factor (the admin's): the months it applies to are recomputed for every
agency — from its date to the next factor of the same carrier and kind (or to this month)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency

from .indicators import KEYS
from .models import EnergyFactor


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def factor_months(factor: EnergyFactor, *, today: date, previous_from: date | None = None) -> list[date]:
    """The months a change of ``factor`` touches: from its date (or its old date, if earlier) to the
    day before the next factor of the same carrier and kind, or to this month."""
    start = min(factor.valid_from, previous_from or factor.valid_from)
    following = (
        EnergyFactor.objects.filter(
            carrier=factor.carrier, kind=factor.kind, valid_from__gt=factor.valid_from
        )
        .exclude(pk=factor.pk)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    last = today.replace(day=1)
    if following is not None:  # a month uses the factor in force on its first day
        last = min(last, (following - timedelta(days=1)).replace(day=1))
    return months_between(start, last) if start <= last else []


def factor_changed(*, factor: EnergyFactor, previous_from: date | None = None) -> None:
    """After a factor was saved or deleted: recompute comprehensive energy and carbon of every
    active agency for the months it applies to, on a worker once the change is committed."""
    from reporting.tasks import refresh_figures

    months = factor_months(factor, today=timezone.localdate(), previous_from=previous_from)
    agency_ids = list(Agency.objects.filter(is_active=True).values_list("pk", flat=True))
    if not months or not agency_ids:
        return
    transaction.on_commit(
        lambda: refresh_figures.delay(
            agency_ids=agency_ids, months=[m.isoformat() for m in months], indicator_keys=list(KEYS)
        )
    )
