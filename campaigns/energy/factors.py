"""The energy sources and conversion factors of ``fixtures/energy_factors.json``, and the factor
table a computation reads (one query): the latest factor of a carrier dated on or before a month."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FACTORS_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "energy_factors.json"


@dataclass(frozen=True)
class Source:
    """A registered indicator that is energy: its carrier and unit, and whether it is vehicle fuel
    (counted in comprehensive energy, not in the building's energy per m²)."""

    indicator: str
    carrier: str
    unit: str
    vehicle: bool


def sources_declared(path: Path = FACTORS_FILE) -> list[Source]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Source(s["indicator"], s["carrier"], s["unit"], bool(s["vehicle"])) for s in data["sources"]]


def factors_load(*, factor_model, path: Path = FACTORS_FILE) -> int:
    """Create or update every factor of the file (matched by carrier, kind and date); from the
    data migration, with its historical model."""
    data = json.loads(path.read_text(encoding="utf-8"))
    for row in data["factors"]:
        factor_model.objects.update_or_create(
            carrier=row["carrier"],
            kind=row["kind"],
            valid_from=date.fromisoformat(row["valid_from"]),
            defaults={"value": Decimal(row["value"]), "per": row["per"], "source": row["source"]},
        )
    return len(data["factors"])


class MissingFactor(ImproperlyConfigured):
    """No factor of a carrier applies to a month: add one in the admin (能源折算系数)."""


@dataclass(frozen=True)
class Applied:
    value: Decimal
    per: str


class FactorTable:
    """Every factor, by carrier and kind, in date order: ``at(carrier, kind, month)``."""

    def __init__(self, rows):
        self._rows: dict[tuple[str, str], list] = {}
        for row in sorted(rows, key=lambda r: r.valid_from):
            self._rows.setdefault((row.carrier, row.kind), []).append(row)
        self._dates = {key: [r.valid_from for r in rows] for key, rows in self._rows.items()}

    def begins(self, carrier: str, kinds: tuple[str, ...]) -> date:
        """The first month every one of ``kinds`` of a carrier applies to; ``MissingFactor`` when a
        kind has no factor at all."""
        firsts = []
        for kind in kinds:
            dates = self._dates.get((carrier, kind))
            if not dates:
                raise MissingFactor(f"No {kind} factor of {carrier} at all: add one in the admin.")
            firsts.append(dates[0])
        return max(firsts)

    def at(self, carrier: str, kind: str, month: date) -> Applied:
        rows = self._rows.get((carrier, kind), [])
        index = bisect.bisect_right(self._dates.get((carrier, kind), []), month) - 1
        if index < 0:
            raise MissingFactor(
                f"No {kind} factor of {carrier} applies to {month:%Y-%m}: add one in the admin."
            )
        return Applied(rows[index].value, rows[index].per)


def factor_table() -> FactorTable:
    """Every factor (one query). An empty table — a database flushed after its migrations, as
    transactional tests do — is filled with the fixture's factors first: they are the defaults the
    data migration loads; a table an admin has kept is never touched."""
    from .models import EnergyFactor

    rows = list(EnergyFactor.objects.all())
    if not rows:
        factors_load(factor_model=EnergyFactor)
        rows = list(EnergyFactor.objects.all())
    return FactorTable(rows)


def in_factor_unit(
    quantity: Decimal, *, unit: str, carrier: str, per: str, table: FactorTable, month: date
) -> Decimal:
    """``quantity`` of ``unit`` in the unit the factor is per: litres of fuel → kg by the
    carrier's density; the same unit as it is."""
    if unit == per:
        return quantity
    if unit == "L" and per == "kg":
        density = table.at(carrier, "density", month)
        return quantity * density.value
    raise MissingFactor(f"A {carrier} factor per {per} cannot convert a quantity in {unit}.")
