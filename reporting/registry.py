"""What data apps register with reporting in ``AppConfig.ready()``: the one module they import from.

* **Indicators** — monthly quantities (electricity kWh, fuel L, …). A summed indicator's
  ``compute(agency_ids, months)`` returns ``Figure`` rows: one per (agency, month) with
  ``department_id=None`` for the agency total, plus optional rows per department. Breakdowns by
  item are indicators too, with a ``parent`` key. An indicator declares how it aggregates over
  months, departments and agencies: ``SUM`` (the default), or ``Ratio(numerator, denominator,
  scale)`` of two summed indicators (litres per 100 km, the recyclable share of waste) — a ratio
  has no ``compute`` and no rows of its own; every reader divides the sums of its two parts.
* **Target bases** — what a target's value is divided by before it is compared: the agency total,
  per capita (用能人数), per m² of building area, or a divisor an app registers (vehicles in use).
* **Analysis reports** — the statistics and analysis report (统计汇总和分析报告) of one indicator:
  the same page, Excel file and PDF for electricity, water and every ledger that registers one.
* **Alerts** — functions over a set of agencies that dashboards list.

Write services do not import this module for their writes: they call ``reporting.writes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

# The alerts' hand-written reads (see "Alerts" below), re-exported for the apps.
from .figures.lookups import any_of_sql as any_of_sql
from .figures.lookups import sql_rows as sql_rows


class Figure(NamedTuple):
    agency_id: int
    department_id: int | None
    month: date
    value: Decimal


ComputeFn = Callable[[Sequence[int], Sequence[date]], Iterable[Figure]]
# (agency ids, months, indicator keys) -> {key: figures}: several indicators from one pass
BatchComputeFn = Callable[[Sequence[int], Sequence[date], Sequence[str]], Mapping[str, Iterable[Figure]]]


# --- How an indicator aggregates -----------------------------------------------------------------


@dataclass(frozen=True)
class Sum:
    """Months, departments and agencies add up (kWh, m³, litres, kg, yuan)."""

    def parts(self, key: str) -> tuple[str, ...]:
        return (key,)


@dataclass(frozen=True)
class Ratio:
    """numerator ÷ denominator × scale, each summed over the period first — never a sum of ratios.

    ``Ratio("vehicles.fuel", "vehicles.distance", Decimal(100))`` is litres per 100 km;
    ``Ratio("waste.recyclable", "waste.total", Decimal(100))`` the recyclable share in %.
    """

    numerator: str
    denominator: str
    scale: Decimal = Decimal(1)

    def parts(self, key: str) -> tuple[str, ...]:
        return (self.numerator, self.denominator)


SUM = Sum()


# --- Indicators ----------------------------------------------------------------------------------

PALETTE_KEY = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")  # "group.name" of EcoPalette

# Target bases reporting registers itself (apps may register more, see TargetBase).
TOTAL, PER_CAPITA, PER_AREA = "total", "per_capita", "per_area"


@dataclass(frozen=True)
class Indicator:
    key: str  # "electricity", "electricity.air_conditioning"
    name: Any  # gettext_lazy, English source; Chinese in the catalogue
    unit: Any  # "kWh", "m³", "L", "kg" as they are; words translatable: gettext_lazy("yuan") → 元
    compute: ComputeFn | None = None  # required for a sum; None for a ratio
    aggregation: Sum | Ratio = SUM
    # Target bases besides the total whose figures make sense for this indicator; disclosures
    # and dashboards show the indicator in each (e.g. (PER_CAPITA,) for water per person).
    bases: tuple[str, ...] = ()
    parent: str | None = None  # breakdown of another indicator
    order: int = 100  # display order
    public: bool = True  # False: kept in the snapshot and the manager's pages, left off the public notice
    # Optional: indicators that share one computation (same function object) give it here;
    # figures_refresh then calls it once for all of them instead of each ``compute``. ``compute``
    # must still give the same figures on its own.
    compute_batch: BatchComputeFn | None = None
    # Summed indicators this one is computed from (综合能耗 from electricity, gas, fuel …): a write
    # that makes one of them stale makes this one stale too, and refreshing one refreshes this one
    # (``with_derived``). ``compute`` reads them from their own source rows, not from the fact table.
    derived_from: tuple[str, ...] = ()
    # How charts colour this indicator: a key of the one palette, static/js/palette.js
    # (``EcoPalette``), as "group.name" — "waste.recyclable" is EcoPalette.waste.recyclable. Empty:
    # the chart's ordinary series colours. A breakdown's colour is used for its bar.
    colour: str = ""
    # On a parent: what its breakdown rows are (gettext_lazy("Category") → 垃圾类别), the column
    # header and heading of the breakdown on dashboards and reports. None: sub-meter items (分项).
    breakdown_label: Any = None

    def __post_init__(self):
        if self.colour and not PALETTE_KEY.fullmatch(self.colour):
            raise ValueError(
                f"Indicator {self.key!r}: colour {self.colour!r} is not a palette key "
                "such as 'waste.recyclable'"
            )
        if isinstance(self.aggregation, Ratio):
            if self.compute is not None or self.compute_batch is not None:
                raise ValueError(f"Indicator {self.key!r}: a ratio is computed from its parts")
            if self.bases:
                raise ValueError(f"Indicator {self.key!r}: a ratio is not divided by a target base")
        elif self.compute is None:
            raise ValueError(f"Indicator {self.key!r}: a summed indicator needs compute")

    @property
    def is_ratio(self) -> bool:
        return isinstance(self.aggregation, Ratio)

    @property
    def parts(self) -> tuple[str, ...]:
        """The summed indicators this one is read from: itself, or a ratio's two parts."""
        return self.aggregation.parts(self.key)


