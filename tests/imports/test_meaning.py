"""Headers read by meaning (#13.1), nothing dropped unlisted (#13.3), wide monthly sheets (#13.5),
two-row headers, and the length and control-character checks of text cells (#10.8)."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from imports.pipeline import (
    AMBIGUOUS,
    BY_WORDS,
    EXACT,
    LOOKS_LIKE,
    MONTH,
    HeaderError,
    choose_sheet,
    column_spellings,
    find_header,
    month_of_header,
    validate_rows,
)
from imports.reader import ImportFileError, Sheet, read_workbook
from imports.registry import Column, ImportKind, Validated, WriteSummary, get_import_kind

from .files import csv_file, xlsx


def readings():
    return get_import_kind("readings")


def taken(header) -> dict[str, str]:
    """header as written → column key, for the headers taken."""
    return {cell.text: cell.key for cell in header.cells if cell.key}


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["电表编号", "抄表\n日期", "本月电表读数（kWh）", "上月读数", "本期用量"],
            {
                "电表编号": "meter",
                "抄表\n日期": "date",
                "本月电表读数（kWh）": "value",
                "上月读数": "previous",
                "本期用量": "usage",
            },
        ),
        (
            ["表号", "抄表日期", "起码", "止码"],
            {"表号": "meter", "抄表日期": "date", "起码": "previous", "止码": "value"},
        ),
        (
            ["计量器具编号", "日 期", "表底数", "备 注"],
            {"计量器具编号": "meter", "日 期": "date", "表底数": "value", "备 注": "note"},
        ),
        (
            ["ＮＯ．表号", "抄表日期", "本期表数", "上期表数", "本期实用量(度)"],
            {
                "ＮＯ．表号": "meter",
                "抄表日期": "date",
                "本期表数": "value",
                "上期表数": "previous",
                "本期实用量(度)": "usage",
            },
        ),
        (  # 用电量 (usage, three characters) outweighs 本期 (the reading's word, two)
            ["表号", "抄表日期", "读数", "本期用电量"],
            {"表号": "meter", "抄表日期": "date", "读数": "value", "本期用电量": "usage"},
        ),
        (  # a header that names nothing (序号) before the ones that do
            ["序号", "表号", "抄表日期", "读数"],
            {"表号": "meter", "抄表日期": "date", "读数": "value"},
        ),
        (  # a spelling of two characters (类型, the event's) counts as a word inside a longer header
            ["表号", "抄表日期", "读数", "抄表类型"],
            {"表号": "meter", "抄表日期": "date", "读数": "value", "抄表类型": "event"},
        ),
    ],
)
def test_a_header_is_taken_by_the_words_it_holds_and_ruled_out_by_the_words_that_exclude_it(
    tmp_path, headers, expected
):
    path = csv_file(tmp_path / "a.csv", [headers])
    _sheet, header = choose_sheet(read_workbook(path), readings())
    assert taken(header) == expected


def test_the_parent_meter_is_named_by_its_words_and_never_taken_for_the_meters_own_code(tmp_path):
    path = csv_file(tmp_path / "m.csv", [["计量表编号", "名称", "类型", "所属上级计量表编号"]])
    _sheet, header = choose_sheet(read_workbook(path), get_import_kind("meters"))
    assert taken(header) == {
        "计量表编号": "code",
        "名称": "name",
        "类型": "kind",
        "所属上级计量表编号": "parent",
    }


TWINS = ImportKind(
    key="test_twins",
    label=_("Twins"),
    columns=(
        Column("code", _("Code"), synonyms=("编号",)),
        Column("water", _("Water"), words=("用量",)),
        Column("power", _("Power"), words=("用量",), required=False),
    ),
    prepare=lambda context: None,
    validate=lambda state, values, row: Validated(values, "new"),
    write=lambda state, records: WriteSummary(created=len(records)),
)


def test_a_header_two_columns_claim_equally_is_asked_about_not_guessed(tmp_path):
    path = csv_file(tmp_path / "t.csv", [["本月用量", "编号"], ["1", "A"]])
    with pytest.raises(HeaderError) as error:
        choose_sheet(read_workbook(path), TWINS)
    (cell,) = [c for c in error.value.header.cells if c.text == "本月用量"]
    assert cell.key is None and cell.status == AMBIGUOUS and set(cell.candidates) == {"water", "power"}
    assert error.value.header.positions == {"code": 1}  # the headers after it are still read


def test_every_header_not_imported_is_listed_and_one_that_looks_like_a_column_is_flagged(tmp_path):
    path = csv_file(
        tmp_path / "a.csv",
        [["表号", "抄表日期", "读数", "表底数", "抄表人", ""], ["E-1", "2020-01-31", "1", "1", "王", ""]],
    )
    _sheet, header = choose_sheet(read_workbook(path), readings())
    by_text = {cell.text: cell for cell in header.not_imported()}
    assert set(by_text) == {"表底数", "抄表人"}
    assert by_text["表底数"].status == LOOKS_LIKE and by_text["表底数"].candidates == ("value",)
    assert by_text["抄表人"].candidates == ()


def test_two_headers_naming_a_column_equally_by_words_are_asked_about_and_the_rest_still_taken(tmp_path):
    def _statuses(headers):
        _sheet, header = choose_sheet(read_workbook(csv_file(tmp_path / "s.csv", [headers])), readings())
        return {cell.text: (cell.key, cell.status, cell.candidates) for cell in header.cells}

    assert _statuses(["电表用量", "水表用量", "表号", "抄表日期", "本月电表读数"]) == {
        "电表用量": (None, AMBIGUOUS, ("usage",)),
        "水表用量": (None, AMBIGUOUS, ("usage",)),
        "表号": ("meter", EXACT, ("meter",)),
        "抄表日期": ("date", EXACT, ("date",)),
        "本月电表读数": ("value", BY_WORDS, ("value",)),
    }
    # a header that names the column exactly, after them, takes it; they only look like it
    assert _statuses(["电表用量", "水表用量", "表号", "抄表日期", "读数", "本期用量"]) == {
        "电表用量": (None, LOOKS_LIKE, ("usage",)),
        "水表用量": (None, LOOKS_LIKE, ("usage",)),
        "表号": ("meter", EXACT, ("meter",)),
        "抄表日期": ("date", EXACT, ("date",)),
        "读数": ("value", EXACT, ("value",)),
        "本期用量": ("usage", EXACT, ("usage",)),
    }


@pytest.mark.parametrize("title", [["2020年3月抄表记录"], ["2020年3月抄表记录", "", "", "单位：kWh"]])
def test_a_header_row_right_under_a_title_line_is_read_alone(tmp_path, title):
    """A CSV saved by Excel: the title line (with a note at its right end), then the header line, no
    blank line between — the header is read on its own, not under the title as group headings."""
    path = csv_file(tmp_path / "t.csv", [title, ["表号", "抄表日期", "读数"], ["E-1", "2020-03-31", "5"]])
    _sheet, header = choose_sheet(read_workbook(path), readings())
    assert header.row_index == 1
    assert {c.text: (c.key, c.status) for c in header.cells} == {
        "表号": ("meter", EXACT),
        "抄表日期": ("date", EXACT),
        "读数": ("value", EXACT),
    }


def test_a_header_row_naming_nothing_is_the_widest_row_offered_for_mapping(tmp_path):
    """No row names a column: the header offered to the manager is the widest row near the top
    (a title line above it is not), and a sheet of one unknown header still offers it."""
    rows = [["2020年抄表记录"], ["仪表", "时间", "示值"], ["E-1", "2020-03-31", "5"]]
    with pytest.raises(HeaderError) as error:
        choose_sheet(read_workbook(csv_file(tmp_path / "a.csv", rows)), readings())
    assert [cell.text for cell in error.value.header.cells] == ["仪表", "时间", "示值"]
    with pytest.raises(HeaderError) as error:
        choose_sheet(read_workbook(csv_file(tmp_path / "b.csv", [["仪表"], ["E-1"]])), readings())
    assert [(cell.text, cell.key) for cell in error.value.header.cells] == [("仪表", None)]


@pytest.mark.parametrize("title", [["2021年用电量台账"], ["2021年用电量台账", "", "", "读数单位：kWh"]])
def test_a_wide_sheets_month_headers_outweigh_a_title_that_names_a_column_or_two(tmp_path, title):
    """The title line names the usage column (用电量), or that and the reading (读数) in a unit note
    at its right, by their words; the row of months under it, with one column named, is the
    header: months count as two columns named."""
    rows = [title, ["表号", "1月", "2月", "3月"], ["E-1", "5", "6", "7"]]
    header, outcome = _wide(csv_file(tmp_path / "w.csv", rows))
    assert header.row_index == 1 and header.is_wide
    assert [(r["date"], r["value"]) for r in outcome.records] == [
        (dt.date(2021, 1, 31), Decimal(5)),
        (dt.date(2021, 2, 28), Decimal(6)),
        (dt.date(2021, 3, 31), Decimal(7)),
    ]


@pytest.mark.parametrize(
    ("title", "header"),
    [
        (["临沂市医疗保障局抄表记录", "填报月份", "2020年3月"], ["表号", "抄表日期", "读数"]),
        (["统计期间", "2020年1月", "至", "2020年3月"], ["表号", "抄表日期", "读数", "备注"]),
    ],
)
def test_a_title_line_holding_a_month_or_two_does_not_outweigh_a_header_naming_more_columns(
    tmp_path, title, header
):
    """A long ledger of a kind that also reads wide sheets: the title line's 填报月份 2020年3月 (or a
    period of two months) is not the header; months count as two columns named, once, so a
    header naming three columns (or four, against two months) is the header."""
    rows = [title, header, ["E-1", "2020-03-31", "5", ""][: len(header)]]
    found, outcome = _wide(csv_file(tmp_path / "t.csv", rows))
    assert found.row_index == 1 and not found.is_wide
    assert [cell.text for cell in found.cells] == header  # read alone, not under the title
    assert [(r["meter"], r["value"]) for r in outcome.records] == [("E-1", Decimal(5))]


def test_a_month_row_whose_item_heading_is_left_blank_is_the_row_the_error_points_at(tmp_path):
    """One month's sheet with the item codes' heading left blank (A2 empty): the title line names
    two columns by its words, but the row of the month is the header, and the refusal for the
    missing item column points at it (row 2), not at the title."""
    rows = [["2021年用电量台账", "", "读数单位：kWh"], ["", "2021年1月"], ["E-1", "5"]]
    with pytest.raises(HeaderError) as error:
        _wide(csv_file(tmp_path / "m.csv", rows))
    assert error.value.header.row_index == 1
    assert [(cell.text, cell.status) for cell in error.value.header.cells] == [("2021年1月", MONTH)]


def test_a_sheet_of_blank_lines_says_no_header_was_found_and_which_columns_it_must_name(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text(",,,\n,,,\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as error:
        choose_sheet(read_workbook(path), readings())
    assert type(error.value) is ImportFileError  # not a HeaderError: there is no header to map
    with translation.override("zh-hans"):
        assert error.value.message == "前 30 行中找不到表头行。表头须包含以下列：计量表编号、抄表日期、读数。"
    with translation.override("en"):
        assert error.value.message == (
            "No header row was found in the first 30 rows. "
            "The header must name the columns: Meter code, Reading date, Reading."
        )


def test_a_layouts_signature_holds_its_headers_by_position_and_any_year_of_its_months(tmp_path):
    """A remembered mapping is found again by the signature: next year's sheet of the same layout
    has the same one, another layout another."""

    def signature(name, headers):
        (sheet,) = read_workbook(csv_file(tmp_path / name, [headers]))
        return find_header(sheet, readings()).signature

    this_year = signature("a.csv", ["仪表", "2020年1月", "2020年2月"])
    assert signature("b.csv", ["仪表", "2021年1月", "2021年2月"]) == this_year
    assert signature("c.csv", ["仪表", "2021-01-01", "2021-02-01"]) == this_year
    assert signature("d.csv", ["仪表", "名称", "2021年1月"]) != this_year
    assert signature("e.csv", ["仪表", "2020年1月", "2020年2月"]) == this_year != signature("f.csv", ["仪表"])


TWO_ROWS_TAKEN = {
    "表号": "meter",
    "抄表日期": "date",
    "电表读数/上期": "previous",
    "电表读数/本期": "value",
    "备注": "note",
}


def test_a_two_row_header_is_read_under_its_group_headings(tmp_path):
    path = xlsx(
        tmp_path / "two.xlsx",
        [
            ["表号", "抄表日期", "电表读数", None, "备注"],
            [None, None, "上期", "本期", None],
            ["E-1", "2020-01-31", 10, 20, ""],
        ],
        title="2020年1月抄表记录",
    )
    sheet, header = choose_sheet(read_workbook(path), readings())
    assert taken(header) == TWO_ROWS_TAKEN
    assert sheet.rows[header.row_index + 1][0] == "E-1"


def test_a_two_row_header_with_headings_in_the_lower_row_only_and_a_lower_row_that_stops_short(tmp_path):
    """表号 and 日期 written in the lower row only (nothing above them), 备注 in the upper row over
    both, a column under the 电表读数 group left empty in both rows, and the lower line of a CSV
    ending at its last filled cell."""
    path = tmp_path / "two.csv"
    path.write_text(",,电表读数,,,备注\n表号,抄表日期,上期,本期\nE-1,2020-01-31,10,20,,\n", encoding="utf-8")
    _sheet, header = choose_sheet(read_workbook(path), readings())
    assert taken(header) == TWO_ROWS_TAKEN
    assert header.row_index == 1 and header.not_imported() == []


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("1月", (None, 1)),
        ("12月", (None, 12)),
        ("3月份", (None, 3)),
        ("三月", (None, 3)),
        ("十二月份", (None, 12)),
        ("2020年3月", (2020, 3)),
        ("2020-03", (2020, 3)),
        ("2021.12", (2021, 12)),
        ("2020/3", (2020, 3)),
        ("2020-03-01", (2020, 3)),  # a date cell: Excel makes 2020-03-01 of "2020-3"
        ("2020-03-31", (2020, 3)),
        ("2020-3", (2020, 3)),
        ("2020-03-32", None),
        ("2020-03-00", None),
        ("2021-12-01", (2021, 12)),
        ("2020-00", None),
        ("0月", None),
        ("13月", None),
        ("十三月", None),
        ("2020-13", None),
        ("3", None),  # a bare number is a month only with 月
        ("月", None),
        (3, None),
    ],
)
def test_a_month_header_is_one_to_twelve_in_figures_or_chinese_numerals(text, month):
    assert month_of_header(text, dates=True) == month
    if text in ("2020-3", "2020-03", "2020-03-01", "2020-03-31", "2021-12-01"):
        assert month_of_header(text) is None  # a date, but the header row is not found by it
    else:
        assert month_of_header(text) == month


WIDE_ROWS = [
    ["表号", "名称", *[f"{m}月" for m in range(1, 13)], "合计"],
    ["E-1", "总表", 100, 110, 125, *[None] * 9, 335],
    ["E-2", "空调", 50, "x", 70, *[None] * 9, 120],
    ["合计", None, 150, 110, 195, *[None] * 9, None],
]


def _wide(path, day="last"):
    kind = readings()
    kind_for_test = ImportKind(
        key="wide_probe",
        label=kind.label,
        columns=kind.columns,
        prepare=lambda context: None,
        validate=lambda state, values, row: Validated(values, "new", (values["date"].replace(day=1),)),
        write=lambda state, records: WriteSummary(),
        wide=dataclasses.replace(kind.wide, day=day),
    )
    sheet, header = choose_sheet(read_workbook(path), kind_for_test)
    return header, validate_rows(kind_for_test, None, sheet, header)


def test_a_wide_monthly_sheet_is_unpivoted_into_the_long_rows_with_the_year_from_its_title(tmp_path):
    path = xlsx(
        tmp_path / "wide.xlsx", WIDE_ROWS, title="临沂市医疗保障局2020年用电台账", merge_title_over=15
    )
    with translation.override("en"):
        header, outcome = _wide(path)
    assert header.is_wide and [c.month for c in header.cells if c.status == MONTH][:2] == [
        dt.date(2020, 1, 31),
        dt.date(2020, 2, 29),
    ]
    assert {c.text for c in header.not_imported()} == {"名称", "合计"}
    # what the mapping step shows and keeps on the job (ImportJob.columns): the month it holds
    assert [c.as_dict() for c in header.cells][1:3] == [
        {"position": 1, "header": "名称", "column": "", "status": "ignored", "candidates": [], "month": ""},
        {
            "position": 2,
            "header": "1月",
            "column": "",
            "status": MONTH,
            "candidates": [],
            "month": "2020-01-31",
        },
    ]
    # one error: E-2's February, named by its sheet row and the month's header as written
    assert outcome.errors == [{"row": 5, "column": "2月", "message": "“x” is not a number."}]
    header, outcome = _wide(
        xlsx(
            tmp_path / "ok.xlsx",
            [r if r[0] != "E-2" else [*r[:3], 60, *r[4:]] for r in WIDE_ROWS],
            title="2020年用电台账",
        )
    )
    assert [(r["meter"], r["date"], r["value"]) for r in outcome.records] == [
        ("E-1", dt.date(2020, 1, 31), Decimal(100)),
        ("E-1", dt.date(2020, 2, 29), Decimal(110)),
        ("E-1", dt.date(2020, 3, 31), Decimal(125)),
        ("E-2", dt.date(2020, 1, 31), Decimal(50)),
        ("E-2", dt.date(2020, 2, 29), Decimal(60)),
        ("E-2", dt.date(2020, 3, 31), Decimal(70)),
    ]


def test_month_headers_may_carry_their_year_and_a_wide_sheet_without_a_year_is_refused(tmp_path):
    path = csv_file(tmp_path / "y.csv", [["表号", "2021年11月", "2021年12月"], ["E-1", "5", "6"]])
    _header, outcome = _wide(path)
    assert [r["date"] for r in outcome.records] == [dt.date(2021, 11, 30), dt.date(2021, 12, 31)]
    path = csv_file(tmp_path / "n.csv", [["表号", "1月", "2月"], ["E-1", "5", "6"]])
    with pytest.raises(ImportFileError) as error:
        _wide(path)
    with translation.override("zh-hans"):
        assert "年份" in error.value.message


@pytest.mark.parametrize("year", ["2021年", "2021", 2021, "2021年度"])
def test_a_year_heading_over_month_headers_gives_them_its_year(tmp_path, year):
    """表号 merged over both header rows, the year over the months (a layout ledgers are kept in);
    each month is the year's, and the year need not be written in a title."""
    rows = [["表号", year, "", ""], ["", "1月", "2月", "三月"], ["E-1", 5, 6, 7]]
    header, outcome = _wide(xlsx(tmp_path / "y.xlsx", rows))
    assert [(c.text, c.month) for c in header.cells if c.status == MONTH] == [
        ("2021年1月", dt.date(2021, 1, 31)),
        ("2021年2月", dt.date(2021, 2, 28)),
        ("2021年三月", dt.date(2021, 3, 31)),
    ]
    assert header.missing == [] and outcome.errors == []
    assert [(r["meter"], r["date"], r["value"]) for r in outcome.records] == [
        ("E-1", dt.date(2021, 1, 31), Decimal(5)),
        ("E-1", dt.date(2021, 2, 28), Decimal(6)),
        ("E-1", dt.date(2021, 3, 31), Decimal(7)),
    ]


