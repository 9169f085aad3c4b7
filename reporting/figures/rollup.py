"""The yearly rollup (``YearlyFigure``): one row per agency, indicator and year holding the twelve
monthly values of the agency totals, rebuilt from the MonthlyFigure rows.

``figures_refresh`` calls ``rollup_rebuild`` for its agencies, years and indicators in the
transaction that replaces their monthly rows, so the two never disagree where anyone can see
them; ``manage.py refresh_figures`` rebuilds it (``--rollup`` from the monthly rows alone) and
the nightly reconcile repairs any (agency, indicator, year) whose rollup differs from its
monthly rows (``rollup_reconcile``). A rebuild is three statements whatever the number of
agencies: a DELETE, an INSERT … SELECT … GROUP BY over the monthly rows, and one upsert that
gives each agency rebuilt a new version token (``RollupVersion``) — the city overview keeps an
agency's target evaluation under it (``targets/cache.py``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear

from agencies.models import Agency

from ..models import MONTH_FIELDS, MonthlyFigure, RollupVersion, YearlyFigure

logger = logging.getLogger(__name__)


def _in_years(years: Iterable[int] | None) -> Q:
    """The years as month ranges (the index of (agency, indicator, month) serves them)."""
    if years is None:
        return Q()
    in_years = Q(pk__in=[])
    for y in sorted(set(years)):
        in_years |= Q(month__gte=date(y, 1, 1), month__lte=date(y, 12, 1))
    return in_years


def _scope(qs, *, agency_ids, keys, years=None, year_field: str | None = None):
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    if keys is not None:
        qs = qs.filter(indicator__in=list(keys))
    if years is not None and year_field:
        qs = qs.filter(**{f"{year_field}__in": sorted(set(years))})
    return qs


def _monthly_source(*, agency_ids, years, keys):
    """The rollup rows as a GROUP BY over the monthly agency totals (agency, indicator, year, m01…m12)."""
    qs = _scope(
        MonthlyFigure.objects.filter(_in_years(years), department=None), agency_ids=agency_ids, keys=keys
    )
    return (
        qs.annotate(y=ExtractYear("month"))
        .values("agency_id", "indicator", "y")
        .annotate(**{name: Sum("value", filter=Q(month__month=m)) for m, name in enumerate(MONTH_FIELDS, 1)})
        .order_by()
    )


def rollup_rebuild(
    *,
    agency_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    indicator_keys: Iterable[str] | None = None,
) -> int:
    """Replace the rollup rows of these agencies, years and indicators (every one when None) with
    what their monthly rows add up to; returns the number of rollup rows written. Three statements:
    the delete, the insert and the new version token of these agencies (``rollup_version_bump``).
    Callers that write MonthlyFigure rows themselves (a refresh does it for its own) call this in
    the same transaction."""
    agency_ids = None if agency_ids is None else sorted(set(agency_ids))
    years = None if years is None else sorted(set(years))
    keys = None if indicator_keys is None else sorted(set(indicator_keys))
    if agency_ids == [] or years == [] or keys == []:
        return 0
    source = _monthly_source(agency_ids=agency_ids, years=years, keys=keys)
    select, params = source.query.sql_with_params()
    table = connection.ops.quote_name(YearlyFigure._meta.db_table)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("agency_id", "indicator", "year", *MONTH_FIELDS))
    replaced = _scope(
        YearlyFigure.objects.all(), agency_ids=agency_ids, keys=keys, years=years, year_field="year"
    )
    with transaction.atomic(savepoint=False):  # in the caller's transaction when there is one
        replaced.delete()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)
            written = cursor.rowcount
        rollup_version_bump(agency_ids=agency_ids)
    return written


def rollup_version_bump(*, agency_ids: Iterable[int] | None = None) -> None:
    """A new version token for these agencies' rollup (every agency when None), in the caller's
    transaction: one upsert of one row per agency, in id order (two rebuilds of overlapping
    agencies lock their rows in the same order). A token is never reused, so a cached
    evaluation under an older one can never be taken for the current figures."""
    if agency_ids is None:
        agency_ids = Agency.objects.order_by("pk").values_list("pk", flat=True)
    token = uuid.uuid4()
    RollupVersion.objects.bulk_create(
        [RollupVersion(agency_id=agency_id, token=token) for agency_id in sorted(set(agency_ids))],
        update_conflicts=True,
        unique_fields=["agency"],
        update_fields=["token"],
        batch_size=5000,
    )


def rollup_differences(
    *, agency_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> set[tuple[int, str, int]]:
    """(agency, indicator, year) whose rollup row differs from its monthly rows (a row missing on
    either side, a month's value or a month's presence differing) — two reads, compared here."""
    monthly = {
        (r["agency_id"], r["indicator"], int(r["y"])): tuple(r[name] for name in MONTH_FIELDS)
        for r in _monthly_source(agency_ids=agency_ids, years=years, keys=None)
    }
    rolled = {
        (agency_id, key, year): tuple(values)
        for agency_id, key, year, *values in _scope(
            YearlyFigure.objects.all(), agency_ids=agency_ids, keys=None, years=years, year_field="year"
        ).values_list("agency_id", "indicator", "year", *MONTH_FIELDS)
    }
    return {k for k in monthly.keys() | rolled.keys() if monthly.get(k) != rolled.get(k)}


def rollup_reconcile(*, years: Iterable[int] | None = None) -> int:
    """The nightly check: rebuild the rollup rows that differ from the monthly rows (a writer
    that bypassed the refresh, a restore of one table). Returns how many differed."""
    differing = rollup_differences(years=years)
    if differing:
        logger.warning("The yearly rollup differed from the monthly figures in %d rows", len(differing))
        groups: dict[tuple[int, str], list[int]] = {}
        for agency_id, key, year in differing:
            groups.setdefault((year, key), []).append(agency_id)
        for (year, key), ids in groups.items():
            rollup_rebuild(agency_ids=ids, years=[year], indicator_keys=[key])
    return len(differing)
