"""The electricity statistics and analysis report: its figures match the ledger, page, Excel and PDF."""

import re
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from reporting import registry
from reporting.dashboards.common import last_quarter
from reporting.models import MonthlyFigure
from tests.pdfs import assert_every_font_embedded, missing_glyphs
from tests.reporting.dashboard_helpers import dashboard_registry, default_targets, seed_bureau
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, write_year

pytestmark = pytest.mark.django_db
REPORT, XLSX, PDF = (
    "reporting:analysis_report",
    "reporting:analysis_report_xlsx",
    "reporting:analysis_report_pdf",
)
D = Decimal


@pytest.fixture(autouse=True)
def registered():
    with dashboard_registry(with_alert=False):
        yield


@pytest.fixture
def bureau(agency, department):
    default_targets()
    seed_bureau(agency)
    return agency


def _by_hand(agency, year, months):
    """Sums straight from the ledger's monthly figures, one row at a time."""
    totals, departments, items = D(0), {}, {}
    for figure in MonthlyFigure.objects.filter(agency=agency, month__year=year, month__month__in=months):
        if figure.indicator == "electricity" and figure.department is None:
            totals += figure.value
        elif figure.indicator == "electricity":
            departments[figure.department.name] = departments.get(figure.department.name, D(0)) + figure.value
        elif figure.indicator.startswith("electricity.") and figure.department is None:
            items[figure.indicator] = items.get(figure.indicator, D(0)) + figure.value
    return totals, departments, items


@pytest.mark.parametrize(("quarter", "months"), [(4, [10, 11, 12]), (None, list(range(1, 13)))])
def test_the_report_matches_the_ledger_figures(bureau, leader, login, quarter, months):
    params = {"year": 2020, **({"quarter": quarter} if quarter else {})}
    report = login(leader).get(reverse(REPORT), {"report": "electricity", **params}).context["r"]

    total, departments, items = _by_hand(bureau, 2020, months)
    total_2019, departments_2019, _items_2019 = _by_hand(bureau, 2019, months)
    assert report.total.value == total and report.total.previous == total_2019
    assert report.baseline_year == 2019 and report.total.baseline == total_2019
    assert report.total.change_previous == ((total - total_2019) / total_2019 * 100).quantize(D("0.01"))
    assert {line.name: line.value for line in report.departments} == departments
    assert {line.name: line.previous for line in report.departments} == departments_2019
    assert report.departments[0].name == "办公室"
    assert report.departments[0].share == (departments["办公室"] / total * 100).quantize(D("0.01"))
    by_name = {line.name: line.value for line in report.items}
    item_keys = ("electricity.air_conditioning", "electricity.lighting", "electricity.power")
    with translation.override("zh-hans"):
        names = {k: str(registry.get_indicator(k).name) for k in item_keys}
    assert by_name[names["electricity.air_conditioning"]] == items["electricity.air_conditioning"]
    assert by_name[names["electricity.lighting"]] == items["electricity.lighting"]
    monthly = MonthlyFigure.objects.filter(agency=bureau, indicator="electricity", department=None)
    assert [line.value for line in report.monthly] == [
        monthly.get(month__year=2020, month__month=m).value for m in months
    ]
    # The largest change, by hand: the biggest absolute difference of any department or item.
    _t, _d, items_2019 = _by_hand(bureau, 2019, months)
    deltas = {name: departments[name] - departments_2019[name] for name in departments}
    deltas |= {key: items[key] - items_2019[key] for key in items}
    largest = max(deltas, key=lambda name: abs(deltas[name]))
    assert report.largest_changes[0][1].name == names.get(largest, largest)
    assert report.largest_changes[0][1].delta_previous == deltas[largest]
    assert sum(line.share for line in report.monthly) == pytest.approx(100, abs=0.05)
    # electricity declares per m² (the ledger's bases): the report divides by that year's area
    from agencies.models import AgencyYear

    area = AgencyYear.objects.get(agency=bureau, year=2020).building_area
    [per_area] = report.bases
    assert per_area.unit == "千瓦时/平方米" and per_area.value == total / area


def test_the_page_states_the_analysis_in_chinese(bureau, manager, login):
    html = login(manager).get(reverse(REPORT), {"report": "electricity", "year": 2020}).content.decode()
    assert "2020年度用电消耗情况统计汇总和分析报告" in html
    assert "比上年同期" in html and "下降" in html and "用量最多的科室：办公室" in html
    assert 'data-testid="report-departments"' in html and 'data-chart="monthly"' in html


def test_the_report_defaults_to_the_latest_quarter_with_figures(bureau, leader, login):
    report = login(leader).get(reverse(REPORT), {"report": "electricity"}).context["r"]
    assert (report.year, report.quarter) == (2020, 4)


def test_the_report_does_not_open_on_a_quarter_that_has_not_ended(bureau, leader, login):
    """Figures of this month already entered: the report still opens on the last quarter that has
    ended — this quarter's months to come would be compared with the whole quarter of last year."""
    today = timezone.localdate()
    write_year(bureau, "electricity", today.year, [D(100)] * today.month)
    report = login(leader).get(reverse(REPORT), {"report": "electricity"}).context["r"]
    ended = last_quarter(today)
    assert (report.year, report.quarter) == (ended.year, ended.number)