def test_a_heating_season_sheet_takes_each_month_under_its_own_years_heading(tmp_path):
    rows = [
        ["表号", "2020年", "", "2021年", "", "备注"],
        ["", "11月", "12月", "1月", "2月", ""],
        ["E-1", 5, 6, 7, 8, "供暖季"],
    ]
    header, outcome = _wide(csv_file(tmp_path / "season.csv", rows))
    assert [r["date"] for r in outcome.records] == [
        dt.date(2020, 11, 30),
        dt.date(2020, 12, 31),
        dt.date(2021, 1, 31),
        dt.date(2021, 2, 28),
    ]
    assert taken(header) == {"表号": "meter", "备注": "note"}  # a heading of its own ends the year's group
    assert {r["note"] for r in outcome.records} == {"供暖季"}


def test_a_bare_year_on_the_line_above_a_one_row_header_is_still_read_as_its_title(tmp_path):
    rows = [["2021年"], ["表号", "1月", "2月"], ["E-1", 5, 6]]
    header, outcome = _wide(csv_file(tmp_path / "t.csv", rows))
    assert taken(header) == {"表号": "meter"}
    assert [r["date"] for r in outcome.records] == [dt.date(2021, 1, 31), dt.date(2021, 2, 28)]


def test_a_group_heading_that_is_not_a_year_leaves_its_months_without_one(tmp_path):
    """Only a year gives its months a year: under ``抄表月份`` the months still need one."""
    rows = [["表号", "抄表月份", ""], ["", "1月", "2月"], ["E-1", 5, 6]]
    with pytest.raises(ImportFileError) as error:
        _wide(csv_file(tmp_path / "m.csv", rows))
    with translation.override("zh-hans"):
        assert "年份" in error.value.message


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_column_headed_by_a_year_over_a_data_rows_small_number_is_no_month_header(tmp_path, suffix):
    """A ledger with a column headed 2019 (typed as text) whose first record holds 1 there: read
    under the header, that record's cells join as ``2019/1``, which is not a month header — the
    header row stays the header and the first record is imported."""
    rows = [
        ["表号", "抄表日期", "读数", "2019"],
        ["E-1", "2020-01-31", "5", "1"],
        ["E-2", "2020-01-31", "6", "2"],
    ]
    path = (csv_file if suffix == "csv" else xlsx)(tmp_path / f"year.{suffix}", rows)
    sheet, header = choose_sheet(read_workbook(path), readings())
    assert header.row_index == sheet.rows.index(rows[0])
    assert taken(header) == {"表号": "meter", "抄表日期": "date", "读数": "value"}
    assert [cell.status for cell in header.cells if cell.text == "2019"] == ["ignored"]


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_a_filing_line_whose_month_stands_over_an_empty_column_is_no_heading_of_the_header(tmp_path, suffix):
    """填报月份 written as 2021年3月 over a spacer column of a long ledger: the header row is read
    alone, as the people who keep it read it — not under the filing line's cells as group headings
    (which named the same columns by words, prefixed with 填报单位…, plus that month)."""
    rows = [
        ["填报单位：临沂市医疗保障局", "", "2021年3月", ""],
        ["表号", "抄表日期", "", "读数"],
        ["E-1", "2021-03-31", "", "5"],
    ]
    path = (csv_file if suffix == "csv" else xlsx)(tmp_path / f"filing.{suffix}", rows)
    sheet, header = choose_sheet(read_workbook(path), readings())
    assert header.row_index == sheet.rows.index(rows[1])
    assert [cell.text for cell in header.cells] == ["表号", "抄表日期", "读数"]
    assert taken(header) == {"表号": "meter", "抄表日期": "date", "读数": "value"}
    plain = [["表号", "抄表日期", "", "读数"], ["E-1", "2021-03-31", "", "5"]]
    assert header.signature == find_header(Sheet("台账", plain), readings()).signature


