"""Ledgers as offices keep them (#13.8): twelve layouts generated here, each imported through the
ledger's real ``readings`` kind into the database — merged titles, units, two-row headers, 合计 and
小计 rows, notes under the table, wide monthly sheets, previous and current readings, GBK CSV, .xls,
an instructions sheet, English headers. Each must write the same four readings."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest

from imports.services import import_commit, import_job_create
from ledger.models import Reading
from tests.imports.files import csv_file, xls, xlsx
from tests.ledger.factories import MeterFactory

D = Decimal
EXPECTED = [
    ("E-1", dt.date(2021, 1, 31), D(100)),
    ("E-1", dt.date(2021, 2, 28), D(130)),
    ("W-1", dt.date(2021, 1, 31), D(10)),
    ("W-1", dt.date(2021, 2, 28), D("12.5")),
]


def merged_title_and_units(path):
    return xlsx(
        path,
        [
            ["表号", "抄表日期", "读数（kWh）", "备注"],
            ["E-1", dt.date(2021, 1, 31), 100, None],
            ["E-1", dt.date(2021, 2, 28), 130, "月底"],
            ["W-1", "2021年1月31日", 10, None],
            ["W-1", "2021/2/28", "12.5", None],
        ],
        title="临沂市医疗保障局2021年水电抄表台账",
        merge_title_over=4,
    )


def two_row_header(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2021年抄表记录"])
    sheet.append(["计量表", None, "读数", None])
    sheet.append(["编号", "抄表日期", "上期", "本期"])
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:D2")
    for row in (
        ["E-1", dt.date(2021, 1, 31), None, 100],
        ["E-1", dt.date(2021, 2, 28), 100, 130],
        ["W-1", dt.date(2021, 1, 31), None, 10],
        ["W-1", dt.date(2021, 2, 28), 10, 12.5],
    ):
        sheet.append(row)
    workbook.save(path)
    return path


def subtotals_and_total(path):
    return xlsx(
        path,
        [
            ["序号", "表号", "抄表日期", "读数"],
            [1, "E-1", "2021-01-31", 100],
            [2, "E-1", "2021-02-28", 130],
            ["小计", None, None, 230],
            [3, "W-1", "2021-01-31", 10],
            [4, "W-1", "2021-02-28", 12.5],
            ["小  计", None, None, 22.5],
            ["合计：", None, None, 252.5],
        ],
    )


def notes_under_the_table(path):
    return xlsx(
        path,
        [
            ["表号", "抄表日期", "读数", "备注"],
            ["E-1", "2021-01-31", 100, None],
            ["E-1", "2021-02-28", 130, None],
            ["W-1", "2021-01-31", 10, None],
            ["W-1", "2021-02-28", 12.5, None],
            [None, None, None, None],
            ["注：1. 读数为表盘累计示数；2. 每月最后一个工作日抄表。", None, None, None],
            ["制表人：张三", None, "审核人：李四", None],
            ["填报日期：2021年3月1日", None, None, None],
        ],
    )


def wide_monthly(path):
    return xlsx(
        path,
        [
            ["序号", "计量表编号", "名称", "1月", "2月", "3月", "全年合计"],
            [1, "E-1", "总表", 100, 130, None, None],
            [2, "W-1", "水表", 10, 12.5, None, None],
            ["合计", None, None, 110, 142.5, None, None],
        ],
        title="2021年度用能台账（月底读数）",
        merge_title_over=7,
    )


def wide_with_years_in_headers(path):
    return csv_file(
        path,
        [["表号", "2021年1月", "2021年2月"], ["E-1", "100", "130"], ["W-1", "10", "12.5"]],
        encoding="gbk",
    )


def previous_and_current(path):
    return xlsx(
        path,
        [
            ["表号", "抄表日期", "上月读数", "本月读数", "本月用量"],
            ["E-1", "2021-01-31", None, 100, None],
            ["E-1", "2021-02-28", 100, 130, 30],
            ["W-1", "2021-01-31", None, 10, None],
            ["W-1", "2021-02-28", 10, 12.5, 2.5],
        ],
    )


def gbk_csv_with_start_and_end_codes(path):
    return csv_file(
        path,
        [
            ["电表编号", "抄表时间", "起码", "止码"],
            ["E-1", "2021.1.31", "", "100"],
            ["E-1", "2021.2.28", "100", "130"],
            ["W-1", "2021.1.31", "", "10"],
            ["W-1", "2021.2.28", "10", "12.5"],
        ],
        encoding="gbk",
    )


def old_xls(path):
    return xls(
        path.with_suffix(".xls"),
        [
            ["计量器具编号", "日期", "表底数"],
            ["E-1", dt.date(2021, 1, 31), 100],
            ["E-1", dt.date(2021, 2, 28), 130],
            ["W-1", dt.date(2021, 1, 31), 10],
            ["W-1", dt.date(2021, 2, 28), 12.5],
        ],
    )


def instructions_sheet_first(path):
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "填表说明"
    notes.append(["请按月填写每块表的月底读数。"])
    notes.append(["表号须与计量表台账一致。"])
    data = workbook.create_sheet("抄表")
    for row in (
        ["表号", "抄表日期", "读数"],
        ["E-1", dt.date(2021, 1, 31), 100],
        ["E-1", dt.date(2021, 2, 28), 130],
        ["W-1", dt.date(2021, 1, 31), 10],
        ["W-1", dt.date(2021, 2, 28), 12.5],
    ):
        data.append(row)
    workbook.save(path)
    return path


def english_headers(path):
    return csv_file(
        path,
        [
            ["Meter No.", "Reading Date", "Reading (kWh)", "Remarks"],
            ["E-1", "2021-01-31", "100", ""],
            ["E-1", "2021-02-28", "130", ""],
            ["W-1", "2021-01-31", "10", ""],
            ["W-1", "2021-02-28", "12.5", ""],
        ],
    )


def line_breaks_and_full_width(path):
    return xlsx(
        path,
        [
            ["序\n号", "计量表\n编号", "抄表\n日期", "本期\n表数（ｍ³/kWh）", "抄表人"],
            ["１", "E-1", "２０２１年１月３１日", "１００", "王"],
            [2, "E-1", "2021-02-28", "１３０", "王"],
            [3, "W-1", "2021-01-31", "１０", "王"],
            [4, "W-1", "2021-02-28", "１２．５", "王"],
        ],
    )


LAYOUTS = [
    merged_title_and_units,
    two_row_header,
    subtotals_and_total,
    notes_under_the_table,
    wide_monthly,
    wide_with_years_in_headers,
    previous_and_current,
    gbk_csv_with_start_and_end_codes,
    old_xls,
    instructions_sheet_first,
    english_headers,
    line_breaks_and_full_width,
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda layout: layout.__name__)
def test_a_ledger_kept_this_way_imports_the_same_readings(agency, settings, tmp_path, layout):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    MeterFactory(agency=agency, code="E-1")
    MeterFactory(agency=agency, code="W-1", kind="water")
    suffix = (
        ".csv"
        if "csv" in layout.__name__ or "english" in layout.__name__ or "years_in" in layout.__name__
        else ".xlsx"
    )
    path = layout(tmp_path / f"ledger{suffix}")
    job = import_job_create(agency=agency, kind="readings", upload=path, filename=path.name, language="en")
    job = import_commit(job=job, by=None)
    assert job.status == "done", (job.message, job.errors[:5], job.columns)
    rows = Reading.objects.order_by("meter__code", "date").values_list("meter__code", "date", "value")
    assert list(rows) == EXPECTED
    # nothing dropped unlisted: every header of the file is on the job, taken or not
    assert all(cell["column"] or cell["status"] in ("ignored", "looks_like", "month") for cell in job.columns)
