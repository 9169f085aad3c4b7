"""Fixtures of the import tests: test-only kinds over AgencyYear and a helper to run an import."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from imports.kinds import AGENCY_YEARS
from imports.registry import register_import_kind, unregister_import_kind
from imports.services import import_commit, import_job_create, import_validate

YEARS_HEADER = ["年度", "用能人数", "建筑面积(㎡)", "办公面积(㎡)"]


def _validate_touching_january(state, values, row):
    validated = AGENCY_YEARS.validate(state, values, row)
    return replace(validated, months=(dt.date(values["year"], 1, 1),))


MONTHLY_YEARS = replace(AGENCY_YEARS, key="test_years_monthly", validate=_validate_touching_january)


class WriterExploded(RuntimeError):
    pass


def _write_then_explode(state, records):
    AGENCY_YEARS.write(state, records)  # rows really reach the database first …
    raise WriterExploded("the worker died half-way")  # … then the writer fails


EXPLODING_YEARS = replace(MONTHLY_YEARS, key="test_years_exploding", write=_write_then_explode)


def _validate_with_a_bug(state, values, row):
    return {}["missing"]  # a validator's own bug, not a user error


BUGGY_YEARS = replace(AGENCY_YEARS, key="test_years_buggy", validate=_validate_with_a_bug)
TEST_KINDS = (MONTHLY_YEARS, EXPLODING_YEARS, BUGGY_YEARS)


@pytest.fixture(autouse=True)
def test_kinds():
    for kind in TEST_KINDS:
        register_import_kind(kind)
    yield
    for kind in TEST_KINDS:
        unregister_import_kind(kind.key)


@pytest.fixture
def run_import(settings, tmp_path):
    """``run_import(agency, path, kind=..., commit=True)`` → the finished ImportJob."""
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"

    def _run(agency, path, *, kind="agency_years", commit=True, dry_run=False, by=None, language="en"):
        job = import_job_create(
            agency=agency,
            kind=kind,
            upload=path,
            filename=path.name,
            by=by,
            dry_run=dry_run,
            language=language,
        )
        if commit and not dry_run:
            return import_commit(job=job, by=by)
        return import_validate(job=job)

    return _run


def years_rows(*rows):
    return [YEARS_HEADER, *rows]


def decimal(value):
    return Decimal(str(value))
