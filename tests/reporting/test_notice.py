"""The public-notice PDF: Chinese text extractable, no line starting with closing punctuation."""

import re
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from agencies.scoping import Scope
from reporting.disclosures import notice
from reporting.disclosures.notice import NO_LINE_START, NoticeContent, build_pdf, notice_render, wrap_cjk
from reporting.disclosures.services import disclosure_compute, disclosure_publish, disclosure_reopen
from reporting.periods import Quarter
from reporting.registry import PER_CAPITA
from reporting.targets.services import target_save
from tests.factories import scope_of
from tests.reporting.helpers import ELECTRICITY_2019, ELECTRICITY_2020, WATER_2019, WATER_2020, write_year

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CLOSING = "，。：；！？、）》」』”’"


def _pdftotext(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _long_paragraphs() -> list[tuple[str, str]]:
    """Paragraphs that put every closing mark at every column, so a naive break would start lines with one."""
    paragraphs = []
    for shift in range(30):
        text = "节" * shift
        for mark in CLOSING:
            text += "能源资源节约" * 4 + "型机关" + mark
        paragraphs.append(("body", text))
    return paragraphs


def test_no_line_starts_with_closing_punctuation_in_the_extracted_text(tmp_path):
    content = NoticeContent(
        ["测试单位", "换行规则测试"],
        _long_paragraphs(),
        [["指标"]],
        "测试单位",
        notice.date(2021, 1, 8),
        False,
    )
    pdf = build_pdf(content)
    text = _pdftotext(pdf, tmp_path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert len(lines) > 200 and len(PdfReader(io_bytes(pdf)).pages) >= 5
    page_numbers = [line for line in lines if re.fullmatch(r"—\s*\d+\s*—", line)]
    bad = [line for line in lines if line[0] in NO_LINE_START and line not in page_numbers]
    assert len(page_numbers) == len(PdfReader(io_bytes(pdf)).pages)
    assert not bad, bad[:5]
    assert "能源资源节约型机关" in text.replace("\n", "")
    # GB/T 9704: the issuing office and date never stand alone on the last page.
    last_page = [line.strip() for line in text.split("\f")[-2].splitlines() if line.strip()]
    assert last_page[-3:-1] == ["测试单位", "2021年1月8日"] and len(last_page) >= 5, last_page


def test_the_wrapper_never_starts_a_line_with_a_closing_mark_for_any_column():
    notice.register_font()
    for shift in range(1, 40):  # (a paragraph that itself begins with a mark is left alone)
        for mark in CLOSING + "．％…":
            lines = wrap_cjk(
                "字" * shift + mark + "字" * 60 + mark + mark + "字" * 30, size=16, width=156 * 2.8346
            )
            assert all(line[0] not in NO_LINE_START for line in lines), (shift, mark, lines)
            assert all(line[-1] not in "（《「『“" for line in lines)


def test_a_missing_font_gives_a_clear_error(settings, monkeypatch):
    monkeypatch.setattr(notice, "_font_registered", False)
    settings.NOTICE_FONT_PATH = "/nonexistent/font.ttc"
    with pytest.raises(notice.NoticeFontMissing) as error:
        notice.register_font()
    assert "NOTICE_FONT_PATH" in str(error.value) and "fonts-wqy-zenhei" in str(error.value)


@pytest.mark.django_db
def test_the_notice_of_a_published_quarter_shows_its_figures_and_embeds_the_font(
    agency, manager, indicators_registered, tmp_path
):
    target_save(
        scope=Scope.system(None), indicator="electricity", year=2020, baseline_year=2019, reduction_percent=3
    )
    target_save(
        scope=Scope.system(None),
        indicator="water",
        year=2020,
        baseline_year=2019,
        reduction_percent=3,
        basis=PER_CAPITA,
    )
    for key, old, new in [
        ("electricity", ELECTRICITY_2019, ELECTRICITY_2020),
        ("water", WATER_2019, WATER_2020),
    ]:
        write_year(agency, key, 2019, old)
        write_year(agency, key, 2020, new)
    q4 = Quarter(2020, 4)
    disclosure = disclosure_publish(
        scope=scope_of(manager), disclosure=disclosure_compute(agency=agency, quarter=q4)
    )
    pdf = notice_render(disclosure=disclosure)
    text = _pdftotext(pdf, tmp_path)
    flat = text.replace("\n", "").replace(" ", "")
    assert "临沂市医疗保障局" in flat and "2020年第四季度能源资源消耗情况公示" in flat
    assert f"{sum(ELECTRICITY_2020[9:]):,}.00" in text and "达标" in flat and "未达标" in flat
    assert "—1—" in text.replace(" ", "")
    reader = PdfReader(io_bytes(pdf))
    fonts = [f.get_object() for f in reader.pages[0]["/Resources"]["/Font"].values()]
    embedded = [
        f for f in fonts if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"].get_object()
    ]
    assert embedded and all("/ToUnicode" in f for f in embedded)  # embedded TrueType subsets, extractable
    page = reader.pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (595, 842)  # A4

    disclosure_reopen(scope=scope_of(manager, agency), quarter=q4, reason="十二月电量录入有误")
    v2 = disclosure_publish(scope=scope_of(manager), disclosure=disclosure_compute(agency=agency, quarter=q4))
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "notice-2020Q4.pdf").write_bytes(notice_render(disclosure=v2))
    corrected = _pdftotext(notice_render(disclosure=v2), tmp_path).replace("\n", "")
    assert "更正说明" in corrected and "十二月电量录入有误" in corrected


@pytest.mark.django_db
def test_the_render_notice_command_writes_the_pdf(agency, indicators_registered, tmp_path):
    disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    out, target = StringIO(), tmp_path / "n.pdf"
    call_command(
        "render_notice", "--agency", "LYYB", "--quarter", "2020Q4", "--output", str(target), stdout=out
    )
    assert target.read_bytes().startswith(b"%PDF") and "草稿" in out.getvalue()
    assert "草稿" in _pdftotext(target.read_bytes(), tmp_path)


def io_bytes(data: bytes):
    from io import BytesIO

    return BytesIO(data)
