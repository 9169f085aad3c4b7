"""The agency dashboard's queries and numbers.

The agency dashboard reads the years with yearly facts, every year's targets that may apply (the
years offered and the period's targets, one query), the yearly facts and the other divisors of
every target base it shows (one query per base source), the targets' sums (one read of the yearly
rollup, ``reporting.targets``), the monthly series of every indicator for this year, last year and
the baseline years (one more read of the rollup), the department breakdown (one GROUP BY) and
each registered alert — never one query per agency, month or department.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from agencies import conventions
from agencies.models import Agency

from ..figures.lookups import db_values, sql_rows
from ..figures.read import period_value, rollup_values
from ..models import MonthlyFigure
from ..registry import PER_AREA, PER_CAPITA, TOTAL, AlertItem, Indicator, alerts, indicators
from ..targets.bases import divisors, in_base
from ..targets.evaluate import TargetResult, TargetStatus, choose_targets, targets_evaluate
from .common import (
    HUNDRED,
    PLACES,
    Period,
    chart_number,
    indicator_or_none,
    percent_change,
    period_resolve,
    target_years,
    targets_for,
    years_with_facts,
)

# --- Agency dashboard ---------------------------------------------------------------------------


def places_of(basis: str, indicator: Indicator | None) -> int:
    """Decimal places a figure is shown with: a total in whole units (89,517 千瓦时); a figure per
    person, m² or vehicle, or a ratio (L/100 km, a share), to 0.01 (9.78 立方米/人, 10.35 升/百公里)."""
    return 0 if basis == TOTAL and not (indicator and indicator.is_ratio) else 2


@dataclass
class TargetCard:
    result: TargetResult
    indicator: Indicator | None
    unit: str
    spark: list[float | None]  # this year's monthly values (in the target's basis)

    @property
    def places(self) -> int:
        return places_of(self.result.basis, self.indicator)

    @property
    def status(self) -> str:
        return self.result.status


@dataclass
class MonthlyChart:
    key: str
    title: str
    unit: str
    year: int
    last_year: int
    baseline_year: int
    this_year: list[Decimal | None]
    previous: list[Decimal | None]
    baseline: list[Decimal | None]
    target: list[Decimal | None]
    target_percent: Decimal
    places: int = 0

    @property
    def show_previous(self) -> bool:
        """Last year is a series of its own unless it is the baseline year."""
        return self.last_year != self.baseline_year

    def rows(self) -> list[dict]:
        """The table's twelve months, their numbers formatted as the page prints them."""
        places = self.places
        return [
            {
                "month": m + 1,
                "this_year": conventions.number(self.this_year[m], places),
                "previous": conventions.number(self.previous[m], places),
                "baseline": conventions.number(self.baseline[m], places),
                "target": conventions.number(self.target[m], places),
            }
            for m in range(12)
        ]

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "months": [_("Month %(m)s") % {"m": m} for m in range(1, 13)],
            "series": [
                {
                    "name": str(self.year),
                    "role": "this_year",
                    "data": [chart_number(v) for v in self.this_year],
                },
                *(
                    [
                        {
                            "name": str(self.last_year),
                            "role": "previous",
                            "data": [chart_number(v) for v in self.previous],
                        }
                    ]
                    if self.show_previous
                    else []
                ),
                {
                    "name": _("%(year)s (baseline)") % {"year": self.baseline_year},
                    "role": "baseline",
                    "data": [chart_number(v) for v in self.baseline],
                },
                {
                    "name": _("Target (−%(pct)s%%)") % {"pct": self.target_percent.normalize()},
                    "role": "target",
                    "data": [chart_number(v) for v in self.target],
                },
            ],
        }


@dataclass(frozen=True)
class YearFacts:
    """The year's 用能人数 and building area, as the page prints them."""

    year: int
    headcount: int
    building_area: Decimal | None


@dataclass
class IndicatorRow:
    """One top-level indicator's year to date, against last year's same months, per person and m²."""

    indicator: Indicator
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    per_capita: Decimal | None
    per_area: Decimal | None

    @property
    def places(self) -> int:
        return places_of(TOTAL, self.indicator)

    @property
    def has_per_capita(self) -> bool:
        return PER_CAPITA in self.indicator.bases

    @property
    def has_per_area(self) -> bool:
        return PER_AREA in self.indicator.bases


