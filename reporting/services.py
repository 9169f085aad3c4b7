"""Writes on the fact table: the one refresh entry point that data apps call after their writes."""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction

from agencies.models import Agency

from .models import MonthlyFigure, Target, TargetBasis
from .registry import get_indicator, indicators


def _months(months: Iterable[date]) -> list[date]:
    return sorted({m.replace(day=1) for m in months})


def figures_refresh(
    *,
    agency_ids: Iterable[int],
    months: Iterable[date],
    indicator_keys: Sequence[str] | None = None,
) -> int:
    """Recompute MonthlyFigure for these agencies and months, replacing what was there.

    One ``compute`` call per indicator covers every agency and month, so the query count does
    not grow with the number of agencies. Returns the number of rows written.
    """
    agency_ids = sorted(set(agency_ids))
    months = _months(months)
    if not agency_ids or not months:
        return 0
    selected = [get_indicator(k) for k in indicator_keys] if indicator_keys else indicators()
    agency_set, month_set = set(agency_ids), set(months)
    rows = []
    for indicator in selected:
        for figure in indicator.compute(agency_ids, months):
            if figure.agency_id in agency_set and figure.month in month_set:
                rows.append(
                    MonthlyFigure(
                        agency_id=figure.agency_id,
                        department_id=figure.department_id,
                        indicator=indicator.key,
                        month=figure.month,
                        value=figure.value,
                    )
                )
    with transaction.atomic():
        MonthlyFigure.objects.filter(
            indicator__in=[i.key for i in selected], agency_id__in=agency_ids, month__in=months
        ).delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def figures_refresh_on_commit(
    *, agency_ids: Iterable[int], months: Iterable[date], indicator_keys: Sequence[str] | None = None
) -> None:
    """Queue a refresh to run after the current transaction commits (in-process when eager)."""
    from .tasks import refresh_figures

    refresh_figures.delay_on_commit(
        agency_ids=sorted(set(agency_ids)),
        months=[m.isoformat() for m in _months(months)],
        indicator_keys=list(indicator_keys) if indicator_keys else None,
    )


def target_save(
    *,
    agency: Agency | None,
    indicator: str,
    year: int,
    baseline_year: int,
    reduction_percent: Decimal,
    basis: str = TargetBasis.TOTAL,
    note: str = "",
) -> Target:
    """Create or replace the target of ``indicator`` for ``year`` (``agency=None``: the default)."""
    target = Target.objects.filter(agency=agency, indicator=indicator, year=year).first() or Target(
        agency=agency, indicator=indicator, year=year
    )
    target.baseline_year = baseline_year
    target.reduction_percent = Decimal(reduction_percent)
    target.basis = basis
    target.note = note
    target.full_clean(validate_constraints=False)
    target.save()
    return target


def target_delete(*, target: Target) -> None:
    target.delete()
