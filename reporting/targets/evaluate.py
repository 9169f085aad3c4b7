"""Target evaluation: year-to-date actual against the same months of the baseline year.

Query-lean: ``targets_evaluate`` reads the targets, the sums from the yearly rollup
(``figures.read.figure_sums``, a ratio indicator read as its two parts) and one read per target
base in use (AgencyYear for per capita) — the same few queries whatever the number of agencies,
indicators or months; a caller that has read the targets or the divisors already passes them.

The status rule (documented in docs/reporting.md):

* change % = (actual − baseline) ÷ baseline × 100, both over months 1..as_of_month, each
  divided by that year's divisor of the target's base (用能人数 per capita, …; ``bases``),
  compared unrounded with the target (−2.996 % does not meet 3 %), shown to two decimals;
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

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..figures.numbers import meets_reduction, percent_change
from ..figures.read import figure_sums
from ..models import Target
from ..registry import TOTAL, get_indicator, indicator_name, target_base_name
from .bases import Divisors, divisors, in_base, unit_in_base

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


@dataclass(frozen=True, slots=True)  # a province keeps 12,000 of them (targets/cache.py)
class TargetResult:
    agency_id: int
    indicator: str
    basis: str  # a registered TargetBase key
    year: int
    baseline_year: int
    as_of_month: int
    baseline: Decimal | None  # baseline year, same months (per capita when the basis says so)
    actual: Decimal | None  # this year to date
    change_percent: Decimal | None  # rounded to 0.01 for display; the status used the exact one
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
        return indicator_name(self.indicator)

    @property
    def basis_name(self) -> str:
        return target_base_name(self.basis)

    @property
    def unit(self) -> str:
        try:
            unit = get_indicator(self.indicator).unit
        except LookupError:
            return ""
        return unit_in_base(unit, self.basis)


def _as_month_number(as_of_month: int | date) -> int:
    month = as_of_month.month if isinstance(as_of_month, date) else int(as_of_month)
    if not 1 <= month <= 12:
        raise ValueError(f"as_of_month must be 1..12, not {as_of_month!r}")
    return month


def targets_of_year(*, agency_ids: Iterable[int], year: int) -> list[Target]:
    """The year's defaults and these agencies' own targets, in one query."""
    return list(
        Target.objects.filter(Q(agency_id__any_of=list(agency_ids)) | Q(agency__isnull=True), year=year)
    )


def applicable_targets(*, agency_ids: Iterable[int], year: int) -> dict[tuple[int, str], Target]:
    """(agency id, indicator) → the target that applies: the agency's own, else the default."""
    agency_ids = list(agency_ids)
    return choose_targets(targets_of_year(agency_ids=agency_ids, year=year), agency_ids=agency_ids)


def choose_targets(rows: Iterable[Target], *, agency_ids: list[int]) -> dict[tuple[int, str], Target]:
    """The rule of ``applicable_targets`` on targets already read: an agency's own target wins."""
    chosen: dict[tuple[int, str], Target] = {}
    for target in sorted(rows, key=lambda t: t.agency_id is not None):  # defaults first, own ones win
        owners = [target.agency_id] if target.agency_id else agency_ids
        for agency_id in owners:
            chosen[(agency_id, target.indicator)] = target
    return chosen


def _rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PERCENT)


def target_status(
    *,
    has_data: bool,
    complete: bool,
    change: Decimal | None,
    projected_change: Decimal | None,
    reduction_percent: Decimal,
    as_of: int,
) -> str:
    """The status rule (module docstring), on unrounded changes: −2.996 % does not meet 3 %."""
    if not has_data:
        return TargetStatus.NO_DATA
    if not complete or change is None:
        return TargetStatus.AT_RISK
    if meets_reduction(change, reduction_percent):
        return TargetStatus.MET
    if (
        as_of < 12
        and projected_change is not None
        and projected_change <= -reduction_percent + AT_RISK_MARGIN
    ):
        return TargetStatus.AT_RISK
    return TargetStatus.MISSED


def evaluate_target(
    *, agency_id: int, target: Target, year: int, as_of: int, sums: dict, divisors: Divisors
) -> TargetResult:
    """The rule of this module for one agency's target, from already-read sums (``figure_sums``)
    and the divisors of its target base (``bases.divisors``)."""
    indicator = target.indicator
    now = sums.get((agency_id, indicator, year)) or {}
    base = sums.get((agency_id, indicator, target.baseline_year)) or {}
    actual, baseline, base_full = now.get("ytd"), base.get("ytd"), base.get("full")
    complete = now.get("ytd_months") == as_of and base.get("full_months") == 12  # as_of is 1..12
    if target.basis != TOTAL:
        now_divisor = divisors.get((target.basis, agency_id, year))
        base_divisor = divisors.get((target.basis, agency_id, target.baseline_year))
        complete = complete and bool(now_divisor) and bool(base_divisor)
        actual = in_base(actual, now_divisor)
        baseline, base_full = in_base(baseline, base_divisor), in_base(base_full, base_divisor)
    if as_of == 12:  # the year is over: its end is what happened
        projected = actual
    else:
        projected = actual * base_full / baseline if actual is not None and base_full and baseline else None
    complete = complete and bool(baseline)
    change = percent_change(actual, baseline)
    projected_change = percent_change(projected, base_full)
    return TargetResult(
        agency_id=agency_id,
        indicator=indicator,
        basis=target.basis,
        year=year,
        baseline_year=target.baseline_year,
        as_of_month=as_of,
        baseline=baseline,
        actual=actual,
        change_percent=_rounded(change),
        target_percent=target.reduction_percent,
        baseline_full_year=base_full,
        projected=projected,
        projected_change_percent=_rounded(projected_change),
        status=target_status(
            has_data=now.get("ytd") is not None and base.get("ytd") is not None,
            complete=complete,
            change=change,
            projected_change=projected_change,
            reduction_percent=target.reduction_percent,
            as_of=as_of,
        ),
        complete=complete,
        target_id=target.pk,
        is_default=target.agency_id is None,
    )


def targets_evaluate(
    *,
    agency_ids: Iterable[int],
    year: int,
    as_of_month: int | date = 12,
    targets: Mapping[tuple[int, str], Target] | None = None,
    found: Divisors | None = None,
) -> list[TargetResult]:
    """Evaluate every applicable target of these agencies for ``year``, months 1..as_of_month.

    A caller that has already read them passes ``targets`` (``choose_targets`` of the year's
    targets) and ``found`` (``bases.divisors`` for the targets' bases, the year and their
    baseline years) so that they are not read again: the agency dashboard reads both for its
    own numbers too.
    """
    agency_ids = sorted(set(agency_ids))
    as_of = _as_month_number(as_of_month)
    if not agency_ids:
        return []
    if targets is None:
        targets = applicable_targets(agency_ids=agency_ids, year=year)
    if not targets:
        return []
    keys = sorted({indicator for _agency, indicator in targets})
    years = {year} | {t.baseline_year for t in targets.values()}
    sums = figure_sums(agency_ids=agency_ids, keys=keys, years=years, through=as_of)
    if found is None:
        bases = {t.basis for t in targets.values()} - {TOTAL}
        found = divisors(bases=bases, agency_ids=agency_ids, years=years)
    return [
        evaluate_target(agency_id=agency_id, target=target, year=year, as_of=as_of, sums=sums, divisors=found)
        for (agency_id, _indicator), target in sorted(targets.items())
    ]
