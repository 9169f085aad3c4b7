"""The notice's content (each row's own baseline year, indicators kept off the public notice, the
PDF stored at publication) and what a city verifier noticed."""

import re
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from agencies.scoping import Scope
from reporting import registry
from reporting.dashboards.agency import uncovered_share
from reporting.disclosures.exports import disclosure_workbook
from reporting.disclosures.notice import notice_table
from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.disclosures.snapshot import notice_items
from reporting.periods import Quarter
from reporting.registry import Indicator
from reporting.targets.services import target_save
from tests.factories import scope_of
from tests.reporting.dashboard_helpers import default_targets, seed_city
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, WATER_2019, WATER_2020, write_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]
Q4 = Quarter(2020, 4)


def _figures(agency, *, years=(2018, 2019, 2020)):
    for year in years:
        write_year(agency, "electricity", year, ELECTRICITY_2019 if year < 2020 else ELECTRICITY_2020)
        write_year(agency, "water", year, WATER_2019 if year < 2020 else WATER_2020)


def _target(indicator, baseline_year, agency=None, basis="total"):
    target_save(
        scope=Scope.system(agency),
        indicator=indicator,
        year=2020,
        baseline_year=baseline_year,
        reduction_percent=D(3),
        basis=basis,
    )


def test_each_row_of_the_notice_carries_its_own_baseline_year(agency):
    _figures(agency)
    _target("electricity", 2019)
    _target("water", 2018, agency=agency, basis="per_capita")  # the agency's own, older baseline
    data = disclosure_compute(agency=agency, quarter=Q4).data
    table = notice_table(data, year=2020)
    assert table[0][3] == "基准年同期" and len(table[0]) == 7
    rows = {row[0]: row for row in table[1:]}
    water = next(name for name in rows if name.startswith("用水"))
    electricity = next(name for name in rows if name.startswith("用电"))
    assert "基准年2018年" in water and "基准年2019年" in electricity
    assert rows[water][3] == f"{sum(WATER_2019):,.2f}"  # 2018 was written with the 2019 figures


def test_with_last_year_as_every_baseline_the_notice_and_export_print_it_once(agency):
    _figures(agency, years=(2019, 2020))
    _target("electricity", 2019)
    disclosure = disclosure_compute(agency=agency, quarter=Q4)
    table = notice_table(disclosure.data, year=2020)
    assert table[0] == ["指标（单位）", "本季度", "本年累计", "2019年同期", "较基准年"]
    assert all(len(row) == 5 for row in table)
    header = [c.value for c in load_workbook(BytesIO(disclosure_workbook(disclosure=disclosure))).active[3]]
    assert "基准年同期累计" in header and "上年同期累计" not in header


def test_with_an_older_baseline_the_last_year_columns_stay(agency):
    _figures(agency)
    _target("electricity", 2018)
    _target("water", 2018)
    table = notice_table(disclosure_compute(agency=agency, quarter=Q4).data, year=2020)
    assert table[0][3] == "2018年同期" and table[0][5:] == ["上年同期", "较上年"]


def test_an_indicator_marked_not_for_the_public_notice_stays_in_the_snapshot_only(agency, manager, client):
    internal = Indicator(
        key="test.internal", name="Internal", unit="x", compute=lambda a, m: [], public=False
    )
    registry.register_indicator(internal)
    try:
        _figures(agency)
        write_year(agency, "test.internal", 2020, [5] * 12)
        draft = disclosure_compute(agency=agency, quarter=Q4)
        item = next(i for i in draft.data["indicators"] if i["key"] == "test.internal")
        assert item["public"] is False and item["quarter"] == "15.00"
        assert "test.internal" not in [i["key"] for i in notice_items(draft.data)]
        published = disclosure_publish(scope=scope_of(manager), disclosure=draft)
        page = client.get(reverse("reporting:public_notice", args=[published.pk])).content.decode()
        assert "Internal" not in page and "用电" in page
    finally:
        registry.unregister_indicator("test.internal")


