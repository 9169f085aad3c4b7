"""Every threshold of the target rule at its exact value and one step on each side.

下降3%以上 means a change of −3.00 % is met. The at-risk band of an open year reaches exactly
``AT_RISK_MARGIN`` (1 percentage point) short of the target; a closed year has no band. The
data must be complete: every month of the year to date, all twelve of the baseline year.
Figures are chosen so that one step of the actual moves the change by 0.01 percentage points,
the precision the change is shown and judged at.
"""

from datetime import date
from decimal import Decimal

import pytest

from agencies.scoping import Scope
from reporting.registry import PER_CAPITA
from reporting.targets.evaluate import AT_RISK_MARGIN, TargetStatus, targets_evaluate
from reporting.targets.services import target_save
from tests.reporting.helpers import write_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]
D = Decimal
MET, AT_RISK, MISSED = TargetStatus.MET, TargetStatus.AT_RISK, TargetStatus.MISSED
MONTH = 10000  # the baseline's every month: 120,000 a year; 12 units of a year are 0.01 %


def _target(indicator="electricity", reduction=3, basis=None):
    extra = {"basis": basis} if basis else {}
    target_save(
        scope=Scope.system(None),
        indicator=indicator,
        year=2020,
        baseline_year=2019,
        reduction_percent=D(reduction),
        **extra,
    )


def _evaluate(agency, as_of=12):
    [result] = targets_evaluate(agency_ids=[agency.pk], year=2020, as_of_month=as_of)
    return result


def _months_totalling(total, count):
    """``count`` monthly values that add up to ``total`` exactly (the last takes the rest)."""
    each = (D(total) / count).quantize(D(1))
    return [each] * (count - 1) + [D(total) - each * (count - 1)]


@pytest.mark.parametrize(
    ("actual", "change", "status"),
    [
        (116388, "-3.01", MET),  # one step beyond the target
        (116400, "-3.00", MET),  # exactly 下降3%: met
        (116412, "-2.99", MISSED),  # one step short, and the year is closed: no at-risk band
    ],
)
def test_a_closed_year_is_met_at_exactly_the_target_reduction(agency, actual, change, status):
    _target()
    write_year(agency, "electricity", 2019, [MONTH] * 12)
    write_year(agency, "electricity", 2020, _months_totalling(actual, 12))
    result = _evaluate(agency)
    assert (result.baseline, result.actual) == (120000, actual)
    assert result.complete and result.change_percent == D(change)
    assert result.status == status


@pytest.mark.parametrize(
    ("reduction", "actual", "status"),
    [(5, 113988, MET), (5, 114000, MET), (5, 114012, MISSED), (1, 118800, MET), (1, 118812, MISSED)],
)
def test_the_threshold_is_the_targets_own_reduction(agency, reduction, actual, status):
    _target(reduction=reduction)
    write_year(agency, "electricity", 2019, [MONTH] * 12)
    write_year(agency, "electricity", 2020, _months_totalling(actual, 12))
    assert _evaluate(agency).status == status


@pytest.mark.parametrize(
    ("water_2020", "change", "status"),
    [
        (D("52374.6"), "-3.01", MET),
        (D("52380"), "-3.00", MET),  # 1,164 m³ a person against 1,200: exactly −3 %
        (D("52385.4"), "-2.99", MISSED),
    ],
)
def test_per_capita_is_met_at_exactly_the_target_with_each_years_headcount(
    agency, water_2020, change, status
):
    # The agency fixture: 46 people in 2019, 45 in 2020. 2019: 1,200 m³ a person.
    _target(indicator="water", basis=PER_CAPITA)
    write_year(agency, "water", 2019, [46 * 100] * 12)
    write_year(agency, "water", 2020, _months_totalling(water_2020, 12))
    result = _evaluate(agency)
    assert result.baseline == 1200 and result.actual == water_2020 / 45
    assert result.change_percent == D(change) and result.status == status


@pytest.mark.parametrize(
    ("actual", "projected_change", "status"),
    [
        (58194, "-3.01", MET),
        (58200, "-3.00", MET),
        (58206, "-2.99", AT_RISK),  # just short of the target: within the band
        (58794, "-2.01", AT_RISK),
        (58800, "-2.00", AT_RISK),  # exactly one point short: still at risk
        (58806, "-1.99", MISSED),  # one step more: missed, even mid-year
    ],
)
def test_an_open_year_is_at_risk_up_to_exactly_the_margin(agency, actual, projected_change, status):
    assert D(1) == AT_RISK_MARGIN
    _target()
    write_year(agency, "electricity", 2019, [MONTH] * 12)  # a flat profile: projected = 2 × actual
    write_year(agency, "electricity", 2020, _months_totalling(actual, 6))
    result = _evaluate(agency, as_of=6)
    assert result.complete and result.projected == 2 * actual
    assert result.change_percent == result.projected_change_percent == D(projected_change)
    assert result.status == status


