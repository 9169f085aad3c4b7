"""Reads of the fact table that are more than a one-line filter, aware of how each indicator
aggregates: a ratio is read as its two summed parts and divided after summing — never summed.

``figure_sums`` is the read of the yearly rollup (``YearlyFigure``) that targets, disclosures,
the notice and the city overview make — its cost does not grow with months × years;
``monthly_values`` the monthly rows reports and the ledger workbook read; ``rollup_values`` the
same values of whole years from the rollup, for the agency dashboard's monthly series.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import DecimalField, IntegerField, Sum
from django.db.models.expressions import RawSQL

from ..models import MONTH_FIELDS, MonthlyFigure, YearlyFigure
from ..registry import Indicator, get_indicator, summed_keys
from .numbers import indicator_value, ratio_value

SUM_FIELDS = ("ytd", "full", "q")  # with their month counts ytd_months, full_months, q_months


def _ratio_entry(indicator: Indicator, numerator: dict, denominator: dict) -> dict:
    """A ratio's sums from its parts' sums; it has a month when both parts have it."""
    ratio = indicator.aggregation
    entry = {}
    for field in SUM_FIELDS:
        if field in numerator or field in denominator:
            entry[field] = ratio_value(numerator.get(field), denominator.get(field), ratio.scale)
            entry[f"{field}_months"] = min(
                numerator.get(f"{field}_months", 0), denominator.get(f"{field}_months", 0)
            )
    return entry


def _months_sum(names: list[str]) -> RawSQL:
    """The sum of these month columns of a rollup row; NULL when none of them has a figure (as a
    SUM over no monthly rows). Plain SQL: the same expression built from ORM nodes took longer to
    compile than one agency's read takes to run (docs/dashboards.md, "At province scale")."""
    nothing = " AND ".join(f"{name} IS NULL" for name in names)
    total = " + ".join(f"COALESCE({name}, 0)" for name in names)
    return RawSQL(f"CASE WHEN {nothing} THEN NULL ELSE {total} END", (), output_field=DecimalField())


def _months_count(names: list[str]) -> RawSQL:
    """How many of these month columns of a rollup row have a figure."""
    present = " + ".join(f"CASE WHEN {name} IS NULL THEN 0 ELSE 1 END" for name in names)
    return RawSQL(present, (), output_field=IntegerField())


def figure_sums(
    *,
    agency_ids: list[int],
    keys: list[str],
    years: Iterable[int],
    through: int,
    quarter_from: int | None = None,
) -> dict[tuple[int, str, int], dict]:
    """One read of the yearly rollup: (agency, indicator, year) → sums and month counts of the
    agency totals — what a GROUP BY over their monthly rows gives, from one row per year.

    ``ytd``/``ytd_months`` cover months 1..through, ``full``/``full_months`` the whole year and,
    with ``quarter_from``, ``q``/``q_months`` the months quarter_from..through. A ratio among
    ``keys`` is read as its parts and its entry is their sums divided (``_ratio_entry``).
    """
    years = sorted(set(years))
    wanted = [get_indicator(k) for k in keys]
    keys = summed_keys(keys)
    ranges = {"ytd": (1, through), "full": (1, 12)}
    if quarter_from is not None:
        ranges["q"] = (quarter_from, through)
    # one sum and one count per distinct range of months (the year to date of December is the year)
    columns = {}
    for first, last in sorted(set(ranges.values())):
        names = list(MONTH_FIELDS[first - 1 : last])
        columns[f"s{first}_{last}"], columns[f"n{first}_{last}"] = _months_sum(names), _months_count(names)
    qs = (
        YearlyFigure.objects.filter(agency_id__any_of=agency_ids, indicator__in=keys, year__in=years)
        .annotate(**columns)
        .values_list("agency_id", "indicator", "year", *columns)
        .order_by()
    )
    if connection.vendor == "postgresql":  # a province's 24,000 rows: tuples straight from the cursor
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
    else:
        fetched = list(qs)
    at = {name: 3 + i for i, name in enumerate(columns)}
    fields = [
        (field, at[f"s{first}_{last}"], at[f"n{first}_{last}"]) for field, (first, last) in ranges.items()
    ]
    sums = {}
    for row in fetched:
        entry = {"agency_id": row[0], "indicator": row[1], "y": row[2]}
        for field, value_at, count_at in fields:
            entry[field], entry[f"{field}_months"] = row[value_at], row[count_at]
        sums[(row[0], row[1], row[2])] = entry
    for indicator in wanted:
        if indicator.is_ratio:
            numerator, denominator = indicator.parts
            for agency_id, _key, y in [k for k in sums if k[1] in (numerator, denominator)]:
                if (agency_id, indicator.key, y) not in sums:
                    sums[(agency_id, indicator.key, y)] = _ratio_entry(
                        indicator,
                        sums.get((agency_id, numerator, y), {}),
                        sums.get((agency_id, denominator, y), {}),
                    )
    return sums