def test_the_published_pdf_is_rendered_once_and_anonymous_readers_get_the_stored_file(
    agency, manager, client, monkeypatch
):
    _figures(agency)
    published = disclosure_publish(
        scope=scope_of(manager), disclosure=disclosure_compute(agency=agency, quarter=Q4)
    )
    published.refresh_from_db()
    stored = bytes(published.notice_pdf)
    assert stored.startswith(b"%PDF")

    def no_render(**kwargs):
        raise AssertionError("a published notice is not rendered again")

    monkeypatch.setattr("reporting.disclosures.services.notice_render", no_render)
    response = client.get(reverse("reporting:public_notice_pdf", args=[published.pk]))
    assert response.status_code == 200 and response.content == stored


# --- what a city verifier noticed -------------------------------------------------------------------


def test_the_city_overview_counts_only_the_agencies_in_the_programme(city_user, city_agency, login):
    default_targets()
    agencies = seed_city(2)
    city_agency.in_programme = False
    city_agency.save()
    response = login(city_user).get(reverse("reporting:city_dashboard"), {"year": 2020})
    rows = [row.agency.code for row in response.context["d"].rows]
    assert rows == [a.code for a in agencies] and city_agency.code not in rows


def test_a_closed_year_says_no_rather_than_not_yet(city_user, city_agency, login):
    default_targets()
    seed_city(2)  # CITY000 used more: not on track
    city_agency.in_programme = False
    city_agency.save()
    html = login(city_user).get(reverse("reporting:city_dashboard"), {"year": 2020}).content.decode()
    row = re.search(r'<tr data-agency="CITY000">(.*?)</tr>', html, re.S).group(1)
    assert "否" in row and "尚未" not in row


def test_the_section_line_says_how_much_of_the_total_no_section_meter_covers():
    assert uncovered_share(D(100), [D(40), D(35)]) == D("25.0")
    assert uncovered_share(D(100), [D(60), D(40)]) == D("0.0")
    assert uncovered_share(D(100), [D(70), D(40)]) == D("0.0")  # never below nothing
    assert uncovered_share(D(3), [D(1), None]) == D("66.7")
    assert uncovered_share(None, [D(1)]) is None and uncovered_share(D(0), [D(1)]) is None


def test_the_dashboard_prints_the_uncovered_share_beside_the_section_that_used_most(agency, leader, login):
    from tests.factories import DepartmentFactory

    _target("electricity", 2019)
    _figures(agency, years=(2019, 2020))
    office, finance = (
        DepartmentFactory(agency=agency, name="办公室"),
        DepartmentFactory(agency=agency, name="财务科"),
    )
    write_year(agency, "electricity", 2020, [v * D("0.5") for v in ELECTRICITY_2020], department=office)
    write_year(agency, "electricity", 2020, [v * D("0.3") for v in ELECTRICITY_2020], department=finance)
    response = login(leader).get(reverse("reporting:dashboard"), {"year": 2020})
    html = response.content.decode()
    line = re.search(r'data-testid="top-department-electricity">(.*?)</p>', html, re.S).group(1)
    assert "办公室" in line and "另有20.0%未计入任何科室" in line


def test_the_summary_names_the_top_department_of_the_targeted_indicators_only(agency, leader, login):
    """The summary is read in a minute: a top department for each indicator with a target card,
    and the share no department counts only when there is one; every indicator's department table
    stays below."""
    from tests.factories import DepartmentFactory

    _target("electricity", 2019)
    _figures(agency, years=(2019, 2020))
    office, finance = (
        DepartmentFactory(agency=agency, name="办公室"),
        DepartmentFactory(agency=agency, name="财务科"),
    )
    for key, year_values in (("electricity", ELECTRICITY_2020), ("water", WATER_2020)):
        write_year(agency, key, 2020, [v * D("0.6") for v in year_values], department=office)
        write_year(agency, key, 2020, [v * D("0.4") for v in year_values], department=finance)
    html = login(leader).get(reverse("reporting:dashboard"), {"year": 2020}).content.decode()
    summary = re.search(r'data-testid="summary">(.*?)</section>', html, re.S).group(1)
    line = re.search(r'data-testid="top-department-electricity">(.*?)</p>', summary, re.S).group(1)
    assert "办公室" in line and "60.0%" in line
    assert "未计入任何科室" not in summary  # the departments count all of it
    assert 'data-testid="top-department-water"' not in summary  # water has no target this year
    assert 'id="dept-water"' in html and 'id="dept-electricity"' in html  # both tables below