ONE_PLACE = Decimal("0.1")


def share_text(share: Decimal | None) -> str:
    """A share of a total as the dashboard prints it: one decimal (half up, no grouping, never
    −0.0 — what the template filter ``floatformat:1`` writes) and %; — without a share."""
    if share is None:
        return conventions.MISSING
    rounded = share.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)
    return f"{rounded if rounded else abs(rounded):f}%"


@dataclass
class ShareRow:
    name: str
    value: Decimal | None
    previous: Decimal | None
    change: Decimal | None
    share: Decimal | None  # % of the total of the group
    colour: str = ""  # the row's palette key (a breakdown indicator's ``colour``), "" for none

    def cells(self) -> dict[str, str]:
        """The row's numbers as the table prints them (formatted here: filters in the template
        cost more than the page's reads)."""
        return {
            "value": conventions.number(self.value, 0),
            "share": share_text(self.share),
            "previous": conventions.number(self.previous, 0),
            "change": conventions.signed_percent(self.change, 1),
        }


def uncovered_share(total: Decimal | None, parts: list[Decimal | None]) -> Decimal | None:
    """(total − the parts) ÷ total × 100, to 0.1; never below 0; None without a positive total."""
    if total is None or total <= 0:
        return None
    covered = sum((p for p in parts if p is not None), Decimal(0))
    return (max(total - covered, Decimal(0)) / total * HUNDRED).quantize(Decimal("0.1"))


@dataclass
class Breakdown:
    key: str
    title: str
    unit: str
    rows: list[ShareRow]
    total: Decimal | None = None  # the agency total of the period
    label: str = ""  # what the rows are (the parent's ``breakdown_label``); "" for the default

    @property
    def top(self) -> ShareRow | None:
        return self.rows[0] if self.rows and self.rows[0].value else None

    @property
    def uncovered_share(self) -> Decimal | None:
        """% of the agency total that no row measures (no section meter covers it)."""
        return uncovered_share(self.total, [r.value for r in self.rows])

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "unit": self.unit,
            "names": [r.name for r in self.rows],
            "values": [chart_number(r.value) for r in self.rows],
            "previous": [chart_number(r.previous) for r in self.rows],
            "colours": [r.colour for r in self.rows],  # palette keys, "" for the ordinary colours
        }


@dataclass
class AgencyDashboard:
    agency: Agency
    period: Period
    years: list[int]
    cards: list[TargetCard]
    charts: list[MonthlyChart]
    indicator_rows: list[IndicatorRow]
    departments: list[Breakdown]
    items: list[Breakdown]
    alerts: list[tuple[str, AlertItem]]
    facts: YearFacts | None
    target_years: list[int] = field(default_factory=list)

    @property
    def summary_departments(self) -> list[Breakdown]:
        """The breakdowns the summary names a top department of: those of the indicators with a
        target card (what the leader is judged on; the tables below show every indicator), or all
        of them when the period has no targets."""
        if not self.cards:
            return self.departments
        targeted = {card.result.indicator for card in self.cards}
        return [b for b in self.departments if b.key in targeted]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TargetStatus.values, 0)
        for card in self.cards:
            counts[card.status] += 1
        return counts

    def chart_data(self) -> dict:
        return {
            "monthly": [c.as_json() for c in self.charts],
            "sparks": {c.result.indicator: c.spark for c in self.cards},
            "departments": [b.as_json() for b in self.departments],
            "items": [b.as_json() for b in self.items],
            "labels": {"this_year": str(self.period.year), "previous": str(self.period.year - 1)},
        }


def _series(
    *, agency_id: int, keys: list[str], years: set[int]
) -> tuple[dict[tuple[str, int], list], dict[tuple[str, date], Decimal]]:
    """(indicator, year) → 12 monthly values (None where missing; a ratio's months divided from
    its parts'), and the monthly values by (indicator, month) for ``period_value``; one read of
    the yearly rollup."""
    series: dict[tuple[str, int], list] = defaultdict(lambda: [None] * 12)
    if not keys:
        return series, {}
    values = rollup_values(agency_ids=[agency_id], keys=keys, years=years)
    monthly = {(key, month): value for (_a, _d, key, month), value in values.items()}
    for (key, month), value in monthly.items():
        series[(key, month.year)][month.month - 1] = value
    return series, monthly