def test_a_title_line_with_a_month_does_not_outweigh_a_header_row_of_the_columns_names(tmp_path):
    """A title line with a month weighs as much as a header row naming two columns for sure (读数日期
    could be either): of the two, the row whose headers are the columns' names is the header."""
    rows = [["填报单位：临沂市医疗保障局", "", "2021年3月"], ["表号", "读数日期", "", "读数"]]
    header = find_header(Sheet("台账", rows), readings())
    assert header.row_index == 1
    assert [cell.text for cell in header.cells] == ["表号", "读数日期", "读数"]
    assert [cell.candidates for cell in header.cells if cell.status == AMBIGUOUS] == [("date", "value")]


def test_month_headers_that_excel_turned_into_dates_are_months(tmp_path):
    """Typed as "2021-1", Excel stores 2021-01-01: the header is read as the month it shows."""
    months = [dt.datetime(2021, 1, 1), dt.datetime(2021, 2, 1), dt.datetime(2021, 3, 31)]
    path = xlsx(tmp_path / "dated.xlsx", [["表号", *months], ["E-1", 5, 6, 7]])
    header, outcome = _wide(path)
    assert [c.text for c in header.cells if c.status == MONTH] == ["2021-01-01", "2021-02-01", "2021-03-31"]
    assert [(r["date"], r["value"]) for r in outcome.records] == [
        (dt.date(2021, 1, 31), Decimal(5)),
        (dt.date(2021, 2, 28), Decimal(6)),
        (dt.date(2021, 3, 31), Decimal(7)),
    ]


