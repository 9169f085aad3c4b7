"""Large files go to a real Celery worker over Redis; the page polls the job's progress."""

import time

import pytest

from agencies.models import AgencyYear
from imports.models import ImportJob, ImportStatus
from imports.services import import_confirm, import_job_create, import_start

from .conftest import years_rows
from .files import csv_file

pytestmark = pytest.mark.real_worker


def _wait(job, statuses, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in statuses and not job.is_pending:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job stayed {job.status}")


@pytest.fixture
def background(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    settings.IMPORT_BACKGROUND_ROWS = 10  # every test file here counts as large


def _rows(count):
    return years_rows(*[[str(2000 + n), "44", "1942.42", "1024"] for n in range(count)])


def test_a_large_file_is_validated_and_written_by_a_real_worker(
    real_worker, background, agency, manager, tmp_path
):
    path = csv_file(tmp_path / "years.csv", _rows(25))
    job = import_job_create(agency=agency, kind="agency_years", upload=path, filename="years.csv", by=manager)
    assert job.background
    import_start(job=job)
    job = _wait(job, {ImportStatus.VALIDATED, ImportStatus.FAILED})
    assert job.status == ImportStatus.VALIDATED, job.message
    assert (job.rows_total, job.rows_read, job.rows_validated, job.new_count) == (25, 25, 25, 23)
    assert not AgencyYear.objects.filter(agency=agency, year=2000).exists()

    import_confirm(job=job, by=manager)
    job = _wait(job, {ImportStatus.DONE, ImportStatus.FAILED})
    assert job.status == ImportStatus.DONE, job.message
    assert job.rows_written == 25 and job.committed_by == manager
    assert AgencyYear.objects.filter(agency=agency).count() == 25
    assert job.stored_path == ""


def test_a_writer_failing_in_the_worker_leaves_nothing_written(real_worker, background, agency, tmp_path):
    path = csv_file(tmp_path / "years.csv", _rows(25))
    job = import_job_create(
        agency=agency, kind="test_years_exploding", upload=path, filename="y.csv", language="en"
    )
    import_start(job=job)
    job = _wait(job, {ImportStatus.VALIDATED, ImportStatus.FAILED})
    import_confirm(job=job, by=None)
    job = _wait(job, {ImportStatus.DONE, ImportStatus.FAILED})
    assert job.status == ImportStatus.FAILED
    assert "nothing was written" in job.message
    assert dict(AgencyYear.objects.filter(agency=agency).values_list("year", "headcount")) == {
        2019: 46,
        2020: 45,
    }


def test_a_task_delivered_twice_runs_the_job_once(real_worker, background, agency, tmp_path):
    from imports.tasks import import_validate_task

    path = csv_file(tmp_path / "years.csv", _rows(12))
    job = import_job_create(agency=agency, kind="agency_years", upload=path, filename="y.csv")
    first = import_validate_task.delay(job.pk)
    second = import_validate_task.delay(job.pk)
    results = {first.get(timeout=60), second.get(timeout=60)}
    job.refresh_from_db()
    assert job.status == ImportStatus.VALIDATED
    assert results == {ImportStatus.VALIDATED}
    assert ImportJob.objects.count() == 1
