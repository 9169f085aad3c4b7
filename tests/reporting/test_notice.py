"""The public-notice PDF: Chinese text extractable, no line starting with closing punctuation."""

import re
import subprocess
from io import StringIO
from pathlib import Path
from unittest import mock

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
from tests.pdfs import assert_every_font_embedded, missing_glyphs, text_by_font
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


def test_a_missing_font_gives_a_clear_error(settings):
    settings.NOTICE_FONTS = {**settings.NOTICE_FONTS, "body": "/nonexistent/simfang.ttf"}
    with pytest.raises(notice.NoticeFontMissing) as error:
        notice.register_font()
    message = str(error.value)
    assert "NOTICE_FONT_BODY" in message and "fonts-arphic-gkai00mp" in message and "simfang.ttf" in message


def _quarter_with_targets(agency, manager):
    """2020Q4 published, electricity (total) and water (per capita) against 2019 with 3 % targets."""
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
    return disclosure_publish(
        scope=scope_of(manager), disclosure=disclosure_compute(agency=agency, quarter=Quarter(2020, 4))
    )


@pytest.mark.django_db
def test_each_part_of_the_notice_is_drawn_in_its_gb_t_9704_face_every_face_embedded_no_glyph_missing(
    agency, manager, indicators_registered
):
    pdf = notice_render(disclosure=_quarter_with_targets(agency, manager))
    fonts = assert_every_font_embedded(pdf)
    assert all(f["type"] == "TrueType" for f in fonts), fonts
    assert not any("Helvetica" in f["name"] for f in fonts)
    drawn = {font: "".join(text.split()) for font, text in text_by_font(pdf).items()}
    song, kai, hei = "BousungEG-Light-GB", "GBZenKai-Medium", "WenQuanYiZenHei-0"  # AR PL SungtiL/KaitiM GB
    assert "2020年第四季度能源资源消耗情况公示" in drawn[song] and "—1—" in drawn[song]  # title, page numbers
    assert "一、能源资源消耗情况" in drawn[hei] and "二、节约目标完成情况" in drawn[hei]  # level-1 headings
    assert "现将" in drawn[kai] and "临沂市医疗保障局" in drawn[kai]  # body (FangSong's stand-in)
    assert "−" in drawn["DejaVuSans"]  # the one minus sign, which no GB 2312 face has
    assert "−" not in drawn[kai] + drawn[song] + drawn[hei]
    assert missing_glyphs(pdf) == {}


@pytest.mark.django_db
def test_the_glyph_check_catches_a_character_drawn_in_a_face_without_it(
    agency, manager, indicators_registered
):
    with mock.patch.object(notice.fonts, "runs", lambda text, name: [(name, text)]):  # no fallback face
        pdf = notice_render(disclosure=_quarter_with_targets(agency, manager))
    assert set(missing_glyphs(pdf)) == {"GBZenKai-Medium"}


@pytest.mark.django_db
def test_an_office_points_a_role_at_its_own_truetype_file(agency, manager, indicators_registered, settings):
    """An office with simfang.ttf sets NOTICE_FONT_BODY; here Zen Hei stands in for that file."""
    settings.NOTICE_FONTS = {
        **settings.NOTICE_FONTS,
        "body": "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc#0",
    }
    pdf = notice_render(disclosure=_quarter_with_targets(agency, manager))
    drawn = text_by_font(pdf)
    assert "GBZenKai-Medium" not in drawn and "现将" in "".join(drawn["WenQuanYiZenHei-0"].split())
    assert missing_glyphs(pdf) == {}


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