def test_a_quarter_not_over_yet_is_read_through_its_last_ended_month_against_the_same_months(
    bureau, leader, login, monkeypatch
):
    """On 2020-11-15 the fourth quarter has only October behind it: this year's October against
    last year's October, not October–December — the page says through which month."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2020, 11, 15))
    client = login(leader)
    with translation.override("zh-hans"):
        response = client.get(reverse(REPORT), {"report": "electricity", "year": 2020, "quarter": 4})
    report = response.context["r"]
    assert report.total.value == D(ELECTRICITY_2020[9]) and report.total.previous == D(ELECTRICITY_2019[9])
    assert [line.name for line in report.monthly] == ["10月"]
    assert "2020年第四季度（截至2020年10月）" in response.content.decode()
    whole = client.get(reverse(REPORT), {"report": "electricity", "year": 2019, "quarter": 4}).context["r"]
    assert whole.through is None and whole.total.value == sum(D(v) for v in ELECTRICITY_2019[9:])
    # not asked: the last quarter that has ended, though December's figures are in
    assert client.get(reverse(REPORT), {"report": "electricity"}).context["r"].quarter == 3


def test_the_water_report_names_what_it_divides_by_and_uses_no_word_of_electricity(bureau, leader, login):
    with translation.override("zh-hans"):
        html = login(leader).get(reverse(REPORT), {"report": "water", "year": 2020}).content.decode()
    analysis = re.search(r'data-testid="analysis">(.*?)</section>', html, re.S).group(1)
    assert "人均" in analysis and "（用能人数45人）" in analysis and "除数" not in analysis
    assert "用电" not in analysis


def test_the_excel_file_opens_with_chinese_headers_and_the_same_figures(bureau, leader, login):
    response = login(leader).get(reverse(XLSX), {"report": "electricity", "year": 2020, "quarter": 4})
    assert response.status_code == 200
    assert "filename*=UTF-8''electricity-LYYB-2020Q4.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["分析", "汇总", "按月统计", "按科室统计", "按分项统计", "变化最大"]
    assert workbook["分析"]["A1"].value == "2020年第四季度用电消耗情况统计汇总和分析报告"
    sheet = workbook["按科室统计"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["科室", "本期（千瓦时）", "上年同期", "同比变化（%）"]
    total, departments, _items = _by_hand(bureau, 2020, [10, 11, 12])
    rows = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {name: pytest.approx(float(value)) for name, value in departments.items()}
    assert workbook["汇总"]["B2"].value == pytest.approx(float(total))


def test_the_pdf_opens_and_its_chinese_text_can_be_extracted(bureau, leader, login):
    response = login(leader).get(reverse(PDF), {"report": "electricity", "year": 2020})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "2020年度用电消耗情况统计汇总和分析报告" in text.replace("\n", "")
    assert "办公室" in text and "按科室统计" in text
    # Decreases with the one minus sign (U+2212), drawn in the fallback face where the body's lacks it.
    assert re.search(r"办公室 −[\d,]+ 千瓦时", text.replace("\n", ""))
    assert_every_font_embedded(response.content) and not missing_glyphs(response.content)


def test_the_report_is_for_leaders_managers_and_the_city(bureau, clerk, login):
    for name in [
        "reporting:analysis_report",
        "reporting:analysis_report_xlsx",
        "reporting:analysis_report_pdf",
    ]:
        assert login(clerk).get(reverse(name), {"report": "electricity"}).status_code == 403


def test_an_agency_without_figures_gets_a_readable_report(agency, leader, login):
    response = login(leader).get(reverse(REPORT), {"report": "electricity"})
    assert response.status_code == 200
    assert "尚无用电数据" in response.content.decode()
    assert login(leader).get(reverse(PDF), {"report": "electricity"}).status_code == 200


def test_one_report_module_serves_every_registered_indicator(bureau, leader, login):
    """Water has the same page, Excel file and PDF; its report divides by 用能人数 (its base)."""
    client = login(leader)
    page = client.get(reverse(REPORT), {"report": "water", "year": 2020})
    assert page.status_code == 200
    report = page.context["r"]
    assert (
        report.definition.indicator == "water"
        and "2020年度用水消耗情况统计汇总和分析报告" in page.content.decode()
    )
    [per_capita] = report.bases
    assert per_capita.unit == "立方米/人" and per_capita.divisor == 45
    assert per_capita.value == report.total.value / 45
    assert client.get(reverse(XLSX), {"report": "water", "year": 2020}).status_code == 200
    assert client.get(reverse(PDF), {"report": "water", "year": 2020}).status_code == 200
    assert client.get(reverse(REPORT), {"report": "no-such-report"}).status_code == 404


def test_a_report_shows_its_related_indicators_a_ratio_divided_after_summing(agency, leader, login):
    """The test app's haul report: fuel, with the distance and L/100 km beside it."""
    from tests.spineapp.models import Haul

    for month in range(1, 4):
        Haul.objects.create(agency=agency, month=date(2020, month, 1), litres=D(100 * month), km=D(1000))
    call_command("refresh_figures", "--agency", agency.code, "--year", "2020", stdout=StringIO())
    report = login(leader).get(reverse(REPORT), {"report": "hauls", "year": 2020, "quarter": 1}).context["r"]
    assert report.total.value == 600
    related = {line.name: line.value for line in report.related}
    assert related["Haul distance（公里）"] == 3000
    assert related["Haul fuel per 100 km（L/100km）"] == 20  # 600 L / 3,000 km × 100, not 10 + 20 + 30
