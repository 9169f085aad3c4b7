"""The readings import's short way for the commonest row against its full way (hypothesis).

``readings_validate`` answers a normal reading after the meter's last one with
``rules.appended_check`` instead of ``reading_check`` (#13.9: a file of 100,000 readings calls it
once per row). Run on random files against a ledger that already holds readings, the short way
must accept, refuse and record exactly what the full way does — the same records, statuses,
months and messages for every row, and the same state after the file.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from imports.registry import RowError
from ledger import importers
from ledger.importers import ReadingState, readings_validate
from ledger.rules import MeterFacts
from ledger.usage import Point, order_key

D = Decimal
START = date(2021, 1, 1)
METERS = {
    "E-1": (1, MeterFacts(6, D(40), D("0.35"), None, None, "kWh")),
    "E-2": (2, MeterFacts(4, D(1), D(1), date(2021, 1, 20), date(2021, 11, 30), "m³")),
}
EVENTS = ["normal"] * 6 + ["rollover", "replacement_final", "replacement_initial"]

_existing = st.lists(
    st.tuples(
        st.sampled_from([1, 2]),
        st.integers(min_value=0, max_value=120),  # days after START
        st.decimals(min_value=0, max_value=9000, places=1),
        st.sampled_from(["normal", "normal", "rollover"]),
    ),
    max_size=12,
)
_rows = st.lists(
    st.fixed_dictionaries(
        {
            "meter": st.sampled_from(["E-1", "E-1", "E-2", "E-9"]),
            "step": st.integers(min_value=-3, max_value=40),  # days after the meter's last row
            "delta": st.decimals(min_value=-50, max_value=3000, places=2),  # over its last value
            "event": st.sampled_from(EVENTS),
            "estimated": st.booleans(),
            "confirm_abnormal": st.booleans(),
            "note": st.sampled_from([None, "月末抄表"]),
            "cross": st.sampled_from([None, None, "previous", "usage", "wrong"]),
        }
    ),
    max_size=40,
)


def _state(existing) -> ReadingState:
    points = {1: [], 2: []}
    found = {}
    for pk, (meter_id, offset, value, event) in enumerate(existing, start=100):
        day = START + timedelta(days=offset)
        key = (meter_id, order_key(day, event))
        if key in found:
            continue
        found[key] = (pk, value, event, "actual", "")
        points[meter_id].append(Point(day, value, event))
    for meter_points in points.values():
        meter_points.sort(key=lambda p: p.key)
    return ReadingState(
        user_id=7,
        job_id=3,
        today=date(2021, 12, 31),
        meters=METERS,
        points=points,
        keys={meter_id: [p.key for p in meter_points] for meter_id, meter_points in points.items()},
        existing=found,
    )


def _values(rows) -> list[dict]:
    """The rows as the pipeline hands them over: each meter's dates and values run on from its
    last row, with a step back now and then, and a previous reading or usage written beside some."""
    last = {"E-1": (START + timedelta(days=130), D(9000)), "E-2": (START + timedelta(days=130), D(5000))}
    last["E-9"] = last["E-1"]
    out = []
    for row in rows:
        day, value = last[row["meter"]]
        day, value = day + timedelta(days=row["step"]), value + row["delta"]
        last[row["meter"]] = (day, value)
        cross = row["cross"]
        out.append(
            {
                "meter": row["meter"],
                "date": day,
                "value": value,
                "previous": None if cross != "previous" else last[row["meter"]][1] - row["delta"],
                "usage": {
                    "usage": row["delta"] * (D(14) if row["meter"] == "E-1" else 1),  # × multiplier × share
                    "wrong": row["delta"] + 7,
                }.get(cross),
                "event": row["event"],
                "estimated": row["estimated"],
                "confirm_abnormal": row["confirm_abnormal"],
                "note": row["note"],
            }
        )
    return out


def _run(state: ReadingState, rows: list[dict]) -> list:
    answers = []
    for number, values in enumerate(rows, start=2):
        try:
            answers.append(("ok", readings_validate(state, dict(values), number)))
        except RowError as error:
            answers.append(("error", {key: str(message) for key, message in error.errors.items()}))
    return answers


def _kept(state: ReadingState) -> tuple:
    rates = {meter_id: rates and list(rates._arrived) for meter_id, rates in state.rates.items()}
    return state.points, state.keys, state.seen, state.months, rates


@given(existing=_existing, rows=_rows)
def test_the_short_way_accepts_refuses_and_records_what_the_full_way_does(existing, rows):
    values = _values(rows)
    short_state = _state(existing)
    full_state = copy.deepcopy(short_state)
    with translation.override("en"):
        short = _run(short_state, values)
        with mock.patch.object(importers, "appended_check", lambda *args: None):  # every row the full way
            full = _run(full_state, values)
    assert short == full
    assert _kept(short_state) == _kept(full_state)


def test_the_short_way_is_taken_for_a_file_of_monthly_readings():
    # guards the comparison above: it compares something only if the short way is taken
    state = _state([])
    rows = [
        {"meter": "E-1", "date": date(2021, month, 28), "value": D(100 * month), "event": None}
        for month in range(1, 13)
    ]
    with mock.patch.object(importers, "appended_check", wraps=importers.appended_check) as short:
        answers = _run(state, rows)
    assert [status for status, _answer in answers] == ["ok"] * 12
    assert short.call_count == 11  # every row after the meter's first
