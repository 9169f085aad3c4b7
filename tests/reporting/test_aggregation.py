"""Indicators that do not add up (ratios of two summed indicators) and target bases, read the same
way by every reader; the small pure functions behind them, at their thresholds."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import load_workbook

from agencies.models import AgencyYear
from agencies.scoping import Scope
from reporting import registry
from reporting.disclosures.services import disclosure_compute
from reporting.figures.numbers import indicator_value, meets_reduction, percent_change, ratio_value
from reporting.figures.read import figure_sums, monthly_values, totals_by_agency
from reporting.models import Target
from reporting.periods import Quarter
from reporting.registry import Indicator, Ratio, TargetBase
from reporting.reports.ledger_workbook import consumption_ledger_workbook
from reporting.targets.bases import divisors, in_base, unit_in_base
from reporting.targets.evaluate import TargetStatus, target_status, targets_evaluate
from reporting.targets.services import target_save
from tests.factories import AgencyFactory
from tests.reporting.helpers import write_year


def _none(agency_ids, months):
    return []


FUEL = Indicator(
    key="test.fuel", name="Fuel", unit="L", compute=_none, bases=("test.per_vehicle",), order=901
)
KM = Indicator(key="test.km", name="Distance", unit="km", compute=_none, order=902)
PER_100KM = Indicator(
    key="test.l_per_100km",
    name="Fuel per 100 km",
    unit="L/100km",
    aggregation=Ratio("test.fuel", "test.km", D(100)),
    order=903,
)
VEHICLES = {2019: D(4), 2020: D(5)}  # vehicles in use, per year


def _vehicles(agency_ids, years):
    return {(a, y): VEHICLES[y] for a in agency_ids for y in years if y in VEHICLES}


PER_VEHICLE = TargetBase("test.per_vehicle", "per vehicle", "/辆", _vehicles, order=30)
# 2019 and 2020 fuel (L) and distance (km) by month
FUEL_2019 = [400, 380, 420, 410, 400, 390, 420, 430, 400, 410, 400, 420]
FUEL_2020 = [100, 120, 80, 360, 350, 340, 360, 370, 350, 360, 350, 360]
KM_2019 = [4000, 4000, 4200, 4100, 4000, 3900, 4200, 4300, 4000, 4100, 4000, 4200]
KM_2020 = [1000, 1500, 500, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000, 4000]


@pytest.fixture
def vehicles(db):
    registry.register_target_base(PER_VEHICLE)
    for indicator in (FUEL, KM, PER_100KM):
        registry.register_indicator(indicator)
    agency = AgencyFactory()
    for year in (2019, 2020):
        AgencyYear.objects.create(
            agency=agency, year=year, headcount=45, building_area=1942, office_area=1024
        )
    write_year(agency, "test.fuel", 2019, FUEL_2019)
    write_year(agency, "test.km", 2019, KM_2019)
    write_year(agency, "test.fuel", 2020, FUEL_2020)
    write_year(agency, "test.km", 2020, KM_2020)
    yield agency
    for indicator in (PER_100KM, KM, FUEL):
        registry.unregister_indicator(indicator.key)
    registry.unregister_target_base(PER_VEHICLE.key)


Q1 = Quarter(2020, 1)
# The first quarter by hand: 300 L over 3,000 km = 10.00 L/100 km (the mean of the months'
# ratios, 10 + 8 + 16 over 3 = 11.33, and their sum, 34, are what a reader must not print).
Q1_L_PER_100KM = D("10.00")


def test_a_ratio_over_a_quarter_divides_the_quarters_sums(vehicles):
    sums = figure_sums(
        agency_ids=[vehicles.pk], keys=["test.l_per_100km"], years=[2020], through=3, quarter_from=1
    )
    assert sums[(vehicles.pk, "test.l_per_100km", 2020)]["q"] == Q1_L_PER_100KM
    assert sums[(vehicles.pk, "test.l_per_100km", 2020)]["q_months"] == 3
    totals = totals_by_agency(indicator="test.l_per_100km", months=Q1.months, agency_ids=[vehicles.pk])
    assert totals == {vehicles.pk: Q1_L_PER_100KM}
    monthly = monthly_values(agency_ids=[vehicles.pk], keys=["test.l_per_100km"], months=Q1.months)
    assert [monthly[(vehicles.pk, None, "test.l_per_100km", m)] for m in Q1.months] == [10, 8, 16]


def test_the_disclosure_of_a_ratio_is_the_ratio_of_the_sums(vehicles):
    data = disclosure_compute(agency=vehicles, quarter=Q1).data
    item = next(i for i in data["indicators"] if i["key"] == "test.l_per_100km")
    assert item["aggregation"] == "ratio" and item["quarter"] == "10.00" and item["ytd"] == "10.00"
    baseline = D(sum(FUEL_2019[:3])) / D(sum(KM_2019[:3])) * 100
    assert item["baseline_ytd"] == str(baseline.quantize(D("0.01")))
    assert item["bases"] == []  # a ratio is not divided by a target base


def test_a_target_on_a_ratio_compares_ratios_of_sums(vehicles):
    target_save(
        scope=Scope.system(None),
        indicator="test.l_per_100km",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    [result] = targets_evaluate(agency_ids=[vehicles.pk], year=2020, as_of_month=12)
    actual = D(sum(FUEL_2020)) / D(sum(KM_2020)) * 100
    baseline = D(sum(FUEL_2019)) / D(sum(KM_2019)) * 100
    assert result.actual == actual and result.baseline == baseline
    assert result.change_percent == ((actual - baseline) / baseline * 100).quantize(D("0.01"))


def test_the_ledger_workbooks_year_of_a_ratio_divides_the_years_sums(vehicles):
    sheet = load_workbook(BytesIO(consumption_ledger_workbook(agency=vehicles, year=2020))).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Fuel per 100 km")
    assert row[2:5] == (10, 8, 16)
    # 3,500 L over 39,000 km; the sum of the months' ratios would be 10 + 8 + 16 + 9 × 8.75 …
    assert row[-1] == pytest.approx(float(D(sum(FUEL_2020)) / D(sum(KM_2020)) * 100))


def test_an_app_registered_base_divides_by_its_own_divisor_of_each_year(vehicles):
    target_save(
        scope=Scope.system(None),
        indicator="test.fuel",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
        basis="test.per_vehicle",
    )
    [result] = targets_evaluate(agency_ids=[vehicles.pk], year=2020, as_of_month=12)
    assert result.actual == D(sum(FUEL_2020)) / 5 and result.baseline == D(sum(FUEL_2019)) / 4
    assert result.unit == "升/辆" and result.status == TargetStatus.MET
    data = disclosure_compute(agency=vehicles, quarter=Quarter(2020, 4)).data
    fuel = next(i for i in data["indicators"] if i["key"] == "test.fuel")
    [per_vehicle] = fuel["bases"]
    assert per_vehicle["key"] == "test.per_vehicle" and per_vehicle["unit"] == "升/辆"
    assert per_vehicle["ytd"] == str((D(sum(FUEL_2020)) / 5).quantize(D("0.01")))
    assert fuel["target"]["basis_name"] == "per vehicle"


def test_a_target_may_only_use_a_base_its_indicator_declares(vehicles):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        target_save(
            scope=Scope.system(None),
            indicator="test.km",
            year=2020,
            baseline_year=2019,
            reduction_percent=D(3),
            basis="test.per_vehicle",
        )
    assert "basis" in refused.value.message_dict
    with pytest.raises(ValidationError):
        Target(
            indicator="test.fuel", year=2020, baseline_year=2019, reduction_percent=3, basis="nope"
        ).clean()


def test_agency_year_bases_share_one_read(vehicles, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = divisors(bases=["per_capita", "per_area"], agency_ids=[vehicles.pk], years=[2019, 2020])
    assert found[("per_capita", vehicles.pk, 2020)] == 45 and found[("per_area", vehicles.pk, 2019)] == 1942
    assert divisors(bases=["total"], agency_ids=[vehicles.pk], years=[2020]) == {
        ("total", vehicles.pk, 2020): 1
    }


def test_each_base_asked_gets_its_divisors_whatever_the_order_of_their_keys():
    """The total (no divisor) is one base among others: a base whose key sorts after it still gets
    its own divisors; nothing is asked of any divisor when there is no agency or no year."""
    asked = []

    def rooms(agency_ids, years):
        asked.append((agency_ids, years))
        return {(a, y): D(a + y) for a in agency_ids for y in years if y != 2019}

    base = registry.register_target_base(TargetBase("zz.per_room", "per room", "/room", rooms, order=90))
    try:
        found = divisors(
            bases=["zz.per_room", "total", "zz.per_room"], agency_ids=[7, 3, 7], years=[2020, 2019]
        )
        assert found == {
            ("total", 3, 2019): 1,
            ("total", 3, 2020): 1,
            ("total", 7, 2019): 1,
            ("total", 7, 2020): 1,
            ("zz.per_room", 3, 2019): None,
            ("zz.per_room", 3, 2020): D(2023),
            ("zz.per_room", 7, 2019): None,
            ("zz.per_room", 7, 2020): D(2027),
        }
        assert asked == [([3, 7], [2019, 2020])]  # once, each agency and year once, in order
        assert divisors(bases=["zz.per_room", "total"], agency_ids=[], years=[2020]) == {}
        assert divisors(bases=["zz.per_room", "total"], agency_ids=[3], years=[]) == {}
        assert len(asked) == 1
        with pytest.raises(LookupError):
            divisors(bases=["zz.nope"], agency_ids=[], years=[])
    finally:
        registry.unregister_target_base(base.key)


def test_a_ratio_is_registered_after_its_summed_parts_and_has_no_compute():
    with pytest.raises(ValueError):
        Indicator(key="x.r", name="r", unit="%", compute=_none, aggregation=Ratio("a", "b"))
    with pytest.raises(ValueError):
        Indicator(key="x.r", name="r", unit="%", aggregation=Ratio("a", "b"), bases=("per_capita",))
    with pytest.raises(ValueError):
        Indicator(key="x.s", name="s", unit="kg")  # a sum needs compute
    with pytest.raises(ValueError):
        registry.register_indicator(Indicator(key="x.r", name="r", unit="%", aggregation=Ratio("x.a", "x.b")))


# --- the pure functions, at their thresholds ---------------------------------------------------------


def test_ratio_value():
    assert ratio_value(D(3), D(4), D(100)) == D(75)
    assert ratio_value(D(3), D(4)) == D("0.75")
    assert ratio_value(D(0), D(4), D(100)) == 0
    assert ratio_value(D(3), D(0), D(100)) is None
    assert ratio_value(None, D(4)) is None and ratio_value(D(3), None) is None


def test_percent_change_is_unrounded():
    assert percent_change(D(97), D(100)) == D(-3)
    assert percent_change(D("97.004"), D(100)) == D("-2.996")
    assert percent_change(D(100), D(100)) == 0
    assert percent_change(D(5), D(0)) is None and percent_change(None, D(1)) is None
    assert percent_change(D(1), None) is None


def test_meets_reduction_at_the_threshold():
    assert meets_reduction(D(-3), D(3))
    assert meets_reduction(D("-3.0001"), D(3))
    assert not meets_reduction(D("-2.996"), D(3))  # 下降2.996% is not 下降3%以上
    assert not meets_reduction(D("-2.9999"), D("3.00"))
    assert not meets_reduction(None, D(3))
    assert meets_reduction(D(0), D(0))


def test_the_status_compares_the_unrounded_change():
    def status(change, projected=None, as_of=12, complete=True, has_data=True):
        return target_status(
            has_data=has_data,
            complete=complete,
            change=change,
            projected_change=projected,
            reduction_percent=D(3),
            as_of=as_of,
        )

    assert status(D("-2.996")) == TargetStatus.MISSED  # rounds to −3.00, does not meet 3 %
    assert status(D("-3")) == TargetStatus.MET
    assert status(D("-2.996"), projected=D(-2), as_of=9) == TargetStatus.AT_RISK  # within 1 point
    assert status(D("-2.996"), projected=D("-1.99"), as_of=9) == TargetStatus.MISSED
    assert status(D(-1), projected=D(-2), as_of=12) == TargetStatus.MISSED  # a closed year
    assert status(D(-5), complete=False) == TargetStatus.AT_RISK
    assert status(None) == TargetStatus.AT_RISK
    assert status(D(-5), has_data=False) == TargetStatus.NO_DATA


def test_in_base_and_its_unit():
    assert in_base(D(10), D(4)) == D("2.5")
    assert in_base(D(10), 1) == 10
    assert in_base(D(10), 0) is None and in_base(D(10), D(-1)) is None
    assert in_base(None, D(4)) is None and in_base(D(10), None) is None


def test_indicator_value_of_a_sum_and_a_ratio(vehicles):
    sums = {"test.fuel": D(300), "test.km": D(3000)}
    assert indicator_value(FUEL, sums.get) == 300
    assert indicator_value(PER_100KM, sums.get) == 10
    assert unit_in_base("L", "test.per_vehicle") == "升/辆" and unit_in_base("kWh", "total") == "千瓦时"
    assert date(2020, 1, 1) in Q1.months
