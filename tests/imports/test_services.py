"""The pipeline end to end through its services: validate every row, write all or nothing."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from agencies.models import AgencyYear
from imports.models import ImportJob, ImportStatus
from imports.reader import ImportFileError
from imports.services import import_commit, import_job_create
from reporting.figures.locks import lock_indicators
from reporting.models import StaleFigure
from reporting.registry import indicators
from tests.factories import AgencyYearFactory

from .conftest import years_rows
from .files import csv_file, xlsx

pytestmark = pytest.mark.django_db


def _years(agency):
    return {
        y.year: (y.headcount, y.building_area, y.office_area)
        for y in AgencyYear.objects.filter(agency=agency)
    }


def test_a_ledger_with_title_rows_and_chinese_numbers_is_imported_in_one_go(
    agency, manager, run_import, tmp_path
):
    path = xlsx(
        tmp_path / "基本情况.xlsx",
        years_rows(
            ["2019年", "47", "1,942.42", "1024"],  # 2019 exists (conftest) with 46 people: updated
            [2021.0, "４４", "1942.42", "１，０２４．００"],
            [None, None, None, None],
            ["合计", None, None, None],
        ),
        title="临沂市医疗保障局 用能人数及面积统计表",
        merge_title_over=4,
    )
    path = _fix_year_text(path)
    job = run_import(agency, path, by=manager)
    assert job.status == ImportStatus.DONE, (job.message, job.errors)
    assert (job.new_count, job.updated_count, job.unchanged_count) == (1, 1, 0)
    assert _years(agency)[2021] == (44, Decimal("1942.42"), Decimal("1024.00"))
    assert _years(agency)[2019] == (47, Decimal("1942.42"), Decimal("1024.00"))
    assert job.committed_by == manager
    assert job.stored_path == ""


def _fix_year_text(path):
    # "2019年" is not a whole number: the test file uses the plain year in the first data row.
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    workbook.active["A4"] = 2019
    workbook.save(path)
    return path


def test_reimporting_the_same_file_changes_nothing_and_says_so(agency, run_import, tmp_path):
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(["2021", "44", "1942.42", "1024"], ["2022", "43", "1942.42", "1024"]),
    )
    first = run_import(agency, path)
    before = list(AgencyYear.history.filter(agency=agency).values_list("pk", flat=True))
    second = run_import(agency, path)
    assert (first.new_count, first.updated_count, first.unchanged_count) == (2, 0, 0)
    assert (second.new_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    assert second.message == "0 new, 0 updated, 2 unchanged."
    assert second.rows_written == 0
    assert list(AgencyYear.history.filter(agency=agency).values_list("pk", flat=True)) == before


def test_an_import_that_only_updates_says_so(agency, run_import, tmp_path):
    path = csv_file(tmp_path / "years.csv", years_rows(["2020", "50", "1942.42", "1024"]))
    job = run_import(agency, path)
    assert job.message == "0 new, 1 updated, 0 unchanged."
    assert _years(agency)[2020][0] == 50


def test_one_bad_row_means_nothing_is_written_and_every_error_is_listed(agency, run_import, tmp_path):
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(
            ["2021", "44", "1942.42", "1024"],
            ["2022", "many", "1942.42", "1024"],
            ["2023", "40", "100", "500"],
            ["2021", "41", "1942.42", "1024"],
        ),
    )
    job = run_import(agency, path)
    assert job.status == ImportStatus.FAILED
    assert job.error_count == 3
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "用能人数"), (4, "办公面积(㎡)"), (5, "")]
    assert "many" in job.errors[0]["message"]
    assert "office area cannot exceed" in job.errors[1]["message"]
    assert "already given in row 2" in job.errors[2]["message"]
    assert 2021 not in _years(agency)
    assert job.stored_path == ""


def test_every_message_of_a_cell_is_given_one_after_the_other(agency, run_import, tmp_path):
    # 0.001 m² of office: below the least area and with a third decimal place
    path = csv_file(tmp_path / "years.csv", years_rows(["2023", "40", "100", "0.001"]))
    job = run_import(agency, path)
    assert job.errors == [
        {
            "row": 2,
            "column": "办公面积(㎡)",
            "message": "Ensure this value is greater than or equal to 0.01. "
            "Ensure that there are no more than 2 decimal places.",
        }
    ]


def test_checking_agency_years_makes_no_query_per_row(agency, run_import, tmp_path):
    # Each row gets the model's field validators and clean(), not its foreign key (the import's own
    # agency) nor its constraints (they repeat the validators): a sheet of six years is checked with
    # the queries of a sheet of one.
    def queries_to_check(count):
        rows = [[str(2000 + n), "44", "1942.42", "1024"] for n in range(count)]
        path = csv_file(tmp_path / f"years-{count}.csv", years_rows(*rows))
        with CaptureQueriesContext(connection) as queries:
            job = run_import(agency, path, dry_run=True)
        assert job.error_count == 0 and job.new_count == count, job.errors
        return len(queries)

    assert queries_to_check(6) == queries_to_check(1)


def test_errors_are_reported_in_chinese_by_default(agency, run_import, tmp_path):
    path = csv_file(tmp_path / "years.csv", years_rows(["2022", "许多", "1942.42", "1024"]))
    job = run_import(agency, path, language="zh-hans")
    assert job.errors == [{"row": 2, "column": "用能人数", "message": "“许多”不是整数。"}]
    assert job.message == "部分行有错误，未写入任何数据。"


def test_a_year_given_twice_is_refused_naming_the_year_and_its_first_row_in_chinese(
    agency, run_import, tmp_path
):
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(["2021", "44", "1942.42", "1024"], ["2021", "41", "1942.42", "1024"]),
    )
    job = run_import(agency, path, language="zh-hans")
    assert job.errors == [{"row": 3, "column": "", "message": "年度 2021 已在第 2 行出现。"}]


def test_a_failure_inside_the_writer_after_partial_inserts_leaves_nothing_written(
    agency, run_import, tmp_path
):
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(["2021", "44", "1942.42", "1024"], ["2022", "43", "1942.42", "1024"]),
    )
    job = run_import(agency, path, kind="test_years_exploding")
    assert job.status == ImportStatus.FAILED
    assert "nothing was written" in job.message
    assert set(_years(agency)) == {2019, 2020}
    assert job.stored_path == ""


def test_a_month_locked_by_a_published_disclosure_refuses_the_import(agency, run_import, tmp_path):
    lock_indicators(agency_id=agency.pk, months=[dt.date(2021, 1, 1)], indicators=["electricity"])
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, kind="test_years_monthly")
    assert job.status == ImportStatus.FAILED
    assert "2021-01" in job.message and "locked" in job.message
    assert 2021 not in _years(agency)


def test_the_preview_already_tells_about_a_locked_month(agency, run_import, tmp_path):
    lock_indicators(agency_id=agency.pk, months=[dt.date(2021, 1, 1)], indicators=["electricity"])
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, kind="test_years_monthly", commit=False)
    assert job.status == ImportStatus.FAILED and "locked" in job.message


def test_the_touched_months_are_marked_stale_in_the_import_and_refreshed_once_after_commit(
    agency, run_import, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr("reporting.tasks.figures_refresh_stale", lambda **kwargs: calls.append(kwargs))
    path = csv_file(
        tmp_path / "years.csv",
        years_rows(["2021", "44", "1942.42", "1024"], ["2022", "43", "1942.42", "1024"]),
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(agency, path, kind="test_years_monthly")
    assert job.status == ImportStatus.DONE
    assert calls == [{"agency_ids": [agency.pk]}]  # one refresh, of what the import marked stale
    # the test kind names no indicators: it is taken to feed every summed one
    keys = {i.key for i in indicators() if not i.is_ratio}
    stale = set(StaleFigure.objects.filter(agency=agency).values_list("month", "indicator"))
    assert stale == {(month, key) for month in (dt.date(2021, 1, 1), dt.date(2022, 1, 1)) for key in keys}


def test_a_dry_run_checks_every_row_writes_nothing_and_deletes_the_file(agency, run_import, tmp_path):
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, dry_run=True)
    assert job.status == ImportStatus.VALIDATED and job.dry_run
    assert job.new_count == 1 and job.preview[0]["values"] == ["2021", "44", "1942.42", "1024"]
    assert 2021 not in _years(agency)
    assert job.stored_path == ""
    with translation.override("zh-hans"), pytest.raises(ImportFileError, match="试运行"):
        import_commit(job=job, by=None)


def test_the_preview_keeps_the_file_until_it_is_confirmed(agency, manager, run_import, tmp_path):
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, commit=False)
    assert job.status == ImportStatus.VALIDATED and Path(job.stored_path).exists()
    stored = Path(job.stored_path)
    job = import_commit(job=job, by=manager)
    assert job.status == ImportStatus.DONE and not stored.exists()
    assert _years(agency)[2021][0] == 44


def test_a_job_is_claimed_once_so_a_second_commit_does_nothing(agency, run_import, tmp_path):
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, commit=False)
    import_commit(job=job, by=None)
    again = import_commit(job=ImportJob.objects.get(pk=job.pk), by=None)
    assert again.status == ImportStatus.DONE
    assert AgencyYear.history.filter(agency=agency, year=2021).count() == 1


def test_a_file_above_the_limit_is_not_even_stored(agency, settings, tmp_path):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    path = csv_file(tmp_path / "years.csv", years_rows(*[["2021", "44", "1942.42", "1024"]] * 10))
    with translation.override("zh-hans"), pytest.raises(ImportFileError, match="上限"):
        import_job_create(
            agency=agency, kind="agency_years", upload=path, filename="years.csv", language="en"
        )
    assert not ImportJob.objects.exists()
    assert not list((tmp_path / "stored").glob("*"))


def test_a_file_that_is_not_a_spreadsheet_fails_the_job_with_a_clear_message(agency, run_import, tmp_path):
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    job = run_import(agency, path)
    assert job.status == ImportStatus.FAILED
    assert "not a spreadsheet" in job.message
    assert job.stored_path == ""


def test_missing_columns_fail_the_job_naming_them(agency, run_import, tmp_path):
    path = csv_file(tmp_path / "years.csv", [["年度", "用能人数"], ["2021", "44"]])
    job = run_import(agency, path)
    assert job.status == ImportStatus.FAILED
    assert "Building area" in job.message and "Office area" in job.message


def test_every_stored_job_belongs_to_its_agency_only(agency, other_agency, run_import, tmp_path):
    AgencyYearFactory(agency=other_agency, year=2021, headcount=10)
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    run_import(agency, path)
    assert AgencyYear.objects.get(agency=other_agency, year=2021).headcount == 10
    assert AgencyYear.objects.get(agency=agency, year=2021).headcount == 44


def test_the_job_reports_progress_while_it_reads_validates_and_writes(
    agency, run_import, tmp_path, monkeypatch
):
    monkeypatch.setattr("imports.pipeline.PROGRESS_EVERY", 5)
    monkeypatch.setattr("imports.services.WRITE_CHUNK", 8)
    seen = []
    original = ImportJob.objects.filter

    def spy(*args, **kwargs):
        queryset = original(*args, **kwargs)
        update = queryset.update

        def recording_update(**values):
            if "rows_validated" in values:
                seen.append(("validated", values["rows_validated"]))
            return update(**values)

        queryset.update = recording_update
        return queryset

    monkeypatch.setattr(ImportJob.objects, "filter", spy)
    rows = years_rows(*[[str(2000 + n), "44", "1942.42", "1024"] for n in range(22)])
    job = run_import(agency, csv_file(tmp_path / "years.csv", rows))
    job.refresh_from_db()
    assert seen == [
        ("validated", 0),
        ("validated", 5),
        ("validated", 10),
        ("validated", 15),
        ("validated", 20),
    ]
    # 2019 and 2020 already hold 46 and 45 people (conftest): updated; the other 20 years are new.
    assert (job.rows_total, job.rows_read, job.rows_validated, job.rows_written) == (22, 22, 22, 22)
    assert (job.new_count, job.updated_count) == (20, 2)
    assert job.progress_percent == 100
    assert job.started_at <= job.finished_at


def test_an_unconfirmed_preview_expires_and_its_file_is_deleted(agency, run_import, tmp_path):
    from datetime import timedelta

    from django.utils import timezone

    from imports.tasks import import_jobs_expire_task

    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, commit=False)
    stored = Path(job.stored_path)
    assert stored.exists()
    assert import_jobs_expire_task.delay().get() == 0  # fresh previews are kept
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(days=2))
    assert import_jobs_expire_task.delay().get() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.stored_path == "" and not stored.exists()
    assert "never confirmed" in job.message


@pytest.mark.parametrize("commit", [False, True])
def test_a_bug_in_a_validator_fails_the_job_instead_of_leaving_it_running(
    agency, run_import, tmp_path, commit
):
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    job = run_import(agency, path, kind="test_years_buggy", commit=commit)
    assert job.status == ImportStatus.FAILED
    assert "failed unexpectedly" in job.message
    assert job.stored_path == ""
    assert 2021 not in _years(agency)


def test_the_kind_is_prepared_with_the_agency_user_and_job(agency, manager, run_import, tmp_path):
    from dataclasses import replace

    from imports.kinds import AGENCY_YEARS
    from imports.registry import register_import_kind, unregister_import_kind

    contexts = []

    def prepare(context):
        contexts.append(context)
        return AGENCY_YEARS.prepare(context)

    register_import_kind(replace(AGENCY_YEARS, key="test_years_spy", prepare=prepare))
    try:
        path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
        job = run_import(agency, path, kind="test_years_spy", by=manager)
    finally:
        unregister_import_kind("test_years_spy")
    assert job.status == ImportStatus.DONE
    assert [(c.agency, c.user, c.dry_run, c.job_id) for c in contexts] == [(agency, manager, False, job.pk)]


def test_a_failing_figure_refresh_after_commit_does_not_undo_or_fail_the_import(
    agency, run_import, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_refresh(**kwargs):
        raise RuntimeError("reporting is down")

    monkeypatch.setattr("reporting.tasks.figures_refresh_stale", broken_refresh)
    path = csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    with django_capture_on_commit_callbacks(execute=True):
        job = run_import(agency, path, kind="test_years_monthly")
    assert job.status == ImportStatus.DONE
    assert _years(agency)[2021][0] == 44


def test_the_garbage_collector_is_paused_during_an_import_and_as_it_was_afterwards(
    agency, run_import, tmp_path, monkeypatch
):
    import gc

    import imports.services

    seen = []
    check_rows = imports.services._check_rows

    def watching(job, **keywords):
        seen.append(gc.isenabled())
        return check_rows(job, **keywords)

    monkeypatch.setattr(imports.services, "_check_rows", watching)
    assert gc.isenabled()
    job = run_import(agency, csv_file(tmp_path / "years.csv", years_rows(["2021", "44", "1942.42", "1024"])))
    assert job.status == ImportStatus.DONE
    assert seen == [False]
    assert gc.isenabled()
    gc.disable()
    try:
        run_import(agency, csv_file(tmp_path / "again.csv", years_rows(["2022", "44", "1942.42", "1024"])))
        assert not gc.isenabled()  # it was off before, so it stays off
    finally:
        gc.enable()
