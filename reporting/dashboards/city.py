"""The city overview (全市概览): every agency's target status, the share on track against the
programme goal, the ranking by reduction and who has not published — a fixed number of queries
for any number of agencies (the targets' evaluation runs once for all of them, and between
requests only for the agencies whose figures, targets or divisors changed: ``targets/cache.py``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from agencies import conventions
from agencies.models import Agency

from ..disclosures.alerts import published_agency_ids
from ..models import ProgrammeGoal
from ..periods import Quarter
from ..targets.cache import targets_evaluate_cached
from ..targets.evaluate import STATUS_MARKS, TargetResult, TargetStatus
from .common import (
    HUNDRED,
    Period,
    chart_number,
    indicator_or_none,
    period_resolve,
    target_years,
    years_with_facts,
)

PAGE_SIZE = 100  # agencies per page of the status table and of the ranking


class CityAgency(NamedTuple):
    """What the city overview prints of an agency: a province's 3,000 are read as tuples (6 ms),
    not as models (25–45 ms a request)."""

    pk: int
    code: str
    name: str
    short_name: str

    display_name = property(Agency.display_name.fget)  # the model's rule: the short name, else the name


def city_agencies(agencies: QuerySet[Agency]) -> list[CityAgency]:
    """The agencies of ``agencies`` as the city overview reads them, in the queryset's order."""
    return [CityAgency(*row) for row in agencies.values_list("pk", "code", "name", "short_name")]


@dataclass
class AgencyStatus:
    agency: CityAgency
    results: dict[str, TargetResult]
    unpublished: bool = False

    @cached_property  # read per row by the share, the counts and the table
    def on_track(self) -> bool:
        return bool(self.results) and all(r.status == TargetStatus.MET for r in self.results.values())

    def change(self, key: str) -> Decimal | None:
        result = self.results.get(key)
        return result.change_percent if result else None