def _department_sums(*, agency_id: int, keys: list[str], year: int, through: int) -> dict:
    """(indicator, department id) → {name, order, now, prev}: months 1..``through`` of ``year``
    and of the year before, summed per department in one hand-written statement that groups before
    it joins the departments for their names (the ORM's GROUP BY joined first: at 3,000 agencies
    PostgreSQL hash-joined all 30,000 departments to name one agency's 80 groups, and building it
    took longer than running it at 100)."""
    if not keys:
        return {}
    this_start = date(year, 1, 1)
    previous_stop = date(year - 1, through + 1, 1) if through < 12 else this_start
    value = db_values(MonthlyFigure._meta.get_field("value")) or (lambda total: total)
    listed = ", ".join(["%s"] * len(keys))
    rows = sql_rows(
        "SELECT s.indicator, s.department_id, d.name, d.sort_order, s.this_year, s.total FROM ("
        " SELECT indicator, department_id, CASE WHEN month >= %s THEN 1 ELSE 0 END AS this_year,"
        " SUM(value) AS total FROM reporting_monthlyfigure"
        f" WHERE agency_id = %s AND department_id IS NOT NULL AND indicator IN ({listed})"
        " AND ((month >= %s AND month < %s) OR (month >= %s AND month <= %s))"
        " GROUP BY 1, 2, 3) s JOIN agencies_department d ON d.id = s.department_id",
        [
            this_start,
            agency_id,
            *keys,
            date(year - 1, 1, 1),
            previous_stop,
            this_start,
            date(year, through, 1),
        ],
    )
    result: dict = {}
    for indicator, department_id, name, order, this_year, total in rows:
        entry = result.setdefault(
            (indicator, department_id), {"name": name, "order": order, "now": None, "prev": None}
        )
        entry["now" if this_year else "prev"] = value(total)
    return result


def _share_rows(
    entries: list[tuple[str, Decimal | None, Decimal | None]], total: Decimal | None, colours=None
) -> list[ShareRow]:
    """Rows biggest first; the share is of the agency total (departments and items rarely cover it
    all). ``colours``: each entry's palette key, in the entries' order."""
    rows = [
        ShareRow(
            name=name,
            value=value,
            previous=prev,
            change=percent_change(value, prev),
            share=(value / total * HUNDRED).quantize(PLACES) if value is not None and total else None,
            colour=colours[i] if colours else "",
        )
        for i, (name, value, prev) in enumerate(entries)
    ]
    return sorted(rows, key=lambda r: (r.value is None, -(r.value or 0)))


def _in_base(values: list, divisor) -> list:
    return [in_base(v, divisor) for v in values]


