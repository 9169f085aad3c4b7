"""What the agency dashboard, the city overview and the reports share: the period, chart numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.conventions import months_label
from agencies.models import AgencyYear

from ..figures.lookups import any_of_sql, sql_rows
from ..models import Target
from ..periods import Quarter, months_of_year
from ..registry import Indicator, get_indicator

HUNDRED = Decimal(100)
PLACES = Decimal("0.01")


def percent_change(new: Decimal | None, old: Decimal | None) -> Decimal | None:
    if new is None or old is None or old == 0:
        return None
    return ((new - old) / old * HUNDRED).quantize(PLACES)


def chart_number(value: Decimal | None) -> float | None:
    """A chart number (ECharts reads JSON numbers); tables keep the Decimal."""
    return None if value is None else float(Decimal(value).quantize(PLACES))


def indicator_or_none(key: str) -> Indicator | None:
    try:
        return get_indicator(key)
    except LookupError:
        return None


@dataclass(frozen=True)
class Period:
    """Year to date through the end of a quarter (or the whole year when quarter is None)."""

    year: int
    quarter: int | None = None

    @property
    def as_of_month(self) -> int:
        return self.quarter * 3 if self.quarter else 12

    @property
    def months(self) -> list[date]:
        return months_of_year(self.year, through=self.as_of_month)

    @property
    def label(self) -> str:
        """2020年1—9月 / Jan–Sep 2020 (docs/conventions.md), or the whole year."""
        if self.quarter:
            return months_label(1, self.as_of_month, self.year)
        return _("%(year)s, the whole year") % {"year": self.year}

    @property
    def query(self) -> str:
        """The dashboards' query string for this period: ``?year=2020&quarter=3``."""
        return f"?year={self.year}" + (f"&quarter={self.quarter}" if self.quarter else "")

    @classmethod
    def last_ended(cls, today: date) -> Period:
        """The year to date through the last quarter that has ended (the one whose notice is
        due); after the fourth, the whole year."""
        quarter = last_quarter(today)
        return cls(year=quarter.year, quarter=quarter.number if quarter.number < 4 else None)


def last_quarter(today: date) -> Quarter:
    """The last quarter that has ended: the one whose notice is due."""
    return Quarter.containing(today).previous()


def years_with_facts(*, agency_ids: list[int] | None = None) -> list[int]:
    """Years with yearly facts (用能人数, areas), newest first — the years an agency reports on.

    Read from AgencyYear (agencies × years rows) rather than the fact table, whose DISTINCT
    years would cost a scan of every monthly figure of the city; hand-written, as every dashboard
    reads it (its ORM query cost more to build than to run).
    """
    where, params = any_of_sql("agency_id", agency_ids) if agency_ids is not None else ("1 = 1", [])
    this_year = timezone.localdate().year
    years = sql_rows(f"SELECT DISTINCT year FROM {AgencyYear._meta.db_table} WHERE {where}", params)
    return sorted({y for (y,) in years if y <= this_year}, reverse=True)


def targets_for(*, agency_id: int | None = None) -> list[Target]:
    """Every year's targets that may apply: the defaults and, given an agency, its own; one query."""
    qs = Target.objects.filter(agency__isnull=True)
    if agency_id is not None:
        qs = Target.objects.filter(Q(agency__isnull=True) | Q(agency_id=agency_id))
    return list(qs.order_by())


def target_years(*, agency_id: int | None = None, targets: list[Target] | None = None) -> list[int]:
    """Years with targets (the defaults and, given an agency, its own), newest first; one query,
    none when the caller passes the targets it has read (``targets_for``)."""
    if targets is None:
        targets = targets_for(agency_id=agency_id)
    return sorted({t.year for t in targets}, reverse=True)


def period_resolve(
    *, year: int | None, quarter: int | None, years: list[int], with_targets: list[int], today=None
) -> Period:
    """The asked period. None asked: the year to date through the last quarter that has ended,
    as the home page shows it, when that year has yearly facts (a year in progress has no whole
    year to judge: its missing months would leave every target at risk); else the newest year with
    facts that has targets (what a leader opens the page for), else the newest year with facts,
    else this year — the whole year."""
    if year is None and quarter is None:
        last = Period.last_ended(today or timezone.localdate())
        if last.year in years:
            return last
    if year is None:
        targeted = [y for y in years if y in with_targets]
        year = (targeted or years or [timezone.localdate().year])[0]
    return Period(year=year, quarter=quarter)
