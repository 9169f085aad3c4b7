"""Writes of targets: a manager's (or the demo's) target of a registered indicator for a year."""

from decimal import Decimal

from agencies.models import Role
from agencies.scoping import Scope

from ..models import Target
from ..registry import TOTAL


def target_save(
    *,
    scope: Scope,
    indicator: str,
    year: int,
    baseline_year: int,
    reduction_percent: Decimal,
    basis: str = TOTAL,
    note: str = "",
) -> Target:
    """Create or replace the scope's agency's target of ``indicator`` for ``year``.

    ``Scope.system(None)`` (the demo, the command line) saves the default for every agency."""
    scope.require(Role.MANAGER)
    agency = scope.agency
    target = Target.objects.filter(agency=agency, indicator=indicator, year=year).first() or Target(
        agency=agency, indicator=indicator, year=year
    )
    target.baseline_year = baseline_year
    target.reduction_percent = Decimal(reduction_percent)
    target.basis = basis
    target.note = note
    scope.check(target)
    target.full_clean(validate_constraints=False)
    target.save()
    return target


def target_delete(*, scope: Scope, target: Target) -> None:
    scope.require(Role.MANAGER)
    scope.check(target)
    target.delete()
