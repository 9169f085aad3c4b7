"""The ``waste`` import kind through the shared pipeline: Chinese headers, the form's rules, every
bad row reported, nothing written on error, and the export imports back unchanged."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from imports.exports import kind_workbook
from imports.registry import ImportContext, get_import_kind
from imports.services import import_commit, import_job_create
from tests.imports.files import xlsx
from tests.waste.factories import CollectionPointFactory, HazardousCollectionFactory, WasteCollectionFactory
from waste.models import WasteCollection

D = Decimal
HEADER = [
    "清运日期",
    "垃圾类别",
    "重量（千克）",
    "桶数",
    "清运单位",
    "收集点",
    "科室",
    "许可证编号",
    "转移联单编号",
    "备注",
]


@pytest.fixture
def run(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _run(agency, rows, *, user=None, language="zh-hans", name="waste.xlsx"):
        path = xlsx(tmp_path / name, rows, title="2020年垃圾分类清运台账", merge_title_over=4)
        job = import_job_create(
            agency=agency, kind="waste", upload=path, filename=path.name, by=user, language=language
        )
        return import_commit(job=job, by=user)

    return _run


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_a_ledger_with_chinese_headers_is_imported(agency, department, manager, run):
    CollectionPointFactory(
        agency=agency, name="楼外分类投放点", categories=["recyclable", "kitchen", "other"]
    )
    rows = [
        HEADER,
        [
            dt.date(2020, 3, 2),
            "其他垃圾",
            75.5,
            2,
            "临沂市城市环卫清运有限公司",
            "楼外分类投放点",
            "办公室",
            "",
            "",
            "",
        ],
        ["2020年3月9日", "餐厨垃圾", "30", "", "临沂市城市环卫清运有限公司", "", "", "", "", ""],
        [dt.date(2020, 3, 25), "可回收物", 86, "", "临沂市再生资源回收有限公司", "", "", "", "", "废纸"],
        [
            dt.date(2020, 3, 20),
            "有害垃圾",
            3.2,
            1,
            "山东鲁南危险废物处置有限公司",
            "",
            "",
            "鲁危证37130021",
            "37132020030001",
            "",
        ],
    ]
    job = run(agency, rows, user=manager)
    assert job.status == "done", errors_of(job)
    assert job.new_count == 4
    rows_by_category = {row.category: row for row in WasteCollection.objects.filter(agency=agency)}
    assert (
        rows_by_category["other"].department == department
        and rows_by_category["other"].point.name == "楼外分类投放点"
    )
    assert (
        rows_by_category["kitchen"].weight == D(30)
        and rows_by_category["hazardous"].manifest_number == "37132020030001"
    )
    assert {row.source for row in rows_by_category.values()} == {"import"}
    again = run(agency, rows, user=manager)
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 0, 4)


def test_every_bad_row_is_reported_and_nothing_is_written(agency, manager, run):
    future = dt.date.today() + dt.timedelta(days=400)
    rows = [
        HEADER,
        [dt.date(2020, 3, 2), "其他垃圾", 75.5, 2, "环卫公司", "", "", "", "", ""],
        [dt.date(2020, 3, 20), "有害垃圾", 3.2, 1, "某处置公司", "", "", "", "37130001", ""],
        [dt.date(2020, 3, 21), "建筑垃圾", 10, "", "某公司", "", "", "", "", ""],
        [dt.date(2020, 3, 22), "其他垃圾", -5, "", "某公司", "", "", "", "", ""],
        [future, "其他垃圾", 5, "", "某公司", "", "", "", "", ""],
        [dt.date(2020, 3, 23), "其他垃圾", 5, "", "某公司", "没有这个点", "财务处", "", "", ""],
    ]
    job = run(agency, rows, user=manager)
    assert job.status == "failed" and not WasteCollection.objects.exists()
    found = errors_of(job)
    # The sheet's own row numbers: title, blank row and header above the data (row 4 is fine).
    assert {row for row, _c, _m in found} == {5, 6, 7, 8, 9}
    by_row = {row: (column, message) for row, column, message in found}
    assert by_row[5] == ("许可证编号", "有害垃圾只能交由有资质的单位处置：请填写其危险废物经营许可证编号。")
    assert by_row[6][0] == "垃圾类别"
    assert by_row[7][0] == "重量（千克）" and "大于0" in by_row[7][1]
    assert "日期不能是未来的日期" in by_row[8][1]
    assert {c for r, c, _m in found if r == 9} == {"收集点", "科室"}


def test_a_manifest_already_recorded_or_given_twice_is_refused(agency, manager, run):
    HazardousCollectionFactory(agency=agency, manifest_number="37132020030001")
    rows = [
        HEADER,
        [dt.date(2020, 6, 20), "有害垃圾", 3, 1, "某处置公司", "", "", "鲁危证1", "37132020030001", ""],
        [dt.date(2020, 9, 20), "有害垃圾", 3, 1, "某处置公司", "", "", "鲁危证1", "37132020090001", ""],
        [dt.date(2020, 9, 21), "有害垃圾", 2, 1, "某处置公司", "", "", "鲁危证1", "37132020090001", ""],
    ]
    job = run(agency, rows, user=manager)
    assert job.status == "failed" and WasteCollection.objects.count() == 1
    assert [row for row, _c, _m in errors_of(job)] == [4, 6]


def test_a_clerk_imports_only_their_own_sections_rows(agency, department, other_department, clerk, run):
    rows = [
        HEADER,
        [dt.date(2020, 3, 2), "其他垃圾", 75.5, 2, "环卫公司", "", department.name, "", "", ""],
        [dt.date(2020, 3, 3), "其他垃圾", 70, 2, "环卫公司", "", other_department.name, "", "", ""],
        [dt.date(2020, 3, 4), "其他垃圾", 70, 2, "环卫公司", "", "", "", "", ""],
    ]
    job = run(agency, rows, user=clerk)
    assert job.status == "failed" and not WasteCollection.objects.exists()
    assert [row for row, _c, _m in errors_of(job)] == [5, 6]


def test_the_export_imports_back_unchanged_in_both_languages(agency, department, manager, run, tmp_path):
    CollectionPointFactory(agency=agency, name="七楼茶水间", categories=["kitchen", "other"])
    WasteCollectionFactory(agency=agency, category="kitchen", weight=D("12.30"), note="茶叶渣")
    WasteCollectionFactory(agency=agency, department=department, category="other", containers=3)
    HazardousCollectionFactory(agency=agency)
    kind = get_import_kind("waste")
    for language in ("zh-hans", "en"):
        path = tmp_path / f"export-{language}.xlsx"
        path.write_bytes(
            kind_workbook(kind, ImportContext(agency=agency, user=None, dry_run=False), language=language)
        )
        job = import_job_create(
            agency=agency, kind="waste", upload=path, filename=path.name, language=language
        )
        job = import_commit(job=job, by=manager)
        assert job.status == "done", errors_of(job)
        assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, 3)


def test_the_command_line_imports_waste_and_refuses_a_bad_file(agency, tmp_path, settings):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    good = xlsx(
        tmp_path / "good.xlsx",
        [HEADER, [dt.date(2020, 3, 2), "其他垃圾", 75.5, 2, "环卫公司", "", "", "", "", ""]],
    )
    out = io.StringIO()
    call_command("import_ledger", str(good), "--agency", agency.code, "--kind", "waste", stdout=out)
    assert WasteCollection.objects.count() == 1
    bad = xlsx(
        tmp_path / "bad.xlsx", [HEADER, [dt.date(2020, 3, 2), "有害垃圾", 1, 1, "某公司", "", "", "", "", ""]]
    )
    with pytest.raises((CommandError, SystemExit)):
        call_command(
            "import_ledger", str(bad), "--agency", agency.code, "--kind", "waste", stdout=io.StringIO()
        )
    assert WasteCollection.objects.count() == 1