def test_a_wide_sheet_without_a_title_takes_its_year_from_the_sheets_name(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "2021年抄表"
    for row in [["表号", "1月", "2月"], ["E-1", 5, 6]]:
        workbook.active.append(row)
    workbook.save(tmp_path / "named.xlsx")
    _header, outcome = _wide(tmp_path / "named.xlsx")
    assert [r["date"] for r in outcome.records] == [dt.date(2021, 1, 31), dt.date(2021, 2, 28)]


def test_a_kind_that_dates_its_months_by_the_first_day_gets_the_first(tmp_path):
    path = csv_file(tmp_path / "f.csv", [["表号", "2021年1月", "2021年2月"], ["E-1", "5", "6"]])
    _header, outcome = _wide(path, day="first")
    assert [r["date"] for r in outcome.records] == [dt.date(2021, 1, 1), dt.date(2021, 2, 1)]


def test_blank_lines_after_a_wide_table_end_it_and_blank_lines_inside_it_are_listed(tmp_path):
    """A CSV saved from Excel keeps the blank lines under the table: they end it, unlisted; a blank
    line between two items is listed, and a sheet with no month filled at all reads nothing."""
    rows = [["表号", "2021年1月", "2021年2月"], ["E-1", "5", "6"], ["", "", ""], ["E-2", "7", ""]]
    _header, outcome = _wide(csv_file(tmp_path / "w.csv", [*rows, ["", "", ""], ["", "", ""]]))
    assert [(r["meter"], r["date"]) for r in outcome.records] == [
        ("E-1", dt.date(2021, 1, 31)),
        ("E-1", dt.date(2021, 2, 28)),
        ("E-2", dt.date(2021, 1, 31)),
    ]
    assert outcome.skipped == [{"row": 3, "reason": "blank"}] and outcome.skipped_count == 1
    _header, outcome = _wide(csv_file(tmp_path / "e.csv", [rows[0], ["", "", ""], ["", "", ""]]))
    assert (outcome.rows_read, outcome.records, outcome.errors, outcome.skipped) == (0, [], [], [])


def test_a_wide_sheet_reads_past_subtotals_notes_and_lines_that_stop_short(tmp_path):
    """Items after a 小计 row are still read; a signature line (制表人：张三) is a note even with a
    name under a month; a CSV line that stops before the last columns reads them as empty."""
    rows = [
        ["表号", "2021年1月", "2021年2月", "备注"],
        ["E-1", "5", "6", "总表"],
        ["小计", "5", "6"],  # row 3
        ["E-2", "8"],  # February and the note left off the line
        ["E-3", "", "9"],  # the note left off
        ["制表人：", "张三", "审核人：", "李四"],  # row 6
    ]
    _header, outcome = _wide(csv_file(tmp_path / "w.csv", rows))
    assert outcome.errors == []
    assert [(r["meter"], r["date"], r["value"], r["note"]) for r in outcome.records] == [
        ("E-1", dt.date(2021, 1, 31), Decimal(5), "总表"),
        ("E-1", dt.date(2021, 2, 28), Decimal(6), "总表"),
        ("E-2", dt.date(2021, 1, 31), Decimal(8), None),
        ("E-3", dt.date(2021, 2, 28), Decimal(9), None),
    ]
    assert outcome.skipped == [{"row": 3, "reason": "total"}, {"row": 6, "reason": "note"}]


def test_a_wide_rows_total_label_is_looked_for_in_its_first_four_cells_only(tmp_path):
    header = ["序号", "表号", "名称", "位置", "备注", "2021年1月"]
    rows = [header, ["1", "E-1", "总表", "合计", "", "5"], ["2", "E-2", "空调", "三楼", "小计", "6"]]
    _header, outcome = _wide(csv_file(tmp_path / "w.csv", rows))
    assert outcome.skipped == [{"row": 2, "reason": "total"}]
    assert [(r["meter"], r["note"]) for r in outcome.records] == [("E-2", "小计")]


def test_a_column_is_named_by_its_key_its_label_in_either_language_or_a_synonym():
    (column,) = [c for c in readings().columns if c.key == "confirm_abnormal"]
    assert column.synonyms == ("确认异常", "confirm")
    with translation.override("en"):  # whatever language is active, both labels count
        assert column_spellings(column) == {
            "confirmabnormal",  # the key, as a script or the command line writes it
            "确认异常用量",  # the label in Chinese
            "confirmunusualusage",  # the label in English
            "确认异常",
            "confirm",
        }


def _readings_rows(path):
    """The readings kind's columns and conversions over ``path``, with a validator that takes all."""
    sheet, header = choose_sheet(read_workbook(path), readings())
    probe = ImportKind(
        key="probe",
        label=_("Probe"),
        columns=readings().columns,
        prepare=lambda context: None,
        validate=lambda state, values, row: Validated(values, "new"),
        write=lambda state, records: WriteSummary(),
    )
    return validate_rows(probe, None, sheet, header)


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", ["是", "否"]), ("en", ["yes", "no"])])
def test_the_preview_shows_a_yes_no_cell_as_the_sheet_writes_it(tmp_path, language, shown):
    rows = [
        ["表号", "抄表日期", "读数", "确认异常"],
        ["E-1", "2020-01-31", "5", "是"],
        ["E-1", "2020-02-29", "6", "否"],
    ]
    keys = [column.key for column in readings().columns]
    with translation.override(language):
        outcome = _readings_rows(csv_file(tmp_path / "b.csv", rows))
    assert [row["values"][keys.index("confirm_abnormal")] for row in outcome.preview] == shown


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("东" * 201, "at most 200"),
        ("抄表\x00员", "control character"),
        ("\x1b[31m红", "control character"),
    ],
)
def test_text_longer_than_its_column_or_holding_control_characters_is_a_row_error(tmp_path, note, expected):
    # the bad row comes after 8 KB of good ones: a CSV whose first bytes hold control characters
    # is refused as a whole, before any row is read
    good = [["E-1", "2020-01-31", "1", "好" * 20]] * 300
    path = csv_file(
        tmp_path / "t.csv", [["表号", "抄表日期", "读数", "备注"], *good, ["E-1", "2020-02-29", "2", note]]
    )
    with translation.override("en"):
        outcome = _readings_rows(path)
    assert len(outcome.errors) == 1
    (error,) = outcome.errors
    assert (error["row"], error["column"]) == (302, "备注") and expected in error["message"]
    assert outcome.records == []


