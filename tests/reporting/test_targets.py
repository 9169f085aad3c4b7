"""Targets against the baseline year: the rule, overrides, query counts and the command."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agencies.scoping import Scope
from reporting.registry import PER_CAPITA
from reporting.targets.evaluate import TargetStatus, targets_evaluate
from reporting.targets.services import target_save
from tests.factories import AgencyFactory, AgencyYearFactory
from tests.reporting.helpers import (
    ELECTRICITY_2019,
    ELECTRICITY_2020,
    WATER_2019,
    WATER_2020,
    write_year,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]
D = Decimal


def _seed_targets(agency=None):
    target_save(
        scope=Scope.system(agency),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    target_save(
        scope=Scope.system(agency),
        indicator="water",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
        basis=PER_CAPITA,
    )


def test_a_target_needs_a_registered_indicator_and_an_earlier_baseline(agency):
    with pytest.raises(ValidationError) as error:
        target_save(
            scope=Scope.system(agency),
            indicator="nonexistent",
            year=2020,
            baseline_year=2020,
            reduction_percent=D(3),
        )
    assert {"indicator", "baseline_year"} <= set(error.value.message_dict)


def test_the_year_is_evaluated_against_the_baseline_by_hand(agency):
    _seed_targets()
    for key, old, new in [
        ("electricity", ELECTRICITY_2019, ELECTRICITY_2020),
        ("water", WATER_2019, WATER_2020),
    ]:
        write_year(agency, key, 2019, old)
        write_year(agency, key, 2020, new)
    results = {r.indicator: r for r in targets_evaluate(agency_ids=[agency.pk], year=2020, as_of_month=12)}

    electricity = results["electricity"]
    assert electricity.baseline == D(sum(ELECTRICITY_2019)) and electricity.actual == D(sum(ELECTRICITY_2020))
    expected = (
        (D(sum(ELECTRICITY_2020)) - D(sum(ELECTRICITY_2019))) / D(sum(ELECTRICITY_2019)) * 100
    ).quantize(D("0.01"))
    assert electricity.change_percent == expected < D(-3)
    assert electricity.status == TargetStatus.MET and electricity.is_default

    # Water per person: 2019 ÷ 46 people, 2020 ÷ 45 — less water but fewer people: missed.
    water = results["water"]
    assert water.baseline == D(sum(WATER_2019)) / 46 and water.actual == D(sum(WATER_2020)) / 45
    change = ((D(sum(WATER_2020)) / 45 - D(sum(WATER_2019)) / 46) / (D(sum(WATER_2019)) / 46) * 100).quantize(
        D("0.01")
    )
    assert water.change_percent == change > D(-3)
    assert water.status == TargetStatus.MISSED


def test_mid_year_projection_follows_the_baseline_profile_and_a_near_miss_is_at_risk(agency):
    target_save(
        scope=Scope.system(None),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    write_year(agency, "electricity", 2019, [100] * 6 + [200] * 6)
    write_year(agency, "electricity", 2020, [98] * 6)  # −2 %: within one point of −3 %
    [result] = targets_evaluate(agency_ids=[agency.pk], year=2020, as_of_month=6)
    assert result.baseline == 600 and result.actual == 588
    assert result.projected == D(588) * 1800 / 600
    assert result.projected_change_percent == D("-2.00")
    assert result.status == TargetStatus.AT_RISK


def test_incomplete_data_is_at_risk_never_met(agency):
    target_save(
        scope=Scope.system(None),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    write_year(agency, "electricity", 2019, [100] * 12)
    write_year(agency, "electricity", 2020, [50] * 11)  # December is missing
    [result] = targets_evaluate(agency_ids=[agency.pk], year=2020, as_of_month=12)
    assert not result.complete and result.status == TargetStatus.AT_RISK


def test_an_agencys_own_target_overrides_the_default(agency, other_agency):
    target_save(
        scope=Scope.system(None),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(3),
    )
    target_save(
        scope=Scope.system(agency),
        indicator="electricity",
        year=2020,
        baseline_year=2019,
        reduction_percent=D(5),
    )
    results = {r.agency_id: r for r in targets_evaluate(agency_ids=[agency.pk, other_agency.pk], year=2020)}
    assert results[agency.pk].target_percent == 5 and not results[agency.pk].is_default
    assert results[other_agency.pk].target_percent == 3 and results[other_agency.pk].is_default


def test_the_targets_read_for_some_agencies_are_the_defaults_and_their_own_only(agency, other_agency):
    from reporting.targets.evaluate import applicable_targets, targets_of_year

    for owner, indicator, year, percent in [
        (None, "electricity", 2020, 3),
        (agency, "water", 2020, 4),
        (other_agency, "water", 2020, 6),
        (agency, "water", 2021, 8),
    ]:
        target_save(
            scope=Scope.system(owner),
            indicator=indicator,
            year=year,
            baseline_year=2019,
            reduction_percent=D(percent),
        )
    read = targets_of_year(agency_ids=[agency.pk], year=2020)
    assert {(t.agency_id, t.indicator, t.reduction_percent) for t in read} == {
        (None, "electricity", 3),
        (agency.pk, "water", 4),
    }  # not the other agency's own target, nor another year's
    chosen = applicable_targets(agency_ids=[agency.pk], year=2020)
    assert {key: t.reduction_percent for key, t in chosen.items()} == {
        (agency.pk, "electricity"): 3,
        (agency.pk, "water"): 4,
    }


@pytest.mark.parametrize("count", [1, 50])
def test_evaluation_takes_three_queries_for_1_or_50_agencies(count):
    _seed_targets()
    agencies = [AgencyFactory() for _ in range(count)]
    for agency in agencies:
        AgencyYearFactory(agency=agency, year=2019, headcount=40)
        AgencyYearFactory(agency=agency, year=2020, headcount=41)
        write_year(agency, "electricity", 2019, ELECTRICITY_2019)
        write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    with CaptureQueriesContext(connection) as queries:
        results = targets_evaluate(agency_ids=[a.pk for a in agencies], year=2020, as_of_month=12)
    assert len(queries) == 3
    assert len(results) == 2 * count


def test_the_command_prints_the_table(agency):
    _seed_targets()
    write_year(agency, "electricity", 2019, ELECTRICITY_2019)
    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    out = StringIO()
    call_command("evaluate_targets", "--year", "2020", "--agency", "LYYB", stdout=out)
    text = out.getvalue()
    rows = {line.split()[1]: line for line in text.splitlines()[2:]}
    assert f"{sum(ELECTRICITY_2019):,.2f}" in rows["用电"] and "达标" in rows["用电"]
    assert "无数据" in rows["用水"]  # no water figures at all: nothing to compare


def test_the_command_prints_in_the_configured_language_whatever_is_active(agency, settings):
    """evaluate_targets printed English indicator keys, bases and statuses under a Chinese title."""
    _seed_targets()
    write_year(agency, "electricity", 2019, ELECTRICITY_2019)
    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    out = StringIO()
    with translation.override("en"):  # what was active does not matter: the setting does
        call_command("evaluate_targets", "--year", "2020", "--agency", "LYYB", stdout=out)
    text = out.getvalue()
    assert text.startswith("节约目标评价：2020年1—12月与各基准年同期对比")
    assert "用电" in text and "千瓦时" in text and "下降3%以上" in text and "达标" in text
    assert f"{sum(ELECTRICITY_2019):,.2f}" in text and "−" in text  # the one minus sign
    for english in ("electricity", "water", "total", "kWh", "met", "no_data", "-3", "≤"):
        assert english not in text, english

    settings.LANGUAGE_CODE = "en"
    out = StringIO()
    call_command("evaluate_targets", "--year", "2020", "--agency", "LYYB", stdout=out)
    text = out.getvalue()
    assert text.startswith("Reduction targets, Jan–Dec 2020 against")
    assert "kWh" in text and "at least 3\u00a0% lower" in text and "用电" not in text


@pytest.mark.django_db
def test_an_agency_without_any_figures_has_no_data_rather_than_at_risk():
    from reporting.targets.evaluate import STATUS_MARKS
    from tests.factories import AgencyFactory, AgencyYearFactory
    from tests.reporting.helpers import fake_indicators

    with fake_indicators():
        empty = AgencyFactory()
        AgencyYearFactory(agency=empty, year=2019)
        AgencyYearFactory(agency=empty, year=2020)
        target_save(
            scope=Scope.system(None),
            indicator="electricity",
            year=2020,
            baseline_year=2019,
            reduction_percent=Decimal(3),
        )
        [result] = targets_evaluate(agency_ids=[empty.pk], year=2020, as_of_month=12)
    assert result.status == TargetStatus.NO_DATA
    assert result.actual is None and result.change_percent is None
    assert STATUS_MARKS[result.status] == "–"
