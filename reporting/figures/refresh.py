"""Writes on the fact table: recompute MonthlyFigure for some agencies, months and indicators."""

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction

from ..models import MonthlyFigure
from ..registry import get_indicator, indicators


def _months(months: Iterable[date]) -> list[date]:
    return sorted({m.replace(day=1) for m in months})


def figures_refresh(
    *,
    agency_ids: Iterable[int],
    months: Iterable[date],
    indicator_keys: Sequence[str] | None = None,
) -> int:
    """Recompute MonthlyFigure for these agencies and months, replacing what was there.

    One ``compute`` call per indicator (or one ``compute_batch`` call per group of indicators
    that share it) covers every agency and month, so the query count does not grow with the
    number of agencies. Returns the number of rows written.
    """
    agency_ids = sorted(set(agency_ids))
    months = _months(months)
    if not agency_ids or not months:
        return 0
    selected = [get_indicator(k) for k in indicator_keys] if indicator_keys else indicators()
    agency_set, month_set = set(agency_ids), set(months)
    batches: dict = {}  # indicators sharing a compute_batch are computed in one call
    for indicator in selected:
        if indicator.compute_batch is not None:
            batches.setdefault(indicator.compute_batch, []).append(indicator.key)
    computed: dict = {}
    for batch, keys in batches.items():
        computed.update(batch(agency_ids, months, keys))
    rows = []
    for indicator in selected:
        figures = (
            computed[indicator.key] if indicator.key in computed else indicator.compute(agency_ids, months)
        )
        for figure in figures:
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
    """Queue a refresh to run after the current transaction commits (in-process when eager).

    ``robust``: the write is committed by then; a refresh that fails (or a broker that is down)
    is logged, never raised into the write that asked for it."""
    from ..tasks import refresh_figures

    kwargs = {
        "agency_ids": sorted(set(agency_ids)),
        "months": [m.isoformat() for m in _months(months)],
        "indicator_keys": list(indicator_keys) if indicator_keys else None,
    }
    transaction.on_commit(lambda: refresh_figures.delay(**kwargs), robust=True)