def test_a_code_longer_than_the_model_field_is_refused_before_it_reaches_the_database(tmp_path):
    path = csv_file(tmp_path / "t.csv", [["表号", "抄表日期", "读数"], ["E" * 41, "2020-01-31", "1"]])
    with translation.override("zh-hans"):
        outcome = _readings_rows(path)
    assert outcome.errors == [{"row": 2, "column": "表号", "message": "文字长 41 个字符，最多允许 40 个。"}]


def test_a_mapping_chosen_for_a_two_row_header_applies_to_it(tmp_path):
    from imports.pipeline import CHOSEN, find_header

    path = xlsx(
        tmp_path / "two.xlsx",
        [["表号", "抄表日期", "电表示值", None], [None, None, "甲", "乙"], ["E-1", "2020-01-31", 10, 20]],
    )
    (sheet,) = read_workbook(path)
    header = find_header(sheet, readings(), mapping={"电表示值/甲": "previous", "电表示值/乙": "value"})
    assert taken(header) == {
        "表号": "meter",
        "抄表日期": "date",
        "电表示值/甲": "previous",
        "电表示值/乙": "value",
    }
    assert {c.text: c.status for c in header.cells}["电表示值/乙"] == CHOSEN and not header.missing


# --- The manager's column choices, and the pipeline's other survivors of 2026-11-30 ----------------

