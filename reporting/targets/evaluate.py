"""Target evaluation: year-to-date actual against the same months of the baseline year.

Pure and query-lean: ``targets_evaluate`` reads the targets, one GROUP BY over MonthlyFigure and
one read of AgencyYear — three queries whatever the number of agencies, indicators or months.

The status rule (documented in docs/reporting.md):

* change % = (actual − baseline) ÷ baseline × 100, both over months 1..as_of_month, each
  divided by that year's headcount (用能人数) when the basis is per capita;
* the year-end projection scales the actual by the baseline year's monthly profile:
  projected = actual × baseline(full year) ÷ baseline(same months);
* 无数据 NO_DATA — there is no figure at all for the year to date or for the baseline year's
  same months (nothing has been entered or imported), so nothing can be compared;
* 达标 MET — the data are complete and change % ≤ −target %;
* 预警 AT_RISK — the data are incomplete (a month of the year to date or of the baseline year
  without a figure, a missing headcount, a zero baseline), or, while the year is still open
  (as_of_month < 12), the projected year-end change misses the target by at most
  ``AT_RISK_MARGIN`` percentage points;
* 未达标 MISSED — otherwise (a closed year that missed, or an open year that misses by more).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from agencies.models import AgencyYear

from ..models import MonthlyFigure, Target
from ..registry import PER_CAPITA, get_indicator

AT_RISK_MARGIN = Decimal("1.00")  # percentage points
HUNDRED = Decimal(100)
PERCENT = Decimal("0.01")


class TargetStatus(models.TextChoices):
    MET = "met", _("met")  # 达标
    AT_RISK = "at_risk", _("at risk")  # 预警
    MISSED = "missed", _("missed")  # 未达标
    NO_DATA = "no_data", _("no data")  # 无数据


# Text beside the colour so a status never relies on colour alone.
STATUS_MARKS = {"met": "✓", "at_risk": "!", "missed": "✗", "no_data": "–"}


@dataclass(frozen=True)
class TargetResult:
    agency_id: int
    indicator: str
    basis: str  # a registered TargetBase key
    year: int
    baseline_year: int
    as_of_month: int
    baseline: Decimal | None  # baseline year, same months (per capita when the basis says so)
    actual: Decimal | None  # this year to date
    change_percent: Decimal | None
    target_percent: Decimal  # the required reduction, e.g. 3.00 (means −3 %)
    baseline_full_year: Decimal | None
    projected: Decimal | None  # year-end projection from the baseline year's monthly profile
    projected_change_percent: Decimal | None
    status: str  # TargetStatus
    complete: bool
    target_id: int
    is_default: bool  # the all-agencies default, not the agency's own target

    @property
    def status_label(self) -> str:
        return TargetStatus(self.status).label

    @property
    def indicator_name(self) -> str:
        try:
            return str(get_indicator(self.indicator).name)
        except LookupError:
            return self.indicator

    @property
    def unit(self) -> str:
        try:
            unit = get_indicator(self.indicator).unit
        except LookupError:
            return ""
        return f"{unit}/人" if self.basis == PER_CAPITA else str(unit)


def _as_month_number(as_of_month: int | date) -> int:
    month = as_of_month.month if isinstance(as_of_month, date) else int(as_of_month)
    if not 1 <= month <= 12:
        raise ValueError(f"as_of_month must be 1..12, not {as_of_month!r}")
    return month


def applicable_targets(*, agency_ids: Iterable[int], year: int) -> dict[tuple[int, str], Target]:
    """(agency id, indicator) → the target that applies: the agency's own, else the default."""
    agency_ids = list(agency_ids)
    rows = list(Target.objects.filter(Q(agency_id__in=agency_ids) | Q(agency__isnull=True), year=year))
    return choose_targets(rows, agency_ids=agency_ids)


def choose_targets(rows: Iterable[Target], *, agency_ids: list[int]) -> dict[tuple[int, str], Target]:
    """The rule of ``applicable_targets`` on targets already read: an agency's own target wins."""
    chosen: dict[tuple[int, str], Target] = {}
    for target in sorted(rows, key=lambda t: t.agency_id is not None):  # defaults first, own ones win
        owners = [target.agency_id] if target.agency_id else agency_ids
        for agency_id in owners:
            chosen[(agency_id, target.indicator)] = target
    return chosen


