"""The target rule on sums and divisors already read (``evaluate_target``), without a database.

Every figure is worked out by hand in the test; the rule's own numbers (the threshold, the margin)
are tested at their edges in test_target_thresholds.py.
"""

from decimal import Decimal as D

from reporting.models import Target
from reporting.registry import PER_CAPITA, TOTAL
from reporting.targets.evaluate import TargetStatus, evaluate_target

AGENCY = 1


def _target(basis=TOTAL, **fields):
    return Target(
        indicator="electricity", year=2020, baseline_year=2019, reduction_percent=D(3), basis=basis, **fields
    )


def _sums(now=None, base=None):
    sums = {}
    if now is not None:
        sums[(AGENCY, "electricity", 2020)] = now
    if base is not None:
        sums[(AGENCY, "electricity", 2019)] = base
    return sums


def test_a_per_capita_target_divides_the_year_the_baseline_and_its_full_year_by_their_own_headcounts():
    sums = _sums(
        now={"ytd": D(600), "ytd_months": 6},
        base={"ytd": D(500), "ytd_months": 6, "full": D(1200), "full_months": 12},
    )
    headcounts = {(PER_CAPITA, AGENCY, 2020): D(10), (PER_CAPITA, AGENCY, 2019): D(8)}
    result = evaluate_target(
        agency_id=AGENCY, target=_target(PER_CAPITA), year=2020, as_of=6, sums=sums, divisors=headcounts
    )
    # 600 ÷ 10 people = 60 against 500 ÷ 8 = 62.5 for the same months: −4 %; the baseline year in
    # full 1,200 ÷ 8 = 150 per person, so the year projects to 60 × 150 ÷ 62.5 = 144, also −4 %
    assert (result.actual, result.baseline, result.baseline_full_year) == (D(60), D("62.5"), D(150))
    assert result.projected == D(144)
    assert (result.change_percent, result.projected_change_percent) == (D("-4.00"), D("-4.00"))
    assert result.complete and result.status == TargetStatus.MET
    said = (
        result.agency_id,
        result.indicator,
        result.basis,
        result.year,
        result.baseline_year,
        result.as_of_month,
    )
    assert said == (AGENCY, "electricity", PER_CAPITA, 2020, 2019, 6)
    assert (result.target_percent, result.target_id, result.is_default) == (D(3), None, True)


def test_the_result_names_the_target_it_was_judged_against():
    own = _target(pk=7, agency_id=AGENCY)
    sums = _sums(now={"ytd": D(1), "ytd_months": 1}, base={"ytd": D(1), "ytd_months": 1, "full": D(12)})
    result = evaluate_target(agency_id=AGENCY, target=own, year=2020, as_of=1, sums=sums, divisors={})
    assert (result.target_id, result.is_default, result.as_of_month, result.year) == (7, False, 1, 2020)


def test_a_closed_year_projects_to_what_happened():
    sums = _sums(
        now={"ytd": D(970), "ytd_months": 12},
        base={"ytd": D(1000), "ytd_months": 12, "full": D(1000), "full_months": 12},
    )
    result = evaluate_target(agency_id=AGENCY, target=_target(), year=2020, as_of=12, sums=sums, divisors={})
    assert result.projected == D(970) and result.projected_change_percent == D("-3.00")
    assert result.complete and result.status == TargetStatus.MET

    # without a baseline year there is nothing to compare, but the year's end is still its figure
    alone = evaluate_target(
        agency_id=AGENCY,
        target=_target(),
        year=2020,
        as_of=12,
        sums=_sums(now=sums[(AGENCY, "electricity", 2020)]),
        divisors={},
    )
    assert alone.projected == D(970) and alone.baseline is None and alone.projected_change_percent is None
    assert not alone.complete and alone.status == TargetStatus.NO_DATA


def test_an_open_year_without_the_baseline_years_same_months_has_no_projection():
    sums = _sums(now={"ytd": D(600), "ytd_months": 6}, base={"full": D(1200), "full_months": 12})
    result = evaluate_target(agency_id=AGENCY, target=_target(), year=2020, as_of=6, sums=sums, divisors={})
    assert result.projected is None and result.baseline_full_year == D(1200)
    assert not result.complete and result.status == TargetStatus.NO_DATA
