"""Reads of publicity events: the yearly count per kind."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear

from .models import Event, EventKind


@dataclass(frozen=True)
class KindCounts:
    """Events per kind and year (rows: kinds in their order; columns: years, oldest first)."""

    years: list[int]
    rows: list[tuple[str, str, list[int]]]  # (kind, label, count per year)
    totals: list[int]
    participants: list[int]


def counts_per_kind(events, *, years: list[int] | None = None) -> KindCounts:
    """One GROUP BY over ``events`` (a scoped queryset)."""
    grouped = (
        events.annotate(year=ExtractYear("date"))
        .values("year", "kind")
        .annotate(n=Count("pk"), people=Sum("participants"))
        .order_by()
    )
    counts: dict[tuple[int, str], int] = {}
    people: dict[int, int] = {}
    for row in grouped:
        counts[(row["year"], row["kind"])] = row["n"]
        people[row["year"]] = people.get(row["year"], 0) + (row["people"] or 0)
    years = sorted(years if years is not None else {year for year, _kind in counts})
    rows = [(k.value, str(k.label), [counts.get((y, k.value), 0) for y in years]) for k in EventKind]
    totals = [sum(counts.get((y, k), 0) for k in EventKind.values) for y in years]
    return KindCounts(years, rows, totals, [people.get(y, 0) for y in years])


def events_of(scope):
    return scope.filter(Event.objects, department_field="department")