def _percent(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    if new is None or old is None or old == 0:
        return None
    return ((new - old) / old * HUNDRED).quantize(PERCENT)


def _status(
    *,
    has_data: bool,
    complete: bool,
    change: Decimal | None,
    projected_change: Decimal | None,
    target,
    as_of,
) -> str:
    if not has_data:
        return TargetStatus.NO_DATA
    if not complete or change is None:
        return TargetStatus.AT_RISK
    if change <= -target:
        return TargetStatus.MET
    if as_of < 12 and projected_change is not None and projected_change <= -target + AT_RISK_MARGIN:
        return TargetStatus.AT_RISK
    return TargetStatus.MISSED


def figure_sums(
    *,
    agency_ids: list[int],
    keys: list[str],
    years: Iterable[int],
    through: int,
    quarter_from: int | None = None,
) -> dict[tuple[int, str, int], dict]:
    """One GROUP BY: (agency, indicator, year) → sums and month counts of the agency totals.

    ``ytd``/``ytd_months`` cover months 1..through, ``full``/``full_months`` the whole year and,
    with ``quarter_from``, ``q``/``q_months`` the months quarter_from..through.
    """
    years = sorted(set(years))
    to_date = Q(month__month__lte=through)
    sums = {
        "ytd": Sum("value", filter=to_date),
        "ytd_months": Count("id", filter=to_date),
        "full": Sum("value"),
        "full_months": Count("id"),
    }
    if quarter_from is not None:
        in_quarter = to_date & Q(month__month__gte=quarter_from)
        sums.update(q=Sum("value", filter=in_quarter), q_months=Count("id", filter=in_quarter))
    # The years as month ranges, not EXTRACT(YEAR) IN (…): PostgreSQL can then use the index of
    # (agency, indicator, month) for the months of those years only (docs/dashboards.md).
    in_years = Q()
    for y in years:
        in_years |= Q(month__gte=date(y, 1, 1), month__lte=date(y, 12, 1))
    rows = (
        MonthlyFigure.objects.filter(in_years, department=None, agency_id__in=agency_ids, indicator__in=keys)
        .annotate(y=ExtractYear("month"))
        .values("agency_id", "indicator", "y")
        .annotate(**sums)
        .order_by()
    )
    return {(r["agency_id"], r["indicator"], r["y"]): r for r in rows}


def agency_facts(
    *, agency_ids: list[int], years: Iterable[int]
) -> dict[tuple[int, int], tuple[int, Decimal]]:
    """(agency, year) → (headcount 用能人数, building area) in one query."""
    rows = AgencyYear.objects.filter(agency_id__in=agency_ids, year__in=sorted(set(years))).values_list(
        "agency_id", "year", "headcount", "building_area"
    )
    return {(a, y): (h, area) for a, y, h, area in rows}


def evaluate_target(
    *, agency_id: int, target: Target, year: int, as_of: int, sums: dict, facts: dict
) -> TargetResult:
    """The rule of this module for one agency's target, from already-read sums and facts."""
    indicator = target.indicator
    now = sums.get((agency_id, indicator, year)) or {}
    base = sums.get((agency_id, indicator, target.baseline_year)) or {}
    actual, baseline, base_full = now.get("ytd"), base.get("ytd"), base.get("full")
    complete = now.get("ytd_months", 0) == as_of and base.get("full_months", 0) == 12
    if target.basis == PER_CAPITA:
        head_now = facts.get((agency_id, year), (None, None))[0]
        head_base = facts.get((agency_id, target.baseline_year), (None, None))[0]
        complete = complete and bool(head_now) and bool(head_base)
        actual = actual / head_now if actual is not None and head_now else None
        baseline = baseline / head_base if baseline is not None and head_base else None
        base_full = base_full / head_base if base_full is not None and head_base else None
    projected = actual * base_full / baseline if actual is not None and base_full and baseline else None
    if as_of == 12:
        projected = actual
    complete = complete and bool(baseline)
    change = _percent(actual, baseline)
    projected_change = _percent(projected, base_full)
    return TargetResult(
        agency_id=agency_id,
        indicator=indicator,
        basis=target.basis,
        year=year,
        baseline_year=target.baseline_year,
        as_of_month=as_of,
        baseline=baseline,
        actual=actual,
        change_percent=change,
        target_percent=target.reduction_percent,
        baseline_full_year=base_full,
        projected=projected,
        projected_change_percent=projected_change,
        status=_status(
            has_data=now.get("ytd") is not None and base.get("ytd") is not None,
            complete=complete,
            change=change,
            projected_change=projected_change,
            target=target.reduction_percent,
            as_of=as_of,
        ),
        complete=complete,
        target_id=target.pk,
        is_default=target.agency_id is None,
    )


def targets_evaluate(
    *, agency_ids: Iterable[int], year: int, as_of_month: int | date = 12
) -> list[TargetResult]:
    """Evaluate every applicable target of these agencies for ``year``, months 1..as_of_month."""
    agency_ids = sorted(set(agency_ids))
    as_of = _as_month_number(as_of_month)
    if not agency_ids:
        return []
    targets = applicable_targets(agency_ids=agency_ids, year=year)
    if not targets:
        return []
    keys = sorted({indicator for _agency, indicator in targets})
    years = {year} | {t.baseline_year for t in targets.values()}
    sums = figure_sums(agency_ids=agency_ids, keys=keys, years=years, through=as_of)
    facts = agency_facts(agency_ids=agency_ids, years=years)
    return [
        evaluate_target(agency_id=agency_id, target=target, year=year, as_of=as_of, sums=sums, facts=facts)
        for (agency_id, _indicator), target in sorted(targets.items())
    ]
