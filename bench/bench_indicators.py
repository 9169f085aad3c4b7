"""Indicators the disclosure benchmark registers, in its own process and in its Celery worker (-I).

Twenty keys shaped like the ledgers' (top-level and breakdowns); their data is written
straight into MonthlyFigure by the benchmark, so ``compute`` returns nothing.
"""

import contextlib

from reporting.registry import PER_AREA, PER_CAPITA, Indicator, register_indicator


def _none(agency_ids, months):
    return []


TOP = [
    ("bench.electricity", "kWh", False, True),
    ("bench.water", "m³", True, False),
    ("bench.gas", "m³", False, True),
    ("bench.heat", "GJ", False, True),
    ("bench.energy_cost", "yuan", False, False),
    ("bench.fuel", "L", False, False),
    ("bench.paper", "ream", True, False),
    ("bench.consumables", "yuan", True, False),
]
BREAKDOWNS = [
    ("bench.electricity", ["ac", "lighting", "office", "kitchen", "lift", "it", "other"]),
    ("bench.water", ["kitchen", "toilets"]),
    ("bench.fuel", ["petrol", "diesel", "lpg"]),
]


def register() -> list[str]:
    keys = []
    for order, (key, unit, per_capita, per_area) in enumerate(TOP):
        with contextlib.suppress(ValueError):  # already registered in this process
            register_indicator(
                Indicator(key=key, name=key, unit=unit, compute=_none, order=900 + order * 10,
                          bases=(PER_CAPITA,) * per_capita + (PER_AREA,) * per_area)
            )  # fmt: skip
        keys.append(key)
    for parent, items in BREAKDOWNS:
        for i, item in enumerate(items):
            key = f"{parent}.{item}"
            unit = next(u for k, u, _pc, _pa in TOP if k == parent)
            with contextlib.suppress(ValueError):
                register_indicator(
                    Indicator(key=key, name=key, unit=unit, compute=_none, parent=parent, order=901 + i)
                )
            keys.append(key)
    return keys


KEYS = register()