def agency_dashboard(
    *, agency: Agency, year: int | None = None, quarter: int | None = None
) -> AgencyDashboard:
    years = years_with_facts(agency_ids=[agency.pk])
    targets = targets_for(agency_id=agency.pk)  # every year's: the years offered and the period's
    with_targets = target_years(targets=targets)
    period = period_resolve(year=year, quarter=quarter, years=years, with_targets=with_targets)
    through = period.as_of_month
    chosen = choose_targets([t for t in targets if t.year == period.year], agency_ids=[agency.pk])

    top = indicators(top_level_only=True)
    all_keys = [i.key for i in indicators()]
    wanted_years = {period.year, period.year - 1} | {t.baseline_year for t in chosen.values()}
    # one read of the divisors for the targets and for the page's per-person and per-m² figures
    used = {t.basis for t in chosen.values()} | {b for i in top for b in i.bases} | {PER_CAPITA, PER_AREA}
    found = divisors(bases=used - {TOTAL}, agency_ids=[agency.pk], years=wanted_years)
    results = targets_evaluate(
        agency_ids=[agency.pk], year=period.year, as_of_month=through, targets=chosen, found=found
    )
    series, monthly = _series(agency_id=agency.pk, keys=all_keys, years=wanted_years)
    headcount = found.get((PER_CAPITA, agency.pk, period.year))
    this_facts = (
        YearFacts(period.year, int(headcount), found.get((PER_AREA, agency.pk, period.year)))
        if headcount is not None
        else None
    )

    def divisor(basis: str, year: int):
        return 1 if basis == TOTAL else found.get((basis, agency.pk, year))

    def ytd(indicator: Indicator, year: int) -> Decimal | None:
        return period_value(indicator, monthly, [date(year, m, 1) for m in range(1, through + 1)])

    cards, charts = [], []
    for result in results:
        indicator = indicator_or_none(result.indicator)
        now_div = divisor(result.basis, period.year)
        this_year = _in_base(series[(result.indicator, period.year)], now_div)[:through] + [None] * (
            12 - through
        )
        baseline = _in_base(
            series[(result.indicator, result.baseline_year)], divisor(result.basis, result.baseline_year)
        )
        previous = _in_base(
            series[(result.indicator, period.year - 1)], divisor(result.basis, period.year - 1)
        )
        factor = (HUNDRED - result.target_percent) / HUNDRED
        cards.append(
            TargetCard(result, indicator, result.unit, [chart_number(v) for v in this_year[:through]])
        )
        charts.append(
            MonthlyChart(
                key=result.indicator,
                title=result.indicator_name,
                unit=result.unit,
                year=period.year,
                last_year=period.year - 1,
                baseline_year=result.baseline_year,
                this_year=this_year,
                previous=previous,
                baseline=baseline,
                target=[v * factor if v is not None else None for v in baseline],
                target_percent=result.target_percent,
                places=places_of(result.basis, indicator),
            )
        )

    indicator_rows = []
    for indicator in top:
        value, previous = ytd(indicator, period.year), ytd(indicator, period.year - 1)
        if value is None and previous is None:
            continue
        indicator_rows.append(
            IndicatorRow(
                indicator=indicator,
                value=value,
                previous=previous,
                change=percent_change(value, previous),
                per_capita=in_base(value, divisor(PER_CAPITA, period.year))
                if PER_CAPITA in indicator.bases
                else None,
                per_area=in_base(value, divisor(PER_AREA, period.year))
                if PER_AREA in indicator.bases
                else None,
            )
        )

    items = []
    for parent in [i for i in top if not i.is_ratio]:  # shares of a total: summed indicators only
        children = [i for i in indicators() if i.parent == parent.key and not i.is_ratio]
        entries = [
            (str(child.name), ytd(child, period.year), ytd(child, period.year - 1), child.colour)
            for child in children
        ]
        entries = [e for e in entries if e[1] is not None or e[2] is not None]
        if entries:
            total = ytd(parent, period.year)
            rows = _share_rows([e[:3] for e in entries], total, colours=[e[3] for e in entries])
            label = str(parent.breakdown_label) if parent.breakdown_label else ""
            unit = conventions.unit_label(parent.unit)  # 千瓦时 (docs/conventions.md)
            items.append(Breakdown(parent.key, str(parent.name), unit, rows, total, label=label))

    top = [i for i in top if not i.is_ratio]
    top_keys = [i.key for i in top]
    by_department = _department_sums(agency_id=agency.pk, keys=top_keys, year=period.year, through=through)
    departments = []
    for indicator in top:
        entries = [
            (entry["name"], entry["now"], entry["prev"])
            for (key, _dept), entry in sorted(by_department.items(), key=lambda kv: kv[1]["order"])
            if key == indicator.key
        ]
        if len(entries) >= 2:  # one department's bar says nothing a leader can compare
            total = ytd(indicator, period.year)
            rows = _share_rows(entries, total)
            departments.append(
                Breakdown(
                    indicator.key, str(indicator.name), conventions.unit_label(indicator.unit), rows, total
                )
            )

    return AgencyDashboard(
        agency=agency,
        period=period,
        years=years,
        cards=cards,
        charts=charts,
        indicator_rows=indicator_rows,
        departments=departments,
        items=items,
        alerts=alerts_collect(agency_ids=[agency.pk]),
        facts=this_facts,
        target_years=with_targets,
    )


def alerts_collect(*, agency_ids: list[int], as_of: date | None = None) -> list[tuple[str, AlertItem]]:
    """Every registered alert's items for these agencies: (alert name, item), worst first."""
    as_of = as_of or timezone.localdate()
    order = {"danger": 0, "warning": 1, "info": 2}
    found = []
    for alert in alerts():
        for item in alert.compute(agency_ids, as_of):
            found.append((str(alert.name), item))
    return sorted(found, key=lambda pair: (order.get(pair[1].level, 3), pair[0]))
