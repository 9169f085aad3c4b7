"""Registries that data apps fill in ``AppConfig.ready()``; reporting knows apps only through them.

An indicator is a monthly quantity (electricity kWh, water m³, …). Its ``compute`` function
returns the values of a set of agencies and months in a few queries, as ``Figure`` rows: one
row per (agency, month) with ``department_id=None`` for the agency total, plus optional rows per
department for the breakdown. Breakdowns by item are indicators too, with a ``parent`` key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple


class Figure(NamedTuple):
    agency_id: int
    department_id: int | None
    month: date
    value: Decimal


ComputeFn = Callable[[Sequence[int], Sequence[date]], Iterable[Figure]]
# (agency ids, months, indicator keys) -> {key: figures}: several indicators from one pass
BatchComputeFn = Callable[[Sequence[int], Sequence[date], Sequence[str]], Mapping[str, Iterable[Figure]]]


@dataclass(frozen=True)
class Indicator:
    key: str  # "electricity", "electricity.air_conditioning"
    name: Any  # gettext_lazy, English source; Chinese in the catalogue
    unit: Any  # "kWh", "m³", "L", "kg" as they are; words translatable: gettext_lazy("yuan") → 元
    compute: ComputeFn
    per_capita: bool = False  # per-capita figures make sense (÷ AgencyYear.headcount)
    per_area: bool = False  # per-m² figures make sense (÷ AgencyYear.building_area)
    parent: str | None = None  # breakdown of another indicator
    lower_is_better: bool = True
    order: int = 100  # display order
    # Optional: indicators that share one computation (same function object) give it here;
    # figures_refresh then calls it once for all of them instead of each ``compute``. ``compute``
    # must still give the same figures on its own.
    compute_batch: BatchComputeFn | None = None

    @property
    def is_breakdown(self) -> bool:
        return self.parent is not None


class AlertItem(NamedTuple):
    agency_id: int
    message: str
    level: str = "warning"  # "info" | "warning" | "danger"
    url: str = ""


AlertFn = Callable[[Sequence[int], date], Iterable[AlertItem]]


@dataclass(frozen=True)
class Alert:
    key: str
    name: Any
    compute: AlertFn  # (agency ids, as-of date) -> alert items, in a fixed number of queries


_INDICATORS: dict[str, Indicator] = {}
_ALERTS: dict[str, Alert] = {}


def register_indicator(indicator: Indicator) -> Indicator:
    if indicator.key in _INDICATORS and _INDICATORS[indicator.key] is not indicator:
        raise ValueError(f"Indicator {indicator.key!r} is already registered")
    if indicator.parent and indicator.parent not in _INDICATORS:
        raise ValueError(f"Register the parent {indicator.parent!r} before {indicator.key!r}")
    _INDICATORS[indicator.key] = indicator
    return indicator


def unregister_indicator(key: str) -> None:
    """For tests that register a temporary indicator."""
    _INDICATORS.pop(key, None)


def indicators(*, top_level_only: bool = False) -> list[Indicator]:
    items = sorted(_INDICATORS.values(), key=lambda i: (i.order, i.key))
    return [i for i in items if not (top_level_only and i.parent)]


def get_indicator(key: str) -> Indicator:
    try:
        return _INDICATORS[key]
    except KeyError:
        raise LookupError(f"No indicator {key!r} is registered") from None


def register_alert(alert: Alert) -> Alert:
    if alert.key in _ALERTS and _ALERTS[alert.key] is not alert:
        raise ValueError(f"Alert {alert.key!r} is already registered")
    _ALERTS[alert.key] = alert
    return alert


def unregister_alert(key: str) -> None:
    _ALERTS.pop(key, None)


def alerts() -> list[Alert]:
    return sorted(_ALERTS.values(), key=lambda a: a.key)
