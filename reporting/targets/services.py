"""Writes of targets: a manager's (or the demo's) target of a registered indicator for a year."""

from decimal import Decimal

from agencies.models import Agency

from ..models import Target
from ..registry import TOTAL


def target_save(
    *,
    agency: Agency | None,
    indicator: str,
    year: int,
    baseline_year: int,
    reduction_percent: Decimal,
    basis: str = TOTAL,
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