@pytest.mark.parametrize(
    ("reduction", "actual", "status"),
    [(5, 57600, AT_RISK), (5, 57606, MISSED), (1, 60000, AT_RISK), (1, 60006, MISSED)],
)
def test_the_at_risk_band_follows_the_targets_own_reduction(agency, reduction, actual, status):
    _target(reduction=reduction)
    write_year(agency, "electricity", 2019, [MONTH] * 12)
    write_year(agency, "electricity", 2020, _months_totalling(actual, 6))
    assert _evaluate(agency, as_of=6).status == status


@pytest.mark.parametrize(("as_of", "status"), [(11, AT_RISK), (12, MISSED)])
def test_the_band_ends_with_the_last_month_of_the_year(agency, as_of, status):
    """November is still open (at risk at −2.00 %); with December the year is closed (missed)."""
    _target()
    write_year(agency, "electricity", 2019, [MONTH] * 12)
    write_year(agency, "electricity", 2020, _months_totalling(D(MONTH * as_of) * D("0.98"), as_of))
    result = _evaluate(agency, as_of=as_of)
    assert result.change_percent == D("-2.00") and result.complete
    assert result.status == status


@pytest.mark.parametrize(("months_entered", "status"), [(5, AT_RISK), (6, MET)])
def test_every_month_of_the_year_to_date_is_needed_to_be_met(agency, months_entered, status):
    _target()
    write_year(agency, "electricity", 2019, [MONTH] * 12)
    write_year(agency, "electricity", 2020, [MONTH // 2] * months_entered)  # half: far below target
    result = _evaluate(agency, as_of=6)
    assert result.complete is (months_entered == 6) and result.status == status


@pytest.mark.parametrize(("baseline_months", "status"), [(11, AT_RISK), (12, MET)])
def test_all_twelve_months_of_the_baseline_year_are_needed_to_be_met(agency, baseline_months, status):
    _target()
    write_year(agency, "electricity", 2019, [MONTH] * baseline_months)
    write_year(agency, "electricity", 2020, [MONTH // 2] * 6)
    result = _evaluate(agency, as_of=6)
    assert result.complete is (baseline_months == 12) and result.status == status


@pytest.mark.parametrize("as_of", [6, date(2020, 6, 30)])  # a month, or a day of it
def test_months_after_the_as_of_month_do_not_count_in_either_year(agency, as_of):
    _target()
    write_year(agency, "electricity", 2019, [MONTH] * 6 + [10 * MONTH] * 6)
    write_year(agency, "electricity", 2020, [MONTH - 300] * 6 + [50 * MONTH])  # July: not yet counted
    result = _evaluate(agency, as_of=as_of)
    assert (result.baseline, result.actual, result.baseline_full_year) == (60000, 58200, 660000)
    assert result.change_percent == D("-3.00") and result.status == MET


@pytest.mark.parametrize("as_of", [1, 12, date(2020, 1, 31), date(2020, 12, 1)])
def test_the_as_of_month_may_be_any_month_of_the_year_from_january_to_december(as_of):
    assert targets_evaluate(agency_ids=[], year=2020, as_of_month=as_of) == []


@pytest.mark.parametrize("as_of", [0, 13])
def test_an_as_of_month_outside_the_year_is_refused(as_of):
    with pytest.raises(ValueError, match=rf"^as_of_month must be 1\.\.12, not {as_of}$"):
        targets_evaluate(agency_ids=[], year=2020, as_of_month=as_of)


@pytest.mark.parametrize("missing_year", [2019, 2020])
def test_per_capita_without_a_years_headcount_is_at_risk_never_met(agency, missing_year):
    _target(indicator="water", basis=PER_CAPITA)
    agency.years.filter(year=missing_year).delete()
    write_year(agency, "water", 2019, [MONTH] * 12)
    write_year(agency, "water", 2020, [MONTH // 2] * 12)
    result = _evaluate(agency)
    assert not result.complete and result.status == AT_RISK


def test_a_zero_baseline_is_at_risk_not_met(agency):
    _target()
    write_year(agency, "electricity", 2019, [0] * 12)
    write_year(agency, "electricity", 2020, [0] * 12)
    result = _evaluate(agency)
    assert result.change_percent is None and result.status == AT_RISK


@pytest.mark.parametrize(
    ("years", "status"), [((2019,), "no_data"), ((2020,), "no_data"), ((2019, 2020), MET)]
)
def test_no_data_needs_a_figure_in_both_years(agency, years, status):
    _target()
    for year in years:
        write_year(agency, "electricity", year, [MONTH if year == 2019 else MONTH // 2] * 12)
    assert _evaluate(agency).status == status
