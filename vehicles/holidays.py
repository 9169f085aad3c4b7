"""Sealed periods (节假日封存停驶): the national statutory holidays, as data
(``fixtures/statutory_holidays.json``, from the State Council's yearly notices), and the agency's
own periods (``SealPeriod``). A dispatch order or a fuel log inside one is a violation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "statutory_holidays.json"


@dataclass(frozen=True)
class Sealed:
    name: str
    start: date
    end: date
    agency_id: int | None = None  # None: a national statutory holiday, for every agency
    source: str = ""

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and first <= self.end


@cache
def _data() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def statutory_holidays(years: Iterable[int] | None = None) -> list[Sealed]:
    """The national holidays of these years (all listed years when None), oldest first."""
    out = []
    for year, entry in sorted(_data()["years"].items()):
        if years is not None and int(year) not in set(years):
            continue
        for row in entry["holidays"]:
            out.append(
                Sealed(
                    row["name"],
                    date.fromisoformat(row["start"]),
                    date.fromisoformat(row["end"]),
                    None,
                    entry["source"],
                )
            )
    return out


def listed_years() -> list[int]:
    return sorted(int(y) for y in _data()["years"])


def sealed_periods(agency_ids: Sequence[int], first: date, last: date) -> list[Sealed]:
    """The national holidays and the agencies' own periods that touch ``first``..``last`` (one query)."""
    from reporting.registry import any_of_sql, sql_rows

    years = range(first.year - 1, last.year + 2)
    periods = [p for p in statutory_holidays(years) if p.overlaps(first, last)]
    where, params = any_of_sql("agency_id", agency_ids)
    own = sql_rows(  # hand-written: the dashboards' sealed-use alert reads it on every request
        f'SELECT name, start, "end", agency_id FROM vehicles_sealperiod WHERE {where}'
        ' AND start <= %s AND "end" >= %s',
        [*params, last, first],
    )
    periods += [Sealed(*row) for row in own]
    return sorted(periods, key=lambda p: (p.start, p.end, p.name))


def sealed_on(day: date, periods: Sequence[Sealed], agency_id: int) -> Sealed | None:
    return next((p for p in periods if p.agency_id in (None, agency_id) and p.covers(day)), None)


def sealed_between(first: date, last: date, periods: Sequence[Sealed], agency_id: int) -> Sealed | None:
    return next((p for p in periods if p.agency_id in (None, agency_id) and p.overlaps(first, last)), None)
