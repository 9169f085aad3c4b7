"""What a posted notice carries (#12.2): its 发文字号, the basis (the agency's creation plan and its
number), the posting period and whom to tell of an objection, room for the seal over the office
and the date, 第四季度 and Chinese dates, and units as official documents write them."""

import re
import subprocess
from datetime import datetime
from decimal import Decimal as D
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agencies.scoping import Scope
from reporting.disclosures.notice import BODY_SIZE, LEFT, SEAL_ROOM, TYPE_WIDTH, notice_render
from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.periods import Quarter
from reporting.registry import PER_CAPITA
from reporting.targets.services import target_save
from tests.factories import scope_of
from tests.pdfs import missing_glyphs, text_lines
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, WATER_2019, WATER_2020, write_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]
PUBLISHED_AT = datetime(2021, 1, 8, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    )
    return "".join(out.stdout.split())


def _publish(agency, manager, **kwargs):
    target_save(
        scope=Scope.system(None), indicator="electricity", year=2020, baseline_year=2019, reduction_percent=3
    )
    target_save(
        scope=Scope.system(None),
        indicator="water",
        year=2020,
        baseline_year=2019,
        reduction_percent=D("2.5"),
        basis=PER_CAPITA,
    )
    for key, old, new in [
        ("electricity", ELECTRICITY_2019, ELECTRICITY_2020),
        ("water", WATER_2019, WATER_2020),
    ]:
        write_year(agency, key, 2019, old)
        write_year(agency, key, 2020, new)
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    return disclosure_publish(scope=scope_of(manager), disclosure=draft, at=PUBLISHED_AT, **kwargs)


def _name_the_plan(agency):
    agency.plan_title = "临沂市医疗保障局节约型机关创建工作实施方案"
    agency.plan_number = "临医保字〔2020〕30号"
    agency.notice_contact = "李鑫"
    agency.notice_phone = "0539-0000000"
    agency.notice_days = 7
    agency.save()


def test_the_posted_notice_names_its_number_basis_period_and_contact_in_official_forms(
    agency, manager, tmp_path
):
    _name_the_plan(agency)
    disclosure = _publish(agency, manager, document_number="临医保字〔2021〕2号")
    pdf = notice_render(disclosure=disclosure)
    text = _pdftotext(pdf, tmp_path)
    assert "2020年第四季度能源资源消耗情况公示临医保字〔2021〕2号" in text  # the number under the title
    assert "根据《临沂市医疗保障局节约型机关创建工作实施方案》（临医保字〔2020〕30号）要求" in text
    assert "2020年第四季度（10—12月）" in text and "本年累计数为1—12月的合计" in text
    assert "（一）用电。1—12月较2019年同期下降" in text and "年度目标为下降3%以上" in text
    assert "（二）人均用水。" in text and "年度目标为下降2.5%以上" in text
    assert "公示期为2021年1月8日至2021年1月14日" in text  # 7 days from publication
    assert "请向本单位能源资源管理办公室反映（联系人：李鑫，联系电话：0539-0000000）。" in text
    assert "用电（千瓦时）" in text and "用水（立方米）" in text and "人均用水（立方米/人）" in text
    assert re.search(r"临沂市医疗保障局2021年1月8日—\d—$", text)  # the office and date close it
    for wrong in ("≤", "1月至", "kWh", "m³", "第1季度", "2021-01-08"):
        assert wrong not in text, wrong
    assert "−" in text and missing_glyphs(pdf) == {}  # decreases with the one minus sign


def test_a_notice_without_plan_or_contact_still_says_when_and_where_to_object(agency, manager, tmp_path):
    text = _pdftotext(notice_render(disclosure=_publish(agency, manager)), tmp_path)
    assert "根据节约型机关创建工作要求，现将" in text and "《" not in text
    assert "公示期为2021年1月8日至2021年1月12日。公示期内如有异议，请向本单位能源资源管理办公室反映。" in text
    assert "发文字号" not in text and "〔2021〕" not in text  # no number printed when there is none


def test_the_seal_has_room_over_the_office_and_the_date(agency, manager):
    """GB/T 9704-2012 7.3.5.1: the date four characters from the right edge, the office centred
    over it, the seal's top within one line of the text, pressing on the office and the date."""
    _name_the_plan(agency)
    lines = text_lines(notice_render(disclosure=_publish(agency, manager)))
    office = [line for line in lines if line.text == "临沂市医疗保障局"][-1]  # not the title's first line
    day = next(line for line in lines if line.text == "2021年1月8日")
    above = [line for line in lines if line.page == office.page and line.bottom < office.top]
    last_text = max(above, key=lambda line: line.top)  # the text's last line before the signature
    gap = office.top - last_text.top
    assert gap >= SEAL_ROOM + BODY_SIZE  # three blank lines: the 42 mm seal fits above the office's line
    assert gap <= SEAL_ROOM + 2 * BODY_SIZE * 1.75  # … and its top stays within a line of the text
    assert day.top > office.top and abs(LEFT + TYPE_WIDTH - 4 * BODY_SIZE - day.right) < 2  # 右空四字
    assert (
        abs((office.left + office.right) / 2 - (day.left + day.right) / 2) < 2
    )  # the office centred over it


def test_a_manager_names_the_plan_and_the_contact_on_the_profile_and_numbers_the_notice_when_publishing(
    agency, manager, login
):
    client = login(manager)
    response = client.post(
        reverse("agencies:notice_save"),
        {
            "plan_title": "《临沂市医疗保障局节约型机关创建工作实施方案》",
            "plan_number": "临医保字〔2020〕30号",
            "notice_contact": "李鑫",
            "notice_phone": "0539-0000000",
            "notice_days": "5",
        },
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert (
        agency.plan_title == "临沂市医疗保障局节约型机关创建工作实施方案"
    )  # the book-title marks are the notice's
    assert client.post(reverse("agencies:notice_save"), {"notice_days": "0"}).status_code == 400

    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    page = client.get(reverse("reporting:disclosure_detail", args=[draft.pk])).content.decode()
    assert "发文字号" in page and "What this version corrects" not in page
    client.post(
        reverse("reporting:disclosure_publish", args=[draft.pk]), {"document_number": " 临医保字〔2021〕2号 "}
    )
    draft.refresh_from_db()
    assert draft.is_published and draft.document_number == "临医保字〔2021〕2号"