_INDICATORS: dict[str, Indicator] = {}


def register_indicator(indicator: Indicator) -> Indicator:
    if indicator.key in _INDICATORS and _INDICATORS[indicator.key] is not indicator:
        raise ValueError(f"Indicator {indicator.key!r} is already registered")
    if indicator.parent and indicator.parent not in _INDICATORS:
        raise ValueError(f"Register the parent {indicator.parent!r} before {indicator.key!r}")
    for part in indicator.parts:
        if part != indicator.key and (part not in _INDICATORS or _INDICATORS[part].is_ratio):
            raise ValueError(f"Register the summed indicator {part!r} before the ratio {indicator.key!r}")
    for source in indicator.derived_from:
        if source not in _INDICATORS or _INDICATORS[source].is_ratio:
            raise ValueError(
                f"Register the summed indicator {source!r} before {indicator.key!r}, derived from it"
            )
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


def summed_keys(keys: Iterable[str]) -> list[str]:
    """The summed indicators behind ``keys`` (a ratio gives its two parts), in order, once each."""
    out: dict[str, None] = {}
    for key in keys:
        for part in get_indicator(key).parts:
            out.setdefault(part)
    return list(out)


def with_derived(keys: Iterable[str]) -> list[str]:
    """``keys`` and every registered indicator derived from them, directly or through another, in
    order, once each: what a write of ``keys``' source rows makes stale."""
    out: dict[str, None] = dict.fromkeys(keys)
    changed = True
    while changed:
        changed = False
        for indicator in indicators():
            if indicator.key not in out and any(source in out for source in indicator.derived_from):
                out[indicator.key] = None
                changed = True
    return list(out)


def derivation_depth(indicator: Indicator) -> int:
    """0 for an indicator read from its own rows; 1 + its deepest source's for a derived one."""
    return max((1 + derivation_depth(get_indicator(s)) for s in indicator.derived_from), default=0)


# --- Figures computed once per refresh -------------------------------------------------------------

_SHARED: ContextVar[dict | None] = ContextVar("reporting_shared_figures", default=None)


@contextmanager
def figures_shared() -> Iterator[dict]:
    """Within the block, figures computed for a set of agencies and months are kept and given again
    to ``figures_of`` for the same set: a refresh computes electricity once, not again for the
    comprehensive energy derived from it. Yields the store, {(key, agencies, months): figures}."""
    store: dict = {}
    token = _SHARED.set(store)
    try:
        yield store
    finally:
        _SHARED.reset(token)


def shared_key(key: str, agency_ids: Sequence[int], months: Sequence[date]) -> tuple:
    return (key, tuple(agency_ids), tuple(months))


def figures_of(
    keys: Sequence[str], agency_ids: Sequence[int], months: Sequence[date]
) -> dict[str, list[Figure]]:
    """The figures of the summed indicators ``keys`` from their own computations (one call per
    group sharing a ``compute_batch``): what a derived indicator's ``compute`` reads its sources
    with. Inside ``figures_shared`` a figure set already computed is not computed again."""
    store = _SHARED.get()
    found: dict[str, list[Figure]] = {}
    groups: dict = {}
    for key in keys:
        if store is not None and (hit := store.get(shared_key(key, agency_ids, months))) is not None:
            found[key] = hit
            continue
        indicator = get_indicator(key)
        groups.setdefault(indicator.compute_batch or indicator.key, []).append(indicator)
    for batch, members in groups.items():
        if callable(batch):
            result = batch(agency_ids, months, [i.key for i in members])
            computed = {i.key: list(result[i.key]) for i in members}
        else:
            computed = {members[0].key: list(members[0].compute(agency_ids, months))}
        found.update(computed)
        if store is not None:
            store.update({shared_key(k, agency_ids, months): v for k, v in computed.items()})
    return found


# --- Target bases ----------------------------------------------------------------------------------