READING_ROWS = [["E-1", "2020-01-31", "10", "11"], ["E-1", "2020-02-29", "20", "21"]]


def _header(headers, mapping=None, rows=READING_ROWS):
    return find_header(Sheet("台账", [headers, *rows]), readings(), mapping=mapping)


@pytest.mark.parametrize(
    "mapping",
    [
        {"读数": "a_column_the_kind_no_longer_has"},  # a remembered choice of a column since removed
        {"本月读数": "value"},  # a header this sheet does not have, for a column it has
    ],
)
def test_a_remembered_choice_for_an_unknown_column_or_a_missing_header_changes_nothing(mapping):
    header = _header(["表号", "抄表日期", "读数", "备注"], mapping)
    assert header.row_index == 0 and not header.missing
    assert header.positions == {"meter": 0, "date": 1, "value": 2, "note": 3}
    assert taken(header) == {"表号": "meter", "抄表日期": "date", "读数": "value", "备注": "note"}


def test_a_header_the_manager_chose_not_to_import_is_not_imported_and_no_longer_looks_like_a_column():
    from imports.pipeline import IGNORED

    headers = ["表号", "抄表日期", "读数", "本月读数"]
    cell = {c.text: c for c in _header(headers).cells}["本月读数"]
    assert (cell.key, cell.status) == (None, LOOKS_LIKE)  # by itself: flagged as perhaps the reading
    header = _header(headers, {"本月读数": ""})
    cell = {c.text: c for c in header.cells}["本月读数"]
    assert (cell.key, cell.status) == (None, IGNORED)  # the manager said: not imported
    assert cell in header.not_imported() and header.positions == {"meter": 0, "date": 1, "value": 2}


