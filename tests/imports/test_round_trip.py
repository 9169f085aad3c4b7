"""Every kind's export imports back unchanged, and the agency's one-workbook backup does (#13.7).

Generic over the registry: a kind registered with ``export`` is round-tripped here with the demo
data of every app (each app's demo seeder fills its own ledgers), without a line of its own.
"""

from types import SimpleNamespace

import pytest

from imports.exports import agency_workbook, kind_workbook
from imports.registry import ImportContext, import_kinds
from imports.services import import_backup, import_commit, import_job_create
from tests.demo_snapshot import seed_demo

EXPORTED = sorted(key for key, kind in import_kinds().items() if kind.export is not None)


@pytest.fixture
def demo(db, settings, tmp_path):
    """The demo agencies with the first year of every app's ledgers (the shortest demo period)."""
    from agencies.models import Agency

    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"
    seed_demo("--force", "--today", "2020-03-15")
    return SimpleNamespace(agencies={agency.code: agency for agency in Agency.objects.all()})


def _busiest(demo, kind):
    """The demo agency with the most rows of ``kind``, and those rows' count."""
    best = None
    for agency in demo.agencies.values():
        rows = list(kind.export(ImportContext(agency=agency, user=None, dry_run=False)))
        if best is None or len(rows) > best[1]:
            best = (agency, len(rows))
    return best


def test_the_registry_has_exports_to_round_trip():
    assert {"meters", "readings", "bills"} <= set(EXPORTED)


@pytest.mark.parametrize("key", EXPORTED)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_kinds_export_imports_back_unchanged(demo, tmp_path, key, language):
    kind = import_kinds()[key]
    agency, count = _busiest(demo, kind)
    assert count, f"the demo seeds no {key}: give the app's demo seeder some rows"
    path = tmp_path / f"{key}.xlsx"
    path.write_bytes(
        kind_workbook(kind, ImportContext(agency=agency, user=None, dry_run=False), language=language)
    )
    job = import_commit(
        job=import_job_create(agency=agency, kind=key, upload=path, filename=path.name, language="en"),
        by=None,
    )
    assert job.status == "done", (job.message, job.errors[:5])
    assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, count)


def test_the_agencys_backup_holds_every_ledger_and_imports_back_unchanged(demo, tmp_path):
    agency = max(demo.agencies.values(), key=lambda a: _busiest_rows(a))
    content, counts = agency_workbook(ImportContext(agency=agency, user=None, dry_run=False))
    assert set(counts) == set(EXPORTED) and sum(counts.values()) > 0
    path = tmp_path / "backup.xlsx"
    path.write_bytes(content)
    jobs = import_backup(agency=agency, path=path, language="en")
    assert [job.kind for job in jobs] == [key for key in _ordered() if counts[key]]
    for job in jobs:
        assert job.status == "done", (job.kind, job.message, job.errors[:5])
        assert (job.new_count, job.updated_count, job.unchanged_count) == (0, 0, counts[job.kind])


def _busiest_rows(agency) -> int:
    return sum(
        sum(1 for _row in import_kinds()[key].export(ImportContext(agency=agency, user=None, dry_run=False)))
        for key in EXPORTED
    )


def _ordered():
    from imports.registry import import_kinds_ordered

    return [kind.key for kind in import_kinds_ordered() if kind.export is not None]
