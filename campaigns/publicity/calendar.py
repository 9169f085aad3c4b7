"""The national days of energy and water publicity, as data (``fixtures/national_days.json``).

World Water Day and China Water Week fall on fixed dates every year; the National Energy
Conservation Week and the National Low-Carbon Day are announced each year by the NDRC and the
Ministry of Ecology and Environment, so each year's dates are a dated, sourced row of the file.
A year the file does not list yet simply has no such days marked; add them when announced.
"""

from __future__ import annotations

import calendar as _calendar
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from django.conf import settings

FIXTURE = Path("fixtures") / "national_days.json"


@dataclass(frozen=True)
class NationalDay:
    kind: str  # EventKind value
    start: date
    end: date
    theme: str
    source: str

    @property
    def label(self) -> str:
        from .models import EventKind

        return str(EventKind(self.kind).label)

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


@cache
def _data() -> dict:
    return json.loads((Path(settings.BASE_DIR) / FIXTURE).read_text(encoding="utf-8"))


def national_days(year: int) -> list[NationalDay]:
    """Every national day of ``year`` that the fixture knows, in date order."""
    data = _data()
    found = []
    for row in data["fixed"]:
        if year >= row["since"]:
            start = date(year, row["month"], row["day"])
            found.append(
                NationalDay(row["kind"], start, start + timedelta(days=row["days"] - 1), "", row["source"])
            )
    for row in data["announced"]:
        start, end = date.fromisoformat(row["start"]), date.fromisoformat(row["end"])
        if start.year == year:
            found.append(NationalDay(row["kind"], start, end, row.get("theme", ""), row["source"]))
    return sorted(found, key=lambda d: (d.start, d.kind))


def announced_years() -> list[int]:
    return sorted({date.fromisoformat(row["start"]).year for row in _data()["announced"]})


@dataclass(frozen=True)
class CalendarDay:
    day: date | None  # None: a blank cell before the 1st or after the last day
    national: tuple[NationalDay, ...] = ()
    events: tuple = ()


@dataclass(frozen=True)
class CalendarMonth:
    month: date
    weeks: list[list[CalendarDay]]


def year_calendar(year: int, events) -> list[CalendarMonth]:
    """Twelve month grids (weeks from Monday) with the national days and the agency's events."""
    days = national_days(year)
    by_day: dict[date, list] = {}
    for event in events:
        last = event.end_date or event.date
        current = event.date
        while current <= last:
            by_day.setdefault(current, []).append(event)
            current += timedelta(days=1)
    months = []
    for month in range(1, 13):
        weeks = []
        for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append(
                [
                    CalendarDay(
                        d,
                        tuple(n for n in days if n.covers(d)),
                        tuple(by_day.get(d, ())),
                    )
                    if d.month == month
                    else CalendarDay(None)
                    for d in week
                ]
            )
        months.append(CalendarMonth(date(year, month, 1), weeks))
    return months