def test_a_recognised_header_the_manager_maps_to_another_column_no_longer_feeds_its_first_one():
    from imports.pipeline import CHOSEN

    header = _header(["表号", "抄表日期", "读数", "备注"], {"备注": "previous"})
    assert header.positions == {"meter": 0, "date": 1, "value": 2, "previous": 3}  # no "note" left
    assert {c.text: (c.key, c.status) for c in header.cells}["备注"] == ("previous", CHOSEN)


@pytest.mark.parametrize(
    "headers",
    [["表号", "抄表日期", "表底", "读数"], ["表号", "抄表日期", "读数", "表底"]],
)
def test_the_managers_choice_wins_over_a_header_recognised_by_itself_left_or_right_of_it(headers):
    # 读数 names the reading by itself; the manager chose 表底 for it: the reading is 表底's column,
    # wherever the two stand, and 读数 is only flagged as looking like it
    from imports.pipeline import CHOSEN

    header = _header(headers, {"表底": "value"})
    assert header.positions["value"] == headers.index("表底") and not header.missing
    cells = {c.text: (c.key, c.status) for c in header.cells}
    assert cells["表底"] == ("value", CHOSEN) and cells["读数"] == (None, LOOKS_LIKE)


def test_a_totals_label_in_a_rows_first_four_cells_makes_it_a_total_row_and_in_the_fifth_an_error(tmp_path):
    path = csv_file(
        tmp_path / "t.csv",
        [
            ["表号", "抄表日期", "读数", "上期读数", "备注"],
            ["", "", "", "合计", ""],  # row 2: 合计 in the fourth cell
            ["", "", "", "", "合计"],  # row 3: in the fifth, a row with no meter, date or reading
        ],
    )
    outcome = _readings_rows(path)
    assert outcome.skipped == [{"row": 2, "reason": "total"}]
    assert {(e["row"], e["column"]) for e in outcome.errors} == {(3, "表号"), (3, "抄表日期"), (3, "读数")}


