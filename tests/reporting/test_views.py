"""Pages: targets, disclosures with POST-only actions, Excel exports and the public notices."""

import re
from datetime import date
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from agencies.scoping import Scope
from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.models import Disclosure, DisclosureStatus, PeriodLock, Target
from reporting.periods import Quarter
from reporting.targets.services import target_save
from tests.factories import scope_of
from tests.pdfs import assert_every_font_embedded, missing_glyphs
from tests.reporting.factories import DisclosureFactory
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, write_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]


@pytest.fixture
def figures(agency):
    write_year(agency, "electricity", 2019, ELECTRICITY_2019)
    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    target_save(
        scope=Scope.system(None), indicator="electricity", year=2020, baseline_year=2019, reduction_percent=3
    )


def test_the_targets_page_shows_the_evaluation_and_a_manager_sets_an_own_target(figures, manager, login):
    client = login(manager)
    page = client.get("/reporting/targets/?year=2020").content.decode()
    assert "达标" in page and f"{sum(ELECTRICITY_2020):,}.00" in page
    response = client.post(
        "/reporting/targets/save/",
        {
            "indicator": "electricity",
            "year": 2020,
            "baseline_year": 2019,
            "reduction_percent": "5",
            "basis": "total",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert Target.objects.get(agency=manager.memberships.get().agency).reduction_percent == 5
    page = client.get("/reporting/targets/?year=2020").content.decode()
    assert "未达标" in page  # −3.67 % does not reach the own −5 %


def test_the_targets_page_names_each_indicator_and_basis_in_words_never_by_key(figures, manager, login):
    target_save(
        scope=Scope.system(None),
        indicator="water",
        year=2020,
        baseline_year=2019,
        reduction_percent=3,
        basis="per_capita",
    )
    client = login(manager)
    with translation.override("zh-hans"):
        page = client.get("/reporting/targets/?year=2020").content.decode()
        saved = client.post(
            "/reporting/targets/save/",
            {"indicator": "electricity", "year": 2020, "baseline_year": 2019, "reduction_percent": "5",
             "basis": "total"},
            follow=True,
        ).content.decode()  # fmt: skip
    listed = re.search(r"<h2[^>]*>本年度目标</h2>(.*?)</ul>", page, re.S).group(1)
    assert "用电 · −3.00% · 全局总量 · 基准年 2019" in re.sub(r"\s+", " ", listed)
    assert "用水 · −3.00% · 人均 · 基准年 2019" in re.sub(r"\s+", " ", listed)
    assert "electricity" not in listed and "water" not in listed and "· ·" not in listed
    evaluated = re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1)
    assert "人均" in evaluated and "−3.67%" in evaluated  # the change signed as on every page
    assert "已保存目标 2020 用电 −5% (临沂市医疗保障局)。" in saved


def test_a_leader_reads_but_cannot_publish(agency, leader, login):
    draft = DisclosureFactory(agency=agency)
    client = login(leader)
    assert client.get(f"/reporting/disclosures/{draft.pk}/").status_code == 200
    assert client.post(f"/reporting/disclosures/{draft.pk}/publish/").status_code == 403
    assert client.get(f"/reporting/disclosures/{draft.pk}/publish/").status_code == 405


def test_a_manager_computes_publishes_and_reopens_with_a_reason_through_the_pages(
    figures, agency, manager, login, django_capture_on_commit_callbacks
):
    client = login(manager)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post("/reporting/disclosures/compute/", {"quarter": "2020Q4"}).status_code == 302
    assert len(callbacks) == 1  # the Celery task is enqueued on commit (eager in tests)
    draft = Disclosure.objects.get(agency=agency, year=2020, quarter=4)
    page = client.get(f"/reporting/disclosures/{draft.pk}/").content.decode()
    assert "26,000.00" in page and "草稿" in page

    client.post(f"/reporting/disclosures/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == DisclosureStatus.PUBLISHED
    locks = set(PeriodLock.objects.filter(agency=agency).values_list("month", "indicator"))
    assert {(month, "electricity") for month in Quarter(2020, 4).months} <= locks

    response = client.post(f"/reporting/disclosures/{draft.pk}/reopen/", {"reason": ""}, follow=True)
    assert "请说明重新打开" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DisclosureStatus.PUBLISHED
    client.post(f"/reporting/disclosures/{draft.pk}/reopen/", {"reason": "更正十二月用电量"})
    draft.refresh_from_db()
    assert draft.status == DisclosureStatus.SUPERSEDED
    assert not PeriodLock.objects.filter(agency=agency, month=date(2020, 12, 1)).exists()


def test_a_bad_quarter_is_refused_in_chinese(manager, login):
    response = login(manager).post("/reporting/disclosures/compute/", {"quarter": "2020Q9"}, follow=True)
    assert "2020Q9" in response.content.decode() and "2020Q4" in response.content.decode()
    assert not Disclosure.objects.exists()


def test_the_public_page_lists_only_published_notices_and_a_draft_is_404(
    figures, agency, other_agency, client
):
    published = DisclosureFactory(agency=agency, status=DisclosureStatus.PUBLISHED, year=2020, quarter=3)
    newer = DisclosureFactory(agency=other_agency, status=DisclosureStatus.PUBLISHED, year=2020, quarter=4)
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    page = client.get("/reporting/public/").content.decode()
    assert f"/reporting/public/{published.pk}/" in page and f"/reporting/public/{newer.pk}/" in page
    assert f"/reporting/public/{draft.pk}/" not in page
    assert page.index(f"/reporting/public/{newer.pk}/") < page.index(f"/reporting/public/{published.pk}/")
    assert client.get(f"/reporting/public/{draft.pk}/").status_code == 404
    assert client.get(f"/reporting/public/{draft.pk}/notice.pdf").status_code == 404
    pdf = client.get(f"/reporting/public/{published.pk}/notice.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert_every_font_embedded(pdf.content) and not missing_glyphs(pdf.content)
    assert client.get(f"/reporting/public/{published.pk}/").status_code == 200


def test_the_notice_page_gives_every_unit_and_name_in_the_readers_language(figures, agency, manager, client):
    """The page beside the PDF: 千瓦时 and 千瓦时/平方米 as the notice prints them (not the frozen
    codes kWh/m² beside Chinese names), and in English the English names and units."""
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    disclosure_publish(scope=scope_of(manager), disclosure=draft)
    chinese = client.get(f"/reporting/public/{draft.pk}/").content.decode()  # the site's language
    table = re.search(r"<tbody>(.*?)</tbody>", chinese, re.S).group(1)
    units = re.findall(r'<span class="text-muted">\((.*?)\)</span>', table)
    assert "千瓦时" in units and "千瓦时/平方米" in units
    assert not [unit for unit in units if re.search(r"[A-Za-z]", unit)], units
    client.cookies["django_language"] = "en"
    english = client.get(f"/reporting/public/{draft.pk}/").content.decode()
    table = re.search(r"<tbody>(.*?)</tbody>", english, re.S).group(1)
    assert "Electricity" in table and "(kWh)" in table and "(kWh/m²)" in table and "千瓦时" not in table


def test_the_excel_exports_have_chinese_headers_and_the_ledger_figures(figures, agency, manager, login):
    client = login(manager)
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    sheet = load_workbook(
        BytesIO(client.get(f"/reporting/disclosures/{draft.pk}/export.xlsx").content)
    ).active
    assert [c.value for c in sheet[3]][:4] == ["指标", "单位", "本季度", "本年累计"]
    assert sheet["C4"].value == sum(ELECTRICITY_2020[9:])

    ledger = load_workbook(BytesIO(client.get("/reporting/ledger.xlsx?year=2020").content)).active
    assert "能源资源消费统计台账" in ledger["A1"].value
    assert [c.value for c in ledger[2]][:3] == ["指标", "单位", "1月"]
    row = [c.value for c in ledger[3]]
    assert row[2:14] == ELECTRICITY_2020 and row[14] == sum(ELECTRICITY_2020)
