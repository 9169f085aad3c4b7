"""Everything the test app tells the spine, through the two public modules only."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from imports.registry import Column, ImportKind, RowError, Validated, WriteSummary, register_import_kind
from reporting.registry import (
    Alert,
    AlertItem,
    AnalysisReport,
    Figure,
    Indicator,
    Ratio,
    TargetBase,
    register_alert,
    register_indicator,
    register_report,
    register_target_base,
)

from .models import Fleet, Haul

FUEL, KM, PER_100KM, PER_TRUCK = "spineapp.fuel", "spineapp.km", "spineapp.l_per_100km", "spineapp.per_truck"
LONG_HAUL_KM = Decimal(5000)


def _summed(field: str):
    def compute(agency_ids, months) -> list[Figure]:
        rows = (
            Haul.objects.filter(agency_id__in=list(agency_ids), month__in=list(months))
            .values("agency_id", "month")
            .annotate(total=Sum(field))
            .order_by()
        )
        return [Figure(r["agency_id"], None, r["month"], r["total"]) for r in rows]

    return compute


def trucks(agency_ids, years) -> dict[tuple[int, int], Decimal]:
    rows = Fleet.objects.filter(agency_id__in=list(agency_ids), year__in=list(years))
    return {(f.agency_id, f.year): Decimal(f.trucks) for f in rows}


def long_hauls(agency_ids, as_of: date) -> list[AlertItem]:
    month = as_of.replace(day=1)
    rows = Haul.objects.filter(agency_id__in=list(agency_ids), month=month, km__gt=LONG_HAUL_KM)
    return [
        AlertItem(agency_id, f"{month:%Y-%m}: a haul over {LONG_HAUL_KM} km", "warning")
        for agency_id in sorted(set(rows.values_list("agency_id", flat=True)))
    ]


def _prepare(context):
    return {"agency": context.agency}


def _validate(state, values: dict, row: int) -> Validated:
    if values["km"] <= 0:
        raise RowError({"km": "the distance must be positive"})
    month = values["month"].replace(day=1)
    haul = Haul(agency=state["agency"], month=month, litres=values["litres"], km=values["km"])
    return Validated(record=haul, status="new", months=(month,))


def _write(state, records) -> WriteSummary:
    Haul.objects.bulk_create(records)
    return WriteSummary(created=len(records))


HAULS = ImportKind(
    key="spineapp_hauls",
    label="Hauls",
    columns=(
        Column("month", "Month", synonyms=("月份",), type="date"),
        Column("litres", "Litres", synonyms=("油耗",), type="decimal"),
        Column("km", "Km", synonyms=("里程",), type="decimal"),
    ),
    prepare=_prepare,
    validate=_validate,
    write=_write,
    indicators=(FUEL, KM),
)


def register() -> None:
    register_target_base(TargetBase(PER_TRUCK, "per truck", "/truck", trucks, order=40))
    register_indicator(
        Indicator(FUEL, "Haul fuel", "L", compute=_summed("litres"), bases=(PER_TRUCK,), order=950)
    )
    register_indicator(Indicator(KM, "Haul distance", "km", compute=_summed("km"), order=951))
    register_indicator(
        Indicator(
            PER_100KM, "Haul fuel per 100 km", "L/100km", aggregation=Ratio(FUEL, KM, Decimal(100)), order=952
        )
    )
    register_report(
        AnalysisReport("hauls", FUEL, "Haul fuel statistics and analysis report", related=(KM, PER_100KM))
    )
    register_alert(Alert("spineapp.long_hauls", "Long hauls", long_hauls))
    register_import_kind(HAULS)