def monthly_values(
    *, agency_ids: Iterable[int], keys: Iterable[str], months: Iterable[date], departments: bool = False
) -> dict[tuple[int, int | None, str, date], Decimal]:
    """(agency, department or None, indicator, month) → the month's value, in one query; a ratio's
    monthly value is its parts' values of that month divided. Agency totals only unless
    ``departments`` (then department rows too)."""
    wanted = [get_indicator(k) for k in keys]
    qs = MonthlyFigure.objects.filter(
        agency_id__in=list(agency_ids), indicator__in=summed_keys(keys), month__in=list(months)
    )
    if not departments:
        qs = qs.filter(department=None)
    values = {
        (agency_id, department_id, key, month): value
        for agency_id, department_id, key, month, value in qs.values_list(
            "agency_id", "department_id", "indicator", "month", "value"
        )
    }
    return _with_ratios(values, wanted)


def rollup_values(
    *, agency_ids: Iterable[int], keys: Iterable[str], years: Iterable[int]
) -> dict[tuple[int, None, str, date], Decimal]:
    """What ``monthly_values`` gives for the agency totals of whole ``years``, read from the yearly
    rollup: one row per agency, indicator and year instead of twelve monthly rows."""
    wanted = [get_indicator(k) for k in keys]
    rows = YearlyFigure.objects.filter(
        agency_id__any_of=list(agency_ids), indicator__in=summed_keys(keys), year__in=sorted(set(years))
    ).values_list("agency_id", "indicator", "year", *MONTH_FIELDS)
    values = {}
    for agency_id, key, year, *months in rows.order_by():
        for number, value in enumerate(months, start=1):
            if value is not None:
                values[(agency_id, None, key, date(year, number, 1))] = value
    return _with_ratios(values, wanted)


def _with_ratios(values: dict, wanted: list[Indicator]) -> dict:
    """``values`` with each ratio among ``wanted`` added: its parts' values of a month divided."""
    for indicator in wanted:
        if indicator.is_ratio:
            numerator, denominator = indicator.parts
            scale = indicator.aggregation.scale
            for agency_id, department_id, _key, month in [k for k in values if k[2] == numerator]:
                value = ratio_value(
                    values[(agency_id, department_id, numerator, month)],
                    values.get((agency_id, department_id, denominator, month)),
                    scale,
                )
                if value is not None:
                    values[(agency_id, department_id, indicator.key, month)] = value
    return values


def period_value(indicator: Indicator, monthly: Mapping[tuple[str, date], Decimal], months: Iterable[date]):
    """The indicator over ``months`` from one agency's (or department's) monthly values keyed by
    (indicator, month): each summed part added up over the months, then aggregated."""
    months = list(months)

    def summed(key: str) -> Decimal | None:
        present = [monthly[(key, m)] for m in months if (key, m) in monthly]
        return sum(present, Decimal(0)) if present else None

    return indicator_value(indicator, summed)


def totals_by_agency(
    *, indicator: str, months: Iterable[date], agency_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """Each agency's value of ``indicator`` over ``months`` — one GROUP BY for the whole city."""
    ind = get_indicator(indicator)
    qs = MonthlyFigure.objects.filter(indicator__in=ind.parts, month__in=list(months), department=None)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=list(agency_ids))
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in qs.values("agency_id", "indicator").annotate(total=Sum("value")).order_by():
        sums[row["agency_id"]][row["indicator"]] = row["total"]
    totals = {agency_id: indicator_value(ind, parts.get) for agency_id, parts in sums.items()}
    return {agency_id: value for agency_id, value in totals.items() if value is not None}
