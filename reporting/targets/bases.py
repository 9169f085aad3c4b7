"""Target bases: the agency total, per capita (用能人数), per m² of building area, and what apps add.

The one place where a figure is divided by a base. ``divisors`` reads every base a caller needs
in one query per base (AgencyYear for the built-in ones), ``in_base`` divides one value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ..registry import PER_AREA, PER_CAPITA, TOTAL, TargetBase, get_target_base, register_target_base

Divisors = Mapping[tuple[str, int, int], Decimal | None]  # (base key, agency id, year) -> divisor


def in_base(value: Decimal | None, divisor: Decimal | int | None) -> Decimal | None:
    """``value`` ÷ ``divisor``; None when either is missing or the divisor is not positive."""
    if value is None or divisor is None or divisor <= 0:
        return None
    return Decimal(value) / Decimal(divisor)


def _agency_year_field(field: str):
    def divisor(agency_ids: Sequence[int], years: Sequence[int]) -> dict[tuple[int, int], Decimal]:
        from agencies.models import AgencyYear

        rows = AgencyYear.objects.filter(agency_id__in=list(agency_ids), year__in=list(years)).values_list(
            "agency_id", "year", field
        )
        return {(agency_id, year): Decimal(value) for agency_id, year, value in rows}

    return divisor


headcount = _agency_year_field("headcount")
building_area = _agency_year_field("building_area")

BUILT_IN = (
    TargetBase(TOTAL, _("Agency total"), "", None, order=0),
    TargetBase(PER_CAPITA, _("Per capita (energy-using headcount)"), _("/person"), headcount, order=10),
    TargetBase(PER_AREA, _("Per m² of building area"), "/m²", building_area, order=20),
)


def register() -> None:
    for base in BUILT_IN:
        register_target_base(base)


def divisors(*, bases: Iterable[str], agency_ids: Sequence[int], years: Iterable[int]) -> Divisors:
    """(base, agency, year) → divisor for every base asked; the total divides by 1.

    AgencyYear's bases share one read when the caller asks for several of them.
    """
    agency_ids, years = sorted(set(agency_ids)), sorted(set(years))
    out: dict[tuple[str, int, int], Decimal | None] = {}
    read: dict[object, Mapping[tuple[int, int], Decimal]] = {}
    for key in sorted(set(bases)):
        base = get_target_base(key)
        if base.divisor is None:
            out.update({(key, a, y): Decimal(1) for a in agency_ids for y in years})
            continue
        if base.divisor not in read:
            read[base.divisor] = base.divisor(agency_ids, years) if agency_ids and years else {}
        values = read[base.divisor]
        out.update({(key, a, y): values.get((a, y)) for a in agency_ids for y in years})
    return out


def unit_in_base(unit, base_key: str) -> str:
    """The unit of a figure in a base: kWh, m³/人, L/辆."""
    per = get_target_base(base_key).per
    return f"{unit}{per}" if per else str(unit)