# (agency ids, years) -> {(agency id, year): divisor}; one or two queries for any number of agencies.
DivisorFn = Callable[[Sequence[int], Sequence[int]], Mapping[tuple[int, int], Decimal]]


@dataclass(frozen=True)
class TargetBase:
    """What a target's figures are divided by: each year's own divisor (用能人数 of that year, …).

    ``divisor=None`` is the agency total. ``per`` is the unit's suffix, translatable
    (gettext_lazy("/person") → /人).
    """

    key: str  # "per_capita", "per_vehicle"
    name: Any  # gettext_lazy("per capita"), gettext_lazy("per vehicle in use")
    per: Any  # gettext_lazy("/person"), "/m²"
    divisor: DivisorFn | None = None
    order: int = 100
    # The divisor in a report's sentence, ``%(n)s`` its number: gettext_lazy("%(n)s energy-using
    # people") → 用能人数%(n)s人. Empty: "÷ 46".
    divisor_text: Any = ""


_TARGET_BASES: dict[str, TargetBase] = {}


def register_target_base(base: TargetBase) -> TargetBase:
    if base.key in _TARGET_BASES and _TARGET_BASES[base.key] is not base:
        raise ValueError(f"Target base {base.key!r} is already registered")
    _TARGET_BASES[base.key] = base
    return base


def unregister_target_base(key: str) -> None:
    """For tests that register a temporary base."""
    _TARGET_BASES.pop(key, None)


def target_bases() -> list[TargetBase]:
    return sorted(_TARGET_BASES.values(), key=lambda b: (b.order, b.key))


def get_target_base(key: str) -> TargetBase:
    try:
        return _TARGET_BASES[key]
    except KeyError:
        raise LookupError(f"No target base {key!r} is registered") from None


def indicator_name(key: str) -> str:
    """The registered indicator's name (用电), or the key of one no longer registered."""
    indicator = _INDICATORS.get(key)
    return str(indicator.name) if indicator else key


def target_base_name(key: str) -> str:
    """The registered target base's name (人均), or the key of one no longer registered."""
    base = _TARGET_BASES.get(key)
    return str(base.name) if base else key


# --- Analysis reports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisReport:
    """A statistics and analysis report (统计汇总和分析报告) of one summed indicator.

    The report shows the indicator's total, months, departments and registered breakdowns against
    last year and the baseline year, the target, and ``related`` indicators beside it (e.g. the
    distance and litres per 100 km beside fuel). ``key`` names it in URLs.
    """

    key: str  # "electricity"
    indicator: str
    title: Any  # gettext_lazy("Electricity consumption statistics and analysis report")
    related: tuple[str, ...] = ()
    order: int = 100


_REPORTS: dict[str, AnalysisReport] = {}


def register_report(report: AnalysisReport) -> AnalysisReport:
    if report.key in _REPORTS and _REPORTS[report.key] is not report:
        raise ValueError(f"Report {report.key!r} is already registered")
    for key in (report.indicator, *report.related):
        get_indicator(key)  # registered first, or LookupError
    if get_indicator(report.indicator).is_ratio:
        raise ValueError(
            f"Report {report.key!r}: the report's own indicator is a sum; a ratio goes in related"
        )
    _REPORTS[report.key] = report
    return report


def unregister_report(key: str) -> None:
    _REPORTS.pop(key, None)


def reports() -> list[AnalysisReport]:
    return sorted(_REPORTS.values(), key=lambda r: (r.order, r.key))


def get_report(key: str) -> AnalysisReport:
    try:
        return _REPORTS[key]
    except KeyError:
        raise LookupError(f"No report {key!r} is registered") from None


# --- Alerts ----------------------------------------------------------------------------------------


class AlertItem(NamedTuple):
    agency_id: int
    message: str
    level: str = "warning"  # "info" | "warning" | "danger"
    url: str = ""


AlertFn = Callable[[Sequence[int], date], Iterable[AlertItem]]
# Every dashboard and home page runs every alert: an alert reads with one hand-written statement,
# ``sql_rows(f"SELECT … WHERE {where} …", [*ids, …])`` with ``where, ids = any_of_sql(column,
# agency_ids)``, where its ORM query took several times longer to build than to run.


@dataclass(frozen=True)
class Alert:
    key: str
    name: Any
    compute: AlertFn  # (agency ids, as-of date) -> alert items, in a fixed number of queries


_ALERTS: dict[str, Alert] = {}


def register_alert(alert: Alert) -> Alert:
    if alert.key in _ALERTS and _ALERTS[alert.key] is not alert:
        raise ValueError(f"Alert {alert.key!r} is already registered")
    _ALERTS[alert.key] = alert
    return alert


def unregister_alert(key: str) -> None:
    _ALERTS.pop(key, None)


def alerts() -> list[Alert]:
    return sorted(_ALERTS.values(), key=lambda a: a.key)
