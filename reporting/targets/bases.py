"""Target bases: the agency total, per capita (用能人数), per m² of building area, and what apps add.

The one place where a figure is divided by a base. ``divisors`` reads every base a caller needs
in one query per base (AgencyYear for the built-in ones), ``in_base`` divides one value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from agencies import conventions

from ..registry import PER_AREA, PER_CAPITA, TOTAL, TargetBase, get_target_base, register_target_base

Divisors = Mapping[tuple[str, int, int], Decimal | None]  # (base key, agency id, year) -> divisor


def in_base(value: Decimal | None, divisor: Decimal | int | None) -> Decimal | None:
    """``value`` ÷ ``divisor``; None when either is missing or the divisor is not positive."""
    if value is None or divisor is None or divisor <= 0:
        return None
    return Decimal(value) / Decimal(divisor)


def _agency_years(fields: Sequence[str], agency_ids: Sequence[int], years: Sequence[int]) -> dict:
    """field → {(agency, year): value} of AgencyYear, every field asked in one query."""
    from agencies.models import AgencyYear

    from ..figures.lookups import any_of_sql, db_values, sql_rows

    # hand-written (every dashboard reads it; its ORM query cost more to build than to run at 100
    # agencies), with no ORDER BY: AgencyYear's default order (by the agency's code) joined the
    # agencies and sorted a province's 6,000 rows for a dict
    columns = [AgencyYear._meta.get_field(f) for f in fields]
    converts = [db_values(column) for column in columns]
    agencies, agency_params = any_of_sql("agency_id", agency_ids)
    in_years, year_params = any_of_sql("year", years)
    rows = sql_rows(
        f"SELECT agency_id, year, {', '.join(c.column for c in columns)} FROM {AgencyYear._meta.db_table}"
        f" WHERE {agencies} AND {in_years}",
        [*agency_params, *year_params],
    )
    out: dict[str, dict] = {f: {} for f in fields}
    for agency_id, year, *values in rows:
        for f, convert, value in zip(fields, converts, values, strict=True):
            out[f][(agency_id, year)] = Decimal(convert(value) if convert else value)
    return out


def _agency_year_field(field: str):
    def divisor(agency_ids: Sequence[int], years: Sequence[int]) -> dict[tuple[int, int], Decimal]:
        return _agency_years([field], agency_ids, years)[field]

    divisor.agency_year_field = field  # ``divisors`` reads the built-in bases together
    return divisor


headcount = _agency_year_field("headcount")
building_area = _agency_year_field("building_area")

BUILT_IN = (
    TargetBase(TOTAL, _("agency total"), "", None, order=0),
    TargetBase(  # ÷ 用能人数 of the year
        PER_CAPITA,
        _("per capita"),
        _("/person"),
        headcount,
        order=10,
        divisor_text=_("%(n)s energy-using people"),
    ),
    TargetBase(
        PER_AREA,
        _("per m² of building area"),
        "/m²",
        building_area,
        order=20,
        divisor_text=_("building area %(n)s m²"),
    ),
)


def register() -> None:
    for base in BUILT_IN:
        register_target_base(base)


def divisors(*, bases: Iterable[str], agency_ids: Sequence[int], years: Iterable[int]) -> Divisors:
    """(base, agency, year) → divisor for every base asked; the total divides by 1.

    AgencyYear's bases (用能人数, building area) share one read when several are asked.
    """
    agency_ids, years = sorted(set(agency_ids)), sorted(set(years))
    wanted = [get_target_base(key) for key in sorted(set(bases))]  # unknown keys refused even so
    out: dict[tuple[str, int, int], Decimal | None] = {}
    if not agency_ids or not years:
        return out
    fields = [f for b in wanted if (f := getattr(b.divisor, "agency_year_field", None))]
    shared = _agency_years(fields, agency_ids, years) if fields else {}
    for base in wanted:
        key = base.key
        if base.divisor is None:
            out.update({(key, a, y): Decimal(1) for a in agency_ids for y in years})
            continue
        field = getattr(base.divisor, "agency_year_field", None)
        values = shared[field] if field is not None else base.divisor(agency_ids, years)
        out.update({(key, a, y): values.get((a, y)) for a in agency_ids for y in years})
    return out


def unit_in_base(unit, base_key: str) -> str:
    """The unit of a figure in a base, as documents write it in the active language
    (docs/conventions.md): 千瓦时, 立方米/人, 升/辆 (kWh, m³/person, L/vehicle)."""
    per = get_target_base(base_key).per
    if not per:
        return conventions.unit_label(unit)
    if base_key in conventions.PER:  # 立方米/人, 千瓦时/平方米
        return conventions.unit_label(unit, per=base_key)
    return f"{conventions.unit_label(unit)}{per}"  # a base another app registers, in its own words