def test_a_year_written_in_a_data_row_does_not_date_the_months_of_a_sheet_named_by_its_year(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "2021年抄表"
    for row in [["表号", "名称", "1月", "2月"], ["E-1", "2019年新装总表", 5, 6]]:
        workbook.active.append(row)
    workbook.save(tmp_path / "named.xlsx")
    _header, outcome = _wide(tmp_path / "named.xlsx")
    assert [r["date"] for r in outcome.records] == [dt.date(2021, 1, 31), dt.date(2021, 2, 28)]


def test_the_preview_names_each_column_the_file_lacks_by_its_label_in_the_readers_language():
    from imports.pipeline import preview_headers

    header = _header(["表号", "抄表日期", "读数"])
    with translation.override("zh-hans"):
        shown = preview_headers(readings(), header)
    # the file's own headers where it has the column, the column's label where it does not
    assert shown == [
        "表号",
        "抄表日期",
        "读数",
        "上期读数",
        "本期用量",
        "事件",
        "估读",
        "确认异常用量",
        "备注",
    ]


def test_two_headers_the_manager_swaps_take_each_others_columns_on_the_header_row():
    # 读数 and 上期读数 name the reading and the previous one by themselves; this ledger has them the
    # other way round. Both choices hold, on the header row itself (the first data row stays data).
    from imports.pipeline import CHOSEN

    header = _header(["表号", "抄表日期", "读数", "上期读数"], {"读数": "previous", "上期读数": "value"})
    assert header.row_index == 0 and not header.missing
    assert header.positions == {"meter": 0, "date": 1, "previous": 2, "value": 3}
    assert {c.text: (c.key, c.status) for c in header.cells} == {
        "表号": ("meter", "exact"),
        "抄表日期": ("date", "exact"),
        "读数": ("previous", CHOSEN),
        "上期读数": ("value", CHOSEN),
    }


def test_a_recognised_header_the_manager_chose_not_to_import_keeps_its_header_row():
    # 备注 names the note by itself; the manager chose not to import it. The header row is still
    # the header row (the choice counts as a header it names), not the two-row reading of it over
    # the first data row, and the first data row stays data.
    from imports.pipeline import IGNORED

    header = _header(["表号", "抄表日期", "读数", "备注"], {"备注": ""})
    assert header.row_index == 0 and not header.missing
    assert header.positions == {"meter": 0, "date": 1, "value": 2}
    assert {c.text: (c.key, c.status) for c in header.cells}["备注"] == (None, IGNORED)


def test_headers_that_are_not_text_are_shown_as_the_cells_read(tmp_path):
    """A number or a date typed as a header is shown as the cell reads, a whole number without
    ".0" and a date as its day, among the headers not imported."""
    path = xlsx(
        tmp_path / "n.xlsx",
        [["表号", "抄表日期", "读数", 2019, dt.datetime(2020, 1, 1)], ["E-1", dt.date(2020, 1, 31), 5, 1, 2]],
    )
    _sheet, header = choose_sheet(read_workbook(path), readings())
    assert taken(header) == {"表号": "meter", "抄表日期": "date", "读数": "value"}
    assert [c.text for c in header.not_imported()] == ["2019", "2020-01-01"]
