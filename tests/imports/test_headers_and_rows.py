"""Header detection and row handling on messy ledgers, without a database."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from agencies.conventions import join_list
from imports.pipeline import HeaderError, choose_sheet, validate_rows
from imports.reader import ImportFileError, read_workbook
from imports.registry import Column, ImportKind, RowError, Validated, WriteSummary, get_import_kind

from .files import csv_file, xlsx

COLUMNS = (
    Column("meter", _("Meter code"), synonyms=("表号", "计量器具编号", "meter no")),
    Column("date", _("Reading date"), synonyms=("抄表日期", "日期", "date")),
    Column("reading", _("Reading"), synonyms=("读数", "本期读数"), type="decimal"),
    Column("note", _("Note"), synonyms=("备注",), required=False),
)
COLUMNS = tuple(
    Column(c.key, c.label, c.synonyms, {"date": "date"}.get(c.key, c.type), c.required) for c in COLUMNS
)


def _validate(state, values, row):
    if values["reading"] < 0:
        raise RowError({"reading": "negative"})
    return Validated(record=values, status="new", months=(values["date"].replace(day=1),))


KIND = ImportKind(
    key="plain_readings",
    label=_("Meter readings"),
    columns=COLUMNS,
    prepare=lambda context: None,
    validate=_validate,
    write=lambda state, records: WriteSummary(created=len(records)),
)


def run(path):
    sheet, header = choose_sheet(read_workbook(path), COLUMNS)
    return header, validate_rows(KIND, None, sheet, header)


def test_a_ledger_with_a_merged_title_row_chinese_dates_and_a_totals_row_is_read(tmp_path):
    path = xlsx(
        tmp_path / "ledger.xlsx",
        [
            ["表号", "抄表日期", "读数（kWh）", "备注"],
            ["E-01", "2020年3月31日", "1,234.5", "七楼东"],
            ["E-01", 43951.0, "１２４０", None],  # 2020-04-30 as an Excel serial
            ["E-02", dt.datetime(2020, 5, 31), " 88 ", ""],
            [None, None, None, None],
            ["合计", None, 2562.5, None],
            [None, None, None, None],
        ],
        title="临沂市医疗保障局 2020年 用电台账",
        merge_title_over=4,
    )
    header, outcome = run(path)
    assert header.row_index == 2
    assert outcome.errors == []
    assert [r["reading"] for r in outcome.records] == [Decimal("1234.5"), Decimal("1240"), Decimal("88")]
    assert [r["date"] for r in outcome.records] == [
        dt.date(2020, 3, 31),
        dt.date(2020, 4, 30),
        dt.date(2020, 5, 31),
    ]
    assert outcome.months == {dt.date(2020, 3, 1), dt.date(2020, 4, 1), dt.date(2020, 5, 1)}
    assert outcome.rows_read == 3


def test_english_headers_in_any_case_and_column_order_are_mapped(tmp_path):
    path = csv_file(
        tmp_path / "a.csv",
        [["READING (kWh)", "note", "Meter Code", "Reading date"], ["5", "", "E-01", "2020/3/31"]],
    )
    header, outcome = run(path)
    assert header.positions == {"reading": 0, "note": 1, "meter": 2, "date": 3}
    assert outcome.records[0]["meter"] == "E-01"


def test_a_gbk_csv_with_synonym_headers_is_imported(tmp_path):
    path = csv_file(
        tmp_path / "a.csv",
        [["计量器具编号", "日期", "本期读数", "备注"], ["E-01", "2020.3.31", "12", "东侧"]],
        encoding="gbk",
    )
    _header, outcome = run(path)
    assert outcome.records == [
        {"meter": "E-01", "date": dt.date(2020, 3, 31), "reading": Decimal(12), "note": "东侧"}
    ]


@pytest.mark.parametrize(("language", "word"), [("zh-hans", "缺少必填列"), ("en", "missing")])
def test_missing_required_columns_are_named_in_one_error(tmp_path, language, word):
    path = csv_file(tmp_path / "a.csv", [["抄表日期", "备注"], ["2020-03-31", ""]])
    with pytest.raises(ImportFileError) as error:
        run(path)
    with translation.override(language):
        message = error.value.message
        # Each missing column by its label in the reader's language (a catalogue may translate it).
        missing = join_list([COLUMNS[0].label, COLUMNS[2].label])
    assert word in message
    assert missing in message
    assert str(COLUMNS[1].label) not in message


def test_every_bad_value_is_reported_with_row_column_header_and_reason(tmp_path):
    path = xlsx(
        tmp_path / "broken.xlsx",
        [
            ["表号", "抄表日期", "读数(kWh)"],
            ["E-01", "2020-03-31", "12"],
            ["E-01", "下个月", "abc"],
            ["", "2020-04-30", "-5"],
            ["E-02", "2020-04-30", "-5"],
        ],
        title="用电台账",
    )
    with translation.override("en"):
        _header, outcome = run(path)
    assert outcome.records == [] and outcome.statuses == []  # one bad row and nothing goes forward
    assert outcome.error_rows == 3
    assert [(e["row"], e["column"]) for e in outcome.errors] == [
        (5, "抄表日期"),
        (5, "读数(kWh)"),
        (6, "表号"),
        (7, "读数(kWh)"),
    ]
    assert "下个月" in outcome.errors[0]["message"]
    assert outcome.errors[2]["message"] == "A value is required."
    assert outcome.errors[3]["message"] == "negative"


def test_rows_of_spaces_between_data_are_skipped_and_not_counted(tmp_path):
    path = csv_file(
        tmp_path / "a.csv",
        [["表号", "日期", "读数"], ["E-01", "2020-03-31", "1"], ["  ", " ", ""], ["E-01", "2020-04-30", "2"]],
    )
    _header, outcome = run(path)
    assert outcome.rows_read == 2
    assert outcome.errors == []


def test_rows_passed_over_beyond_the_limit_are_counted_but_not_listed(tmp_path):
    rows = [["表号", "日期", "读数"], ["E-01", "2020-03-31", "1"]]
    notes = ["注：读数为表盘累计示数", "制表人：张三", "审核人：李四"]
    rows += [[note, None, None] for note in notes]
    sheet, header = choose_sheet(read_workbook(xlsx(tmp_path / "a.xlsx", rows)), COLUMNS)
    outcome = validate_rows(KIND, None, sheet, header, max_errors=2)
    assert outcome.skipped == [{"row": 3, "reason": "note"}, {"row": 4, "reason": "note"}]
    assert outcome.skipped_count == 3


def test_the_preview_keeps_the_first_twenty_rows_with_their_status(tmp_path):
    rows = [["表号", "日期", "读数"]] + [["E-01", f"2020-01-{d:02d}", str(d)] for d in range(1, 31)]
    rows[3][2] = "x"
    _header, outcome = run(csv_file(tmp_path / "a.csv", rows))
    assert len(outcome.preview) == 20
    assert outcome.preview[0] == {"row": 2, "status": "new", "values": ["E-01", "2020-01-01", "1", ""]}
    assert outcome.preview[2]["status"] == "error"
    assert outcome.preview[2]["values"][2] == "x"


def test_a_csv_row_shorter_than_its_header_reads_its_missing_cells_as_empty(tmp_path):
    """A CSV keeps only the cells a line writes: a line that stops before the last columns is
    read with those cells empty — an optional one is left out, a required one is an error."""
    path = tmp_path / "short.csv"
    path.write_text("表号,日期,读数,备注\nE-01,2020-03-31,5\nE-02,2020-03-31\n", encoding="utf-8")
    _header, outcome = run(path)
    assert outcome.errors == [{"row": 3, "column": "读数", "message": "此项必填。"}]
    assert outcome.error_rows == 1 and outcome.rows_read == 2
    assert outcome.preview == [
        {"row": 2, "status": "new", "values": ["E-01", "2020-03-31", "5", ""]},
        {"row": 3, "status": "error", "values": ["E-02", "2020-03-31", "", ""]},
    ]


def test_an_error_a_kind_keys_by_no_column_of_its_own_is_the_rows_not_a_column_named_by_its_key(tmp_path):
    """A kind's validator may report a check of a model field that is no column of the sheet: the
    manager reads the message against the row, never an internal field name as a column."""

    def validate(state, values, row):
        raise RowError({"vehicle_id": "该车辆已报废。", "reading": "读数不能为负数。"})

    kind = dataclasses.replace(KIND, validate=validate)
    sheet, header = choose_sheet(
        read_workbook(
            csv_file(tmp_path / "a.csv", [["表号", "日期", "读数（kWh）"], ["E-01", "2020-03-31", "5"]])
        ),
        COLUMNS,
    )
    outcome = validate_rows(kind, None, sheet, header)
    assert outcome.errors == [
        {"row": 2, "column": "", "message": "该车辆已报废。"},
        {"row": 2, "column": "读数（kWh）", "message": "读数不能为负数。"},
    ]


def test_an_instructions_sheet_before_the_data_sheet_is_skipped(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["1. 表号按计量器具台账填写"])
    notes.append(["2. 日期写作 2020年3月31日"])
    data = workbook.create_sheet("3月")
    data.append(["表号", "日期", "读数"])
    data.append(["E-01", "2020年3月31日", 12])
    hidden = workbook.create_sheet("旧表")
    hidden.sheet_state = "hidden"
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    sheets = read_workbook(path)
    assert [sheet.name for sheet in sheets] == ["填表说明", "3月"]  # hidden sheets are not read
    sheet, header = choose_sheet(sheets, COLUMNS)
    assert sheet.name == "3月" and header.row_index == 0


def _workbook(path, sheets: dict[str, list[list]]):
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return read_workbook(path)


def test_an_empty_sheet_before_the_data_sheet_is_passed_over(tmp_path):
    """A workbook keeps the empty sheets Excel made with it (Sheet1 …): no header row is found in
    one, and the sheets after it are still read."""
    sheets = _workbook(
        tmp_path / "book.xlsx",
        {"Sheet1": [], "电表": [["表号", "日期", "读数"], ["E-01", "2020年3月31日", 12]], "Sheet3": []},
    )
    assert [sheet.name for sheet in sheets] == ["Sheet1", "电表", "Sheet3"]
    sheet, header = choose_sheet(sheets, COLUMNS)
    assert sheet.name == "电表" and header.missing == []


def test_with_no_sheet_naming_every_column_the_first_that_names_the_most_is_shown_at_its_row(tmp_path):
    sheets = _workbook(
        tmp_path / "book.xlsx",
        {
            "一月": [["2020年1月抄表记录"], [None], ["表号", "抄表日期", "备注"], ["E-01", "2020-01-31", ""]],
            "二月": [["表号", "日期", "备注"], ["E-01", "2020-02-29", "王"]],
        },
    )
    with pytest.raises(HeaderError) as error:
        choose_sheet(sheets, get_import_kind("readings"))
    with translation.override("zh-hans"):
        assert (
            error.value.message
            == "缺少必填列：读数。请在工作表“一月”的表头行（第 3 行）中补上，或在下方指定哪个表头对应哪一列。"
        )
    with translation.override("en"):
        assert "to the header row of the sheet “一月” (row 3)" in error.value.message
    assert [cell.text for cell in error.value.header.cells] == ["表号", "抄表日期", "备注"]


def test_month_headers_weigh_nothing_for_a_kind_that_reads_no_wide_sheets(tmp_path):
    """填报月份 2020年3月 in the title line: for a kind without wide sheets it is a title like any
    other, and the header naming two of the three columns is the one offered for mapping."""
    rows = [
        ["填报单位：临沂市医疗保障局", "", "2020年3月"],
        ["表号", "日期", "抄表人"],
        ["E-01", "2020-03-31", "王"],
    ]
    with pytest.raises(HeaderError) as error:
        choose_sheet(read_workbook(csv_file(tmp_path / "a.csv", rows)), COLUMNS)
    assert error.value.header.row_index == 1
    assert [c.key for c in error.value.header.missing] == ["reading"]


def test_a_csv_saved_by_excel_with_a_title_line_and_a_totals_line_is_read(tmp_path):
    path = csv_file(
        tmp_path / "ledger.csv",
        [
            ["临沂市医疗保障局2020年3月抄表记录", "", "", ""],
            ["", "", "", ""],
            ["表号", "抄表日期", "读数（kWh）", "备注"],
            ["E-01", "2020/3/31", "1,234.5", ""],
            ["E-02", "2020/3/31", "88", "七楼东"],
            ["合计", "", "1,322.5", ""],
        ],
        encoding="gbk",
    )
    header, outcome = run(path)
    assert header.row_index == 2
    assert outcome.errors == []
    assert [(r["meter"], r["reading"]) for r in outcome.records] == [
        ("E-01", Decimal("1234.5")),
        ("E-02", Decimal(88)),
    ]


def test_a_row_with_an_error_is_previewed_as_its_cells_read(tmp_path):
    """The preview of a row that failed shows its cells as the sheet shows them: a date cell as
    its day (not "2020-01-31T00:00:00"), a code typed as a number without ".0", a blank as nothing."""
    rows = [["表号", "日期", "读数"], [1001, dt.datetime(2020, 1, 31), "x"], [1002.0, None, 5]]
    _header, outcome = run(xlsx(tmp_path / "a.xlsx", rows))
    assert [(p["status"], p["values"]) for p in outcome.preview] == [
        ("error", ["1001", "2020-01-31", "x", ""]),
        ("error", ["1002", "", "5", ""]),
    ]


def test_rows_of_every_block_are_numbered_and_checked_as_the_sheet_numbers_them(tmp_path, monkeypatch):
    """A large file is checked a block of rows at a time: an error in a later block (a cell that
    does not convert, a row the kind refuses) still names its own sheet row, and so does the preview."""
    monkeypatch.setattr("imports.pipeline.BLOCK", 2)
    rows = [["表号", "日期", "读数"]] + [["E-01", f"2020-01-{d:02d}", str(d)] for d in range(1, 8)]
    rows[4][2] = "x"  # sheet row 5, in the second block
    rows[6][2] = "-1"  # sheet row 7, in the third block: refused by the kind
    _header, outcome = run(csv_file(tmp_path / "a.csv", rows))
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(5, "读数"), (7, "读数")]
    assert [(p["row"], p["status"]) for p in outcome.preview] == [
        (2, "new"),
        (3, "new"),
        (4, "new"),
        (5, "error"),
        (6, "new"),
        (7, "error"),
        (8, "new"),
    ]
    assert outcome.preview[3]["values"][2] == "x" and outcome.preview[4]["values"][2] == "5"
    assert (outcome.rows_read, outcome.error_rows) == (7, 2)


def test_a_row_of_zeros_is_not_a_blank_row_and_is_refused_with_its_reasons(tmp_path):
    """Only empty cells make a blank row: a row of zeros typed as numbers is data, checked (and here
    refused, 0 being no date) rather than passed over as the end of the table."""
    rows = [["表号", "日期", "读数"], ["E-01", dt.datetime(2020, 1, 31), 5], [0, 0, 0]]
    _header, outcome = run(xlsx(tmp_path / "a.xlsx", rows))
    assert outcome.skipped == [] and [(e["row"], e["column"]) for e in outcome.errors] == [(3, "日期")]


def test_the_first_5000_errors_are_listed_and_every_bad_row_is_counted(tmp_path):
    rows = [["表号", "日期", "读数"]] + [["E-01", "2020-01-01", "x"]] * 5001
    _header, outcome = run(csv_file(tmp_path / "a.csv", rows))
    assert (len(outcome.errors), outcome.error_rows, outcome.rows_read) == (5000, 5001, 5001)
    assert len(outcome.preview) == 20  # the first twenty rows, errors or not
    assert outcome.errors[-1]["row"] == 5001  # sheet rows 2 … 5001


def test_a_table_of_blank_rows_only_reads_nothing_and_passes_nothing_over(tmp_path):
    """Blank rows after the last filled row are the table's end, even when no row is filled."""
    rows = [["表号", "日期", "读数"], ["", "", ""], ["", "", ""]]
    _header, outcome = run(csv_file(tmp_path / "a.csv", rows))
    assert (outcome.rows_read, outcome.skipped, outcome.errors, outcome.records) == (0, [], [], [])
