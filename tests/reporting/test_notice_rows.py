"""What the public notice shows: only indicators with data, units in Chinese (元, not "yuan")."""

import subprocess
from io import BytesIO

import pytest
from django.utils import translation
from openpyxl import load_workbook

from reporting.disclosures.notice import notice_content, notice_render
from reporting.disclosures.services import disclosure_compute, disclosure_publish
from reporting.disclosures.snapshot import notice_items
from reporting.models import DisclosureStatus
from reporting.periods import Quarter
from reporting.registry import get_indicator, indicators
from tests.factories import scope_of
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, write_year

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]

COST = "energy_cost"  # registered by the ledger with unit gettext_lazy("yuan")


def _zh(indicator) -> str:
    with translation.override("zh-hans"):
        return str(indicator.name)


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout.replace("\n", "")


@pytest.fixture
def published(agency, manager):
    write_year(agency, "electricity", 2019, ELECTRICITY_2019)
    write_year(agency, "electricity", 2020, ELECTRICITY_2020)
    write_year(agency, COST, 2020, [1000] * 12)
    draft = disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    return disclosure_publish(scope=scope_of(manager), disclosure=draft)


def test_an_indicator_without_any_figure_is_left_out_of_the_notice_and_one_with_figures_stays(
    published, client, tmp_path
):
    empty = [i for i in indicators() if i.key not in {"electricity", COST}]
    assert empty, "the test needs a registered indicator without figures"
    keys = [item["key"] for item in notice_items(published.data)]
    assert "electricity" in keys and not {i.key for i in empty} & set(keys)
    assert len(published.data["indicators"]) == len(indicators())  # the snapshot itself keeps every row

    rows = [row[0] for row in notice_content(published).table[1:]]
    assert any(row.startswith(_zh(get_indicator("electricity"))) for row in rows)
    assert not any(row.endswith(f"{_zh(i)}（{i.unit}）") for i in empty for row in rows)
    assert not any(all(cell == "—" for cell in row[1:]) for row in notice_content(published).table[1:])

    text = _pdftotext(notice_render(disclosure=published), tmp_path)
    assert f"{_zh(get_indicator('electricity'))}（千瓦时）" in text  # units as documents write them
    page = client.get(f"/reporting/public/{published.pk}/").content.decode()
    assert _zh(get_indicator("electricity")) in page
    for indicator in empty:
        names = [f"{_zh(indicator)}（", f"{_zh(indicator)} <span"]
        assert not any(n in text for n in names[:1]) and not any(n in page for n in names[1:])


def test_the_cost_unit_reads_yuan_in_chinese_on_the_notice_the_page_and_the_excel_files(
    published, manager, login, tmp_path
):
    cost = next(i for i in published.data["indicators"] if i["key"] == COST)
    assert (cost["unit"], cost["unit_en"]) == ("元", "yuan")
    text = _pdftotext(notice_render(disclosure=published), tmp_path)
    assert "（元）" in text and "yuan" not in text

    client = login(manager)
    assert published.status == DisclosureStatus.PUBLISHED
    detail = client.get(f"/reporting/disclosures/{published.pk}/").content.decode()
    assert "(元)" in detail and "yuan" not in detail
    sheet = load_workbook(
        BytesIO(client.get(f"/reporting/disclosures/{published.pk}/export.xlsx").content)
    ).active
    assert "元" in [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    ledger = load_workbook(BytesIO(client.get("/reporting/ledger.xlsx?year=2020").content)).active
    units = [row[1] for row in ledger.iter_rows(min_row=3, values_only=True)]
    assert "元" in units and "yuan" not in units


def test_a_paragraph_never_ends_on_a_line_of_one_character():
    from reporting.disclosures.notice import NO_LINE_START, register_font, wrap_cjk

    register_font()
    size = 16
    for tail in ("映。", "映", "映。”"):
        lines = wrap_cjk("节" * 27 + tail, size=size, width=27 * size)
        assert len(lines) == 2 and lines[-1] == "节" + tail
        assert lines[0] == "节" * 26 and lines[1][0] not in NO_LINE_START
    assert wrap_cjk("节" * 20, size=size, width=27 * size) == ["节" * 20]  # a single line stays


def test_the_office_and_date_follow_gb_t_9704_for_a_notice_without_a_seal():
    from reporting.disclosures.notice import BODY_SIZE, TYPE_WIDTH, Signature, _width, register_font

    register_font()
    long_office = Signature("临沂市委机关事务管理办公室", "2021年1月8日")
    office_x, date_x = long_office.positions(TYPE_WIDTH)
    assert office_x + _width("临沂市委机关事务管理办公室", BODY_SIZE) == pytest.approx(
        TYPE_WIDTH - 2 * BODY_SIZE
    )
    assert date_x == pytest.approx(office_x + 2 * BODY_SIZE)  # the date starts two characters right

    short_office = Signature("某局", "2021年12月31日")  # a date longer than the office
    office_x, date_x = short_office.positions(TYPE_WIDTH)
    assert date_x + _width("2021年12月31日", BODY_SIZE) == pytest.approx(TYPE_WIDTH - 2 * BODY_SIZE)
    assert office_x == pytest.approx(date_x - 2 * BODY_SIZE)
