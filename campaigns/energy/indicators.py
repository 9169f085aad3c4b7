"""Comprehensive energy (综合能耗) and carbon emissions as indicators, derived from whichever energy
sources are registered (electricity, gas and heat of the ledger; petrol and diesel of the vehicles
ledger), with the dated factors of ``EnergyFactor``:

* ``energy`` — kgce of all energy, vehicle fuel included; per capita (人均综合能耗);
* ``energy_building`` — kgce without vehicle fuel; per m² of building area (单位建筑面积能耗);
* ``carbon`` — tCO₂ of all energy; per capita and per m².

Each month's quantity of a source is converted with the factors in force that month (litres of
fuel to kg by the density first), summed per agency, department and month, and rounded to 4
decimals (the fact table's). The derived figures begin where the factors do: a source's months
before the first date its factors apply from (2019-01, the baseline year, for the defaults) are
not converted — an agency that imports its 2016 ledger gets its 2016 electricity, not a 2016
carbon figure made with a later year's factors, and the months after are refreshed all the same.
A carrier without any factor of a kind raises ``MissingFactor``: the refresh logs it and keeps the
months stale until an admin adds one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from reporting.registry import PER_AREA, PER_CAPITA, Figure, Indicator, figures_of, register_indicator

from .factors import Source, factor_table, in_factor_unit, sources_declared

ENERGY, BUILDING, CARBON = "energy", "energy_building", "carbon"
KEYS = (ENERGY, BUILDING, CARBON)
PLACES = Decimal("0.0001")
THOUSAND = Decimal(1000)

_SOURCES: list[Source] = []  # the declared sources that were registered when ours were


def registered_sources() -> list[Source]:
    return list(_SOURCES)


def energy_figures(agency_ids: Sequence[int], months: Sequence[date], keys: Sequence[str]) -> dict:
    """kgce of all energy and of the building's, and tCO₂, per agency, department and month."""
    sources = registered_sources()
    table = factor_table()
    figures = figures_of([s.indicator for s in sources], agency_ids, months)  # once per refresh
    totals: dict[str, dict[tuple, Decimal]] = {key: {} for key in KEYS}
    for source in sources:
        found = figures.get(source.indicator, [])
        kinds = ("coal", "co2", "density") if source.unit == "L" else ("coal", "co2")
        begins = table.begins(source.carrier, kinds) if found else None
        for figure in found:
            if figure.month < begins:
                continue
            where = (figure.agency_id, figure.department_id, figure.month)
            coal = table.at(source.carrier, "coal", figure.month)
            co2 = table.at(source.carrier, "co2", figure.month)
            kgce = coal.value * in_factor_unit(
                figure.value,
                unit=source.unit,
                carrier=source.carrier,
                per=coal.per,
                table=table,
                month=figure.month,
            )
            kgco2 = co2.value * in_factor_unit(
                figure.value,
                unit=source.unit,
                carrier=source.carrier,
                per=co2.per,
                table=table,
                month=figure.month,
            )
            for key, value in ((ENERGY, kgce), (CARBON, kgco2 / THOUSAND)):
                totals[key][where] = totals[key].get(where, Decimal(0)) + value
            if not source.vehicle:
                totals[BUILDING][where] = totals[BUILDING].get(where, Decimal(0)) + kgce
    return {
        key: [
            Figure(a, d, m, v.quantize(PLACES, rounding=ROUND_HALF_UP))
            for (a, d, m), v in totals[key].items()
        ]
        for key in keys
    }


def _compute(key: str):
    def compute(agency_ids: Sequence[int], months: Sequence[date]) -> list[Figure]:
        return energy_figures(agency_ids, months, [key])[key]

    return compute


def register() -> None:
    """Called in ``CampaignsConfig.ready()``, after the ledgers registered their indicators."""
    from reporting.registry import indicators

    registered = {i.key for i in indicators()}
    _SOURCES[:] = [s for s in sources_declared() if s.indicator in registered]
    every = tuple(s.indicator for s in _SOURCES)
    building = tuple(s.indicator for s in _SOURCES if not s.vehicle)
    for key, name, unit, bases, derived, order in (
        (ENERGY, _("Comprehensive energy consumption"), "kgce", (PER_CAPITA,), every, 90),
        (BUILDING, _("Building energy consumption"), "kgce", (PER_AREA,), building, 91),
        (CARBON, _("Carbon emissions"), "tCO₂", (PER_CAPITA, PER_AREA), every, 92),
    ):
        register_indicator(
            Indicator(
                key=key,
                name=name,
                unit=unit,
                compute=_compute(key),
                compute_batch=energy_figures,
                bases=bases,
                order=order,
                derived_from=derived,
            )
        )