@dataclass
class CityDashboard:
    period: Period
    years: list[int]
    rows: list[AgencyStatus]
    target_keys: list[str]
    rank_key: str | None
    goal: ProgrammeGoal | None
    goals: list[ProgrammeGoal]
    disclosure_quarter: str | None = None
    unpublished: list[CityAgency] = field(default_factory=list)
    target_years: list[int] = field(default_factory=list)

    @property
    def target_columns(self) -> list[tuple[str, str, str]]:
        columns = []
        for key in self.target_keys:
            indicator = indicator_or_none(key)
            columns.append(
                (
                    key,
                    str(indicator.name) if indicator else key,
                    conventions.unit_label(indicator.unit) if indicator else "",
                )
            )
        return columns

    @property
    def closed(self) -> bool:
        """The period's year is over: an agency not on track did not make it (否), not "not yet"."""
        return self.period.year < timezone.localdate().year

    @cached_property  # the counts cover a province's 3,000 rows; the page reads each several times
    def with_targets(self) -> list[AgencyStatus]:
        return [r for r in self.rows if r.results]

    @cached_property
    def on_track_count(self) -> int:
        return sum(1 for r in self.rows if r.on_track)

    @cached_property
    def on_track_share(self) -> Decimal | None:
        total = len(self.with_targets)
        return (Decimal(self.on_track_count) / total * HUNDRED).quantize(Decimal("0.1")) if total else None

    @property
    def goal_reached(self) -> bool | None:
        if self.goal is None or self.on_track_share is None:
            return None
        return self.on_track_share >= self.goal.share_percent

    def status_counts(self, key: str) -> dict[str, int]:
        counts = dict.fromkeys(TargetStatus.values, 0)
        for row in self.rows:
            if key in row.results:
                counts[row.results[key].status] += 1
        return counts

    @cached_property  # read by the ranking table and the chart: 3,000 agencies sorted once
    def ranking(self) -> list[AgencyStatus]:
        if not self.rank_key:
            return []
        ranked = [r for r in self.rows if r.change(self.rank_key) is not None]
        return sorted(ranked, key=lambda r: (r.change(self.rank_key), r.agency.code))

    @property
    def pages(self) -> int:
        """Pages of ``PAGE_SIZE`` agencies (the status table and the ranking are printed a page at
        a time: a province's 3,000 agencies are counted in full, never printed at once)."""
        return max(1, -(-len(self.rows) // PAGE_SIZE))

    def page_slice(self, page: int) -> slice:
        page = min(max(1, page), self.pages)
        return slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)

    def table(self, page: int | None = None) -> list[dict]:
        """Every agency's row (one page of them when ``page`` is given), ready to print: a status
        cell per target column, and those cells as the page prints them (``cells_html``: rendering
        agencies × targets through template tags and filters cost more than the queries)."""
        labels = {status: TargetStatus(status).label for status in TargetStatus.values}
        rows = []
        for row in self.rows if page is None else self.rows[self.page_slice(page)]:
            cells = []
            for key in self.target_keys:
                result = row.results.get(key)
                if result is None:
                    cells.append(None)
                    continue
                cells.append(
                    {
                        "status": result.status,
                        "text": f"{STATUS_MARKS[result.status]} {labels[result.status]}",
                        "change": _signed_text(result.change_percent),
                    }
                )
            rows.append(
                {
                    "agency": row.agency,
                    "cells": cells,
                    "cells_html": _cells_html(cells),
                    "on_track": row.on_track,
                }
            )
        return rows

    def ranking_table(self, page: int | None = None) -> list[dict]:
        out = []
        ranked = list(enumerate(self.ranking, start=1))
        for rank, row in ranked if page is None else ranked[self.page_slice(page)]:
            result = row.results[self.rank_key]
            out.append(
                {
                    "rank": rank,
                    "name": row.agency.display_name,
                    "change": _signed_text(result.change_percent, 2),
                    "status": result.status,
                    "text": f"{STATUS_MARKS[result.status]} {result.status_label}",
                }
            )
        return out

    def chart_data(self, page: int | None = None) -> dict:
        ranking = self.ranking if page is None else self.ranking[self.page_slice(page)]
        return {
            "ranking": {
                "title": {k: n for k, n, _u in self.target_columns}.get(self.rank_key, ""),
                "names": [r.agency.display_name for r in ranking],
                "values": [chart_number(r.change(self.rank_key)) for r in ranking],
                "statuses": [r.results[self.rank_key].status for r in ranking],
            },
            "statuses": {key: self.status_counts(key) for key in self.target_keys},
        }


def _cells_html(cells: list[dict | None]) -> str:
    """A row's status cells: the badge and the change, – where the target does not apply."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<td><span class="status-badge status-{}">{}</span> <span class="small">{}</span></td>',
                    cell["status"],
                    cell["text"],
                    cell["change"],
                )
                if cell
                else NO_CELL,
            )
            for cell in cells
        ),
    )


NO_CELL = mark_safe('<td><span class="text-muted">–</span></td>')


def _signed_text(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "–"
    sign = "−" if value < 0 else ("+" if value > 0 else "±")
    return f"{sign}{abs(value):.{places}f}%"


def goal_for(*, year: int, goals: list[ProgrammeGoal]) -> ProgrammeGoal | None:
    """The goal that applies to ``year``: the nearest one due in or after it, else the last one."""
    upcoming = [g for g in goals if g.year >= year]
    if upcoming:
        return upcoming[0]
    return goals[-1] if goals else None


def city_dashboard(
    *,
    agencies: list[CityAgency],
    year: int | None = None,
    quarter: int | None = None,
    rank: str | None = None,
) -> CityDashboard:
    agency_ids = [a.pk for a in agencies]
    years = years_with_facts()
    with_targets = target_years()
    period = period_resolve(year=year, quarter=quarter, years=years, with_targets=with_targets)
    results = targets_evaluate_cached(agency_ids=agency_ids, year=period.year, as_of_month=period.as_of_month)
    by_agency: dict[int, dict[str, TargetResult]] = defaultdict(dict)
    for result in results:
        by_agency[result.agency_id][result.indicator] = result
    target_keys = sorted(
        {r.indicator for r in results}, key=lambda k: (getattr(indicator_or_none(k), "order", 999), k)
    )
    rows = [AgencyStatus(agency=a, results=by_agency.get(a.pk, {})) for a in agencies]
    goals = list(ProgrammeGoal.objects.all())
    # "Last quarter": the period's last quarter, never one that has not ended yet.
    disclosure_quarter = min(
        Quarter(period.year, (period.as_of_month - 1) // 3 + 1),
        Quarter.containing(timezone.localdate()).previous(),
    )
    published = published_agency_ids(agency_ids=agency_ids, quarter=disclosure_quarter)
    dashboard = CityDashboard(
        period=period,
        years=years,
        rows=rows,
        target_keys=target_keys,
        rank_key=rank if rank in target_keys else (target_keys[0] if target_keys else None),
        goal=goal_for(year=period.year, goals=goals),
        goals=goals,
        disclosure_quarter=disclosure_quarter.label,
        unpublished=[a for a in agencies if a.pk not in published],
        target_years=with_targets,
    )
    return dashboard
