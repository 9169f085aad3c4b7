"""Rows an import passes over — blank rows, 合计 / 小计 rows, notes under the table — are counted
and listed with their row and why, on the job's page and by the command (#13: nothing is ever
dropped without being listed)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from imports.services import import_commit, import_job_create, import_validate
from ledger.models import Reading
from tests.imports.files import xlsx
from tests.ledger.factories import MeterFactory
from tests.ledger.test_import_layouts import notes_under_the_table, subtotals_and_total, wide_monthly


@pytest.fixture
def meters(agency, settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    MeterFactory(agency=agency, code="E-1")
    MeterFactory(agency=agency, code="W-1", kind="water")


def with_a_blank_row_inside(path):
    return xlsx(
        path,
        [
            ["表号", "抄表日期", "读数"],
            ["E-1", "2021-01-31", 100],  # row 2
            [None, None, None],  # row 3: blank, inside the table
            ["E-1", "2021-02-28", 130],
            ["W-1", "2021-01-31", 10],
            ["W-1", "2021-02-28", 12.5],
            ["合计", None, 252.5],  # row 7
            ["注：读数为表盘累计示数", None, None],  # row 8
        ],
    )


def wide_with_an_empty_item(path):
    return xlsx(
        path,
        [
            ["表号", "名称", "1月", "2月"],
            ["E-1", "总表", 100, 130],  # row 2
            ["E-2", "备用表", None, None],  # row 3: an item with no value in any month
            ["W-1", "水表", 10, 12.5],
            [None, None, None, None],  # row 5: blank
            ["小计", None, 110, 142.5],  # row 6
        ],
        title="2021年度抄表台账（月底读数）",
    )


CASES = [
    (subtotals_and_total, [(4, "total"), (7, "total"), (8, "total")]),
    (notes_under_the_table, [(6, "blank"), (7, "note"), (8, "note"), (9, "note")]),
    (wide_monthly, [(6, "total")]),  # the title, a blank row and the header take rows 1–3
    (with_a_blank_row_inside, [(3, "blank"), (7, "total"), (8, "note")]),
    (wide_with_an_empty_item, [(5, "no_month"), (7, "blank"), (8, "total")]),
]


@pytest.mark.parametrize(("layout", "expected"), CASES, ids=lambda c: getattr(c, "__name__", ""))
def test_every_row_passed_over_is_counted_and_listed_with_its_reason(
    agency, meters, tmp_path, layout, expected
):
    path = layout(tmp_path / "ledger.xlsx")
    job = import_job_create(agency=agency, kind="readings", upload=path, filename=path.name, language="en")
    job = import_commit(job=job, by=None)
    assert job.status == "done", (job.message, job.errors[:5])
    assert Reading.objects.count() == 4  # the data rows, all of them
    assert [(s["row"], s["reason"]) for s in job.skipped] == expected
    assert job.skipped_count == len(expected)


def test_the_preview_lists_the_rows_passed_over_in_chinese(agency, meters, manager, login, tmp_path):
    path = with_a_blank_row_inside(tmp_path / "ledger.xlsx")
    job = import_job_create(agency=agency, kind="readings", upload=path, filename=path.name, dry_run=True)
    job = import_validate(job=job)
    html = login(manager).get(reverse("imports:job_detail", args=[job.pk])).content.decode()
    table = html.split('data-testid="job-skipped"')[1].split("</table>")[0]
    assert "3 行不是数据，已略过" in html
    assert "<td>3</td><td>空行</td>" in table
    assert "<td>7</td><td>合计行（合计、小计等）：台账自行汇总</td>" in table
    assert "<td>8</td><td>表格下方的说明（注：、制表人：等）</td>" in table


def test_the_command_prints_the_rows_passed_over(agency, meters, tmp_path):
    path = with_a_blank_row_inside(tmp_path / "ledger.xlsx")
    out = StringIO()
    call_command("import_ledger", str(path), "--agency", agency.code, "--kind", "readings", stdout=out)
    printed = out.getvalue()
    assert "略过的非数据行：3。" in printed
    assert (
        "第 3 行：空行" in printed and "第 7 行：合计行" in printed and "第 8 行：表格下方的说明" in printed
    )


def test_a_reason_no_longer_known_is_shown_by_its_key_rather_than_dropped():
    from imports.models import ImportJob

    job = ImportJob(skipped=[{"row": 3, "reason": "blank"}, {"row": 9, "reason": "merged"}])
    with translation.override("zh-hans"):
        assert job.skipped_rows == [{"row": 3, "reason": "空行"}, {"row": 9, "reason": "merged"}]
