"""The ``events`` import kind: Chinese headers, channels in one cell, the form's rules, all or nothing."""

import datetime as dt

import pytest

from campaigns.models import Event
from imports.exports import kind_workbook
from imports.registry import ImportContext, get_import_kind
from imports.services import import_commit, import_job_create
from tests.campaigns.factories import EventFactory
from tests.imports.files import xlsx

HEADER = ["活动日期", "结束日期", "活动类型", "活动名称", "宣传渠道", "参加人数", "组织科室", "活动情况"]


@pytest.fixture
def run(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _run(agency, rows, *, user=None, language="zh-hans"):
        path = xlsx(tmp_path / "events.xlsx", rows, title="2020年节能宣传培训活动台账", merge_title_over=4)
        job = import_job_create(
            agency=agency, kind="events", upload=path, filename=path.name, by=user, language=language
        )
        return import_commit(job=job, by=user)

    return _run


def errors_of(job):
    return [(e["row"], e["column"], e["message"]) for e in job.errors]


def test_events_with_chinese_headers_and_channels_in_one_cell(agency, department, manager, run):
    rows = [
        HEADER,
        [
            dt.date(2020, 6, 29),
            dt.date(2020, 7, 5),
            "全国节能宣传周",
            "2020年节能宣传周主题活动",
            "网站、微信公众号，宣传栏",
            45,
            "办公室",
            "全体参加",
        ],
        [dt.date(2020, 9, 17), "", "讲座", "垃圾分类知识讲座", "会议", 40, "", ""],
    ]
    job = run(agency, rows, user=manager)
    assert job.status == "done", errors_of(job)
    week = Event.objects.get(kind="energy_week")
    assert week.channels == ["website", "wechat", "notice_board"] and week.end_date == dt.date(2020, 7, 5)
    assert week.department == department and week.participants == 45
    rows[2][5] = 42  # the same date, kind and title: that event, updated
    again = run(agency, rows, user=manager)
    assert (again.new_count, again.updated_count, again.unchanged_count) == (0, 1, 1)
    assert Event.objects.get(kind="lecture").participants == 42


def test_every_bad_event_row_is_reported_and_nothing_is_written(agency, manager, run):
    rows = [
        HEADER,
        [dt.date(2020, 6, 29), "", "全国节能宣传周", "活动", "网站", 45, "", ""],
        [dt.date(2020, 6, 29), dt.date(2020, 6, 1), "讲座", "结束早于开始", "会议", 10, "", ""],
        [dt.date(2020, 6, 30), "", "联欢会", "不认识的类型", "会议", 10, "", ""],
        [dt.date(2020, 7, 1), "", "培训", "渠道不对", "电视台", 10, "", ""],
        [dt.date(2020, 7, 2), "", "培训", "人数不对", "会议", -3, "", ""],
    ]
    job = run(agency, rows, user=manager)
    assert job.status == "failed" and not Event.objects.exists()
    found = {row: column for row, column, _m in errors_of(job)}
    assert found == {5: "结束日期", 6: "活动类型", 7: "宣传渠道", 8: "参加人数"}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_export_imports_back_unchanged(agency, department, manager, tmp_path, settings, language):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    EventFactory(agency=agency, channels=["website", "wechat", "notice_board", "meeting"], summary="=SUM(A1)")
    EventFactory(
        agency=agency, department=department, kind="clean_plate", date=dt.date(2020, 6, 29), channels=[]
    )
    path = tmp_path / "events.xlsx"
    path.write_bytes(
        kind_workbook(
            get_import_kind("events"),
            ImportContext(agency=agency, user=None, dry_run=False),
            language=language,
        )
    )
    job = import_commit(
        job=import_job_create(
            agency=agency, kind="events", upload=path, filename=path.name, language=language
        ),
        by=manager,
    )
    assert job.status == "done", errors_of(job)
    assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, 2)
