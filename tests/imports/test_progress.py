"""Progress while writing is visible from outside the import's still-open transaction."""

from dataclasses import replace

import pytest
from django.db import connection, connections

from imports.kinds import AGENCY_YEARS
from imports.models import ImportJob, ImportStatus
from imports.registry import register_import_kind, unregister_import_kind
from imports.services import import_commit, import_job_create

from .conftest import years_rows
from .files import csv_file

SEEN_FROM_OUTSIDE: list[tuple[int, int]] = []


def _write_and_look_from_outside(state, records):
    """Before each chunk, read the job row through another connection, as the polling page does."""
    outside = connections.create_connection("default")
    try:
        with outside.cursor() as cursor:
            cursor.execute("SELECT rows_written FROM imports_importjob ORDER BY id DESC LIMIT 1")
            (rows_written,) = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM agencies_agencyyear WHERE year >= 2100")
            (years_visible,) = cursor.fetchone()
    finally:
        outside.close()
    SEEN_FROM_OUTSIDE.append((rows_written, years_visible))
    return AGENCY_YEARS.write(state, records)


@pytest.fixture
def watched_kind():
    kind = replace(AGENCY_YEARS, key="test_years_watched", write=_write_and_look_from_outside)
    register_import_kind(kind)
    SEEN_FROM_OUTSIDE.clear()
    yield kind
    unregister_import_kind(kind.key)


@pytest.mark.postgres
def test_rows_written_advances_for_the_polling_page_while_nothing_is_committed(
    transactional_db, agency, watched_kind, settings, tmp_path, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("progress during the write is reported through a second connection on PostgreSQL only")
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    monkeypatch.setattr("imports.services.WRITE_CHUNK", 5)
    path = csv_file(
        tmp_path / "y.csv", years_rows(*[[str(2100 + n), "44", "1942.42", "1024"] for n in range(12)])
    )
    job = import_job_create(agency=agency, kind=watched_kind.key, upload=path, filename="y.csv")
    job = import_commit(job=job, by=None)
    assert job.status == ImportStatus.DONE
    # The counter moves 0 → 5 → 10 while the rows themselves stay invisible until the commit.
    assert SEEN_FROM_OUTSIDE == [(0, 0), (5, 0), (10, 0)]
    assert ImportJob.objects.get(pk=job.pk).rows_written == 12
