"""Comprehensive energy (综合能耗, kgce) and carbon (tCO₂): the factors as dated, sourced data, the
conversion, the indicators derived from whichever sources are registered, and the demo bureau's
2020 worked out by hand from its raw readings."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from campaigns.energy import indicators as energy
from campaigns.energy.factors import FACTORS_FILE, MissingFactor, Source, factor_table, in_factor_unit
from campaigns.energy.models import EnergyFactor
from campaigns.energy.services import factor_changed, factor_months
from ledger.models import Reading
from reporting import registry
from reporting.models import MonthlyFigure
from reporting.registry import PER_AREA, PER_CAPITA, Figure, Indicator
from tests.demo_snapshot import seed_demo

pytestmark = pytest.mark.django_db
D = Decimal


# --- the factors are data ------------------------------------------------------------------------


def test_every_factor_of_the_fixture_is_loaded_with_its_date_and_source():
    data = json.loads(FACTORS_FILE.read_text(encoding="utf-8"))
    stored = {(f.carrier, f.kind, f.valid_from): (f.value, f.per) for f in EnergyFactor.objects.all()}
    expected = {
        (r["carrier"], r["kind"], date.fromisoformat(r["valid_from"])): (D(r["value"]), r["per"])
        for r in data["factors"]
    }
    assert stored == expected
    assert all(f.source.strip() for f in EnergyFactor.objects.all())


@pytest.mark.parametrize(
    ("carrier", "kind", "value", "per"),
    [
        ("electricity", "coal", "0.1229", "kWh"),  # GB/T 2589-2020, equivalent value
        ("natural_gas", "coal", "1.2143", "m³"),
        ("petrol", "coal", "1.4714", "kg"),
        ("diesel", "coal", "1.4571", "kg"),
        ("heat", "coal", "34.12", "GJ"),  # 0.03412 kgce/MJ
        ("petrol", "density", "0.73", "L"),
        ("diesel", "density", "0.86", "L"),
        ("petrol", "co2", "2.9251", "kg"),
        ("diesel", "co2", "3.0959", "kg"),
        ("natural_gas", "co2", "2.1622", "m³"),
    ],
)
def test_the_standard_values_apply_in_2020(carrier, kind, value, per):
    applied = factor_table().at(carrier, kind, date(2020, 6, 1))
    assert (applied.value, applied.per) == (D(value), per)


def test_a_new_years_grid_factor_applies_from_its_date():
    table = factor_table()
    assert table.at("electricity", "co2", date(2021, 12, 1)).value == D("0.5568")
    assert table.at("electricity", "co2", date(2022, 1, 1)).value == D("0.5366")
    assert table.at("electricity", "co2", date(2026, 10, 1)).value == D("0.5306")
    with pytest.raises(MissingFactor):
        table.at("electricity", "co2", date(2018, 12, 1))


def test_litres_become_kilograms_by_the_density():
    table = factor_table()
    month = date(2020, 5, 1)
    assert in_factor_unit(D(100), unit="L", carrier="petrol", per="kg", table=table, month=month) == D(73)
    assert in_factor_unit(D(100), unit="L", carrier="diesel", per="kg", table=table, month=month) == D(86)
    assert in_factor_unit(D(5), unit="kWh", carrier="electricity", per="kWh", table=table, month=month) == D(
        5
    )
    with pytest.raises(MissingFactor):
        in_factor_unit(D(5), unit="m³", carrier="electricity", per="kWh", table=table, month=month)


def test_the_factors_page_shows_each_factor_with_its_source(login, manager):
    page = login(manager).get(reverse("campaigns:factor_list")).content.decode()
    assert "0.1229" in page and "GB/T 2589-2020" in page and "公告2024年第12号" in page


# --- the indicators ------------------------------------------------------------------------------


def test_energy_and_carbon_are_registered_per_capita_and_per_m2_and_derived_from_the_ledgers():
    assert registry.get_indicator("energy").bases == (PER_CAPITA,)
    assert registry.get_indicator("energy_building").bases == (PER_AREA,)
    assert registry.get_indicator("carbon").bases == (PER_CAPITA, PER_AREA)
    assert {"electricity", "gas", "heat"} <= set(registry.get_indicator("energy").derived_from)
    assert "energy" in registry.with_derived(["electricity"])
    assert registry.get_indicator("carbon").unit == "tCO₂"


PETROL: dict = {}


@pytest.fixture
def petrol_ledger(monkeypatch):
    """A vehicle-fuel source as the vehicles ledger will register one (litres of petrol)."""

    def compute(agency_ids, months):
        return [Figure(a, None, m, v) for (a, m), v in PETROL.items() if a in agency_ids and m in months]

    PETROL.clear()
    registry.register_indicator(Indicator(key="test.petrol", name="Petrol", unit="L", compute=compute))
    sources = [*energy.registered_sources(), Source("test.petrol", "petrol", "L", True)]
    monkeypatch.setattr(energy, "_SOURCES", sources)
    yield
    registry.unregister_indicator("test.petrol")


def test_fuel_counts_in_comprehensive_energy_and_carbon_but_not_in_the_buildings(agency, petrol_ledger):
    PETROL[(agency.pk, date(2020, 5, 1))] = D(100)
    found = energy.energy_figures([agency.pk], [date(2020, 5, 1)], list(energy.KEYS))
    # 100 L × 0.73 kg/L = 73 kg; × 1.4714 kgce/kg = 107.4122 kgce; × 2.9251 kgCO₂/kg = 213.5323 kg
    assert [f.value for f in found["energy"]] == [D("107.4122")]
    assert [f.value for f in found["carbon"]] == [D("0.2135")]
    assert found["energy_building"] == []


def test_a_reading_makes_energy_stale_and_its_refresh_recomputes_it(
    agency, django_capture_on_commit_callbacks
):
    from agencies.scoping import Scope
    from ledger.services import reading_record
    from tests.ledger.factories import MeterFactory

    meter = MeterFactory(agency=agency, code="E-1", kind="electricity")
    with django_capture_on_commit_callbacks(execute=True):
        reading_record(scope=Scope.system(agency), meter=meter, date=date(2020, 1, 31), value=D(1000))
        reading_record(scope=Scope.system(agency), meter=meter, date=date(2020, 2, 29), value=D(2000))
    february = MonthlyFigure.objects.get(
        agency=agency, indicator="energy", month=date(2020, 2, 1), department=None
    )
    assert february.value == D("122.9000")  # 1000 kWh × 0.1229
    carbon = MonthlyFigure.objects.get(
        agency=agency, indicator="carbon", month=date(2020, 2, 1), department=None
    )
    assert carbon.value == D("0.5568")


def test_history_before_the_factors_keeps_its_electricity_and_does_not_stop_the_later_months(
    agency, django_capture_on_commit_callbacks, caplog
):
    """An agency imports its ledger from 2018: the 2018 months have electricity but no energy or
    carbon (no factor applies before 2019-01), and the 2019 months are converted in the same
    refresh — before, the first 2018 month raised and every month of the batch stayed stale."""
    from agencies.scoping import Scope
    from ledger.services import reading_record
    from reporting.models import StaleFigure
    from tests.ledger.factories import MeterFactory

    meter = MeterFactory(agency=agency, code="E-1", kind="electricity")
    with django_capture_on_commit_callbacks(execute=True):
        for day, value in ((date(2018, 11, 30), 0), (date(2018, 12, 31), 500), (date(2019, 1, 31), 1500)):
            reading_record(scope=Scope.system(agency), meter=meter, date=day, value=D(value))
    rows = MonthlyFigure.objects.filter(agency=agency, department=None)
    assert dict(rows.filter(indicator="electricity").values_list("month", "value")) == {
        date(2018, 12, 1): D(500),
        date(2019, 1, 1): D(1000),
    }
    assert dict(rows.filter(indicator="energy").values_list("month", "value")) == {
        date(2019, 1, 1): D("122.9000")
    }
    assert dict(rows.filter(indicator="carbon").values_list("month", "value")) == {
        date(2019, 1, 1): D("0.5568")
    }
    assert not StaleFigure.objects.filter(agency=agency).exists()
    assert "failed" not in caplog.text


def test_a_carrier_without_any_factor_of_a_kind_still_fails_the_conversion(agency, petrol_ledger):
    EnergyFactor.objects.filter(carrier="petrol", kind="density").delete()
    assert energy.energy_figures([agency.pk], [date(2020, 5, 1)], list(energy.KEYS))["energy"] == []
    PETROL[(agency.pk, date(2020, 5, 1))] = D(100)
    with pytest.raises(MissingFactor, match="No density factor of petrol at all"):
        energy.energy_figures([agency.pk], [date(2020, 5, 1)], list(energy.KEYS))
    assert factor_table().begins("petrol", ("coal", "co2")) == date(2019, 1, 1)


def test_a_changed_factor_recomputes_the_months_it_applies_to(agency, django_capture_on_commit_callbacks):
    from agencies.scoping import Scope
    from ledger.services import reading_record
    from tests.ledger.factories import MeterFactory

    meter = MeterFactory(agency=agency, code="E-1", kind="electricity")
    with django_capture_on_commit_callbacks(execute=True):
        for day, value in [(date(2020, 5, 31), 0), (date(2020, 6, 30), 100), (date(2020, 7, 31), 200)]:
            reading_record(scope=Scope.system(agency), meter=meter, date=day, value=D(value))
    with django_capture_on_commit_callbacks(execute=True):
        factor = EnergyFactor.objects.create(
            carrier="electricity",
            kind="co2",
            value=D("0.6"),
            per="kWh",
            valid_from=date(2020, 7, 1),
            source="测试",
        )
        factor_changed(factor=factor)

    def carbon(month):
        return MonthlyFigure.objects.get(
            agency=agency, indicator="carbon", month=month, department=None
        ).value

    assert carbon(date(2020, 6, 1)) == D("0.0557")  # 100 kWh × 0.5568, the factor before
    assert carbon(date(2020, 7, 1)) == D("0.0600")  # 100 kWh × 0.6 from July


def test_a_factor_touches_its_months_up_to_the_next_factor():
    factor = EnergyFactor(
        carrier="electricity", kind="co2", value=D(1), per="kWh", valid_from=date(2021, 6, 1)
    )
    months = factor_months(factor, today=date(2026, 11, 30))
    assert months[0] == date(2021, 6, 1) and months[-1] == date(2021, 12, 1)  # 2022's factor takes over
    moved = factor_months(factor, today=date(2026, 11, 30), previous_from=date(2021, 3, 1))
    assert moved[0] == date(2021, 3, 1)
    latest = EnergyFactor(carrier="petrol", kind="density", value=D(1), per="L", valid_from=date(2026, 9, 1))
    assert factor_months(latest, today=date(2026, 11, 30)) == [
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 1),
    ]


# --- the demo bureau's 2020, by hand ----------------------------------------------------------------


@pytest.fixture
def demo(settings):
    settings.DEMO_ALLOWED = True
    seed_demo("--today", "2021-02-01")  # tests/demo_snapshot.py: the command, or its copy


def _dial(code, day):
    return Reading.objects.get(meter__agency__code="LYYB", meter__code=code, date=day).value


def _yearly(indicator):
    return MonthlyFigure.objects.filter(
        agency__code="LYYB", indicator=indicator, department=None, month__year=2020
    ).aggregate(total=Sum("value"))["total"]


def _fuel_by_hand():
    """(kgce, kgCO₂) of the bureau's 2020 vehicle fuel from its fuel logs, once the vehicles
    ledger registers its fuel by grade; (0, 0) before."""
    try:
        registry.get_indicator("vehicles.fuel.petrol92")
    except LookupError:
        return D(0), D(0)
    from vehicles.models import FuelLog  # the vehicles ledger (issue: vehicles)

    kgce = kgco2 = D(0)
    coefficients = {"92": ("1.4714", "0.73", "2.9251"), "95": ("1.4714", "0.73", "2.9251")}
    coefficients["diesel"] = ("1.4571", "0.86", "3.0959")
    logs = FuelLog.objects.filter(vehicle__agency__code="LYYB", date__year=2020, grade__in=list(coefficients))
    for grade, litres in logs.values_list("grade").annotate(litres=Sum("quantity")):
        coal, density, co2 = (D(x) for x in coefficients[grade])
        kgce += litres * density * coal
        kgco2 += litres * density * co2
    return kgce, kgco2


def test_the_demo_bureaus_2020_comprehensive_energy_and_carbon_by_hand(demo):
    # Electricity: the bureau's share of the building's main meter E-01 (CT ratio 40, share 0.35);
    # no gas or heat meters; water is a resource, not energy.
    kwh = (_dial("E-01", date(2020, 12, 31)) - _dial("E-01", date(2019, 12, 31))) * 40 * D("0.35")
    fuel_kgce, fuel_kgco2 = _fuel_by_hand()
    kgce = kwh * D("0.1229") + fuel_kgce
    tco2 = (kwh * D("0.5568") + fuel_kgco2) / 1000
    # Each month is stored to 4 decimals: twelve roundings are at most 12 × 0.00005 apart.
    assert abs(_yearly("energy") - kgce) <= D("0.0006"), (_yearly("energy"), kgce)
    assert abs(_yearly("energy_building") - kwh * D("0.1229")) <= D("0.0006")
    assert abs(_yearly("carbon") - tco2) <= D("0.0006"), (_yearly("carbon"), tco2)
    assert kgce > 0 and tco2 > 0
