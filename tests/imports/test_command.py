"""``manage.py import_ledger``: counts, every row error, exit status 1 and nothing written on error."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from agencies.models import AgencyYear
from imports.models import ImportJob

from .conftest import years_rows
from .files import csv_file

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def storage(settings, tmp_path):
    settings.IMPORT_STORAGE_DIR = tmp_path / "stored"


def _call(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_ledger", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_counts_in_chinese(agency, tmp_path):
    path = csv_file(tmp_path / "y.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    out, _err = _call(str(path), "--agency", agency.code, "--kind", "agency_years")
    assert "读取 1 行；新增 1，更新 0，未变 0，有错误的行 0。" in out
    assert AgencyYear.objects.get(agency=agency, year=2021).headcount == 44
    out, _err = _call(str(path), "--agency", agency.code, "--kind", "agency_years")
    assert "新增 0 条，更新 0 条，未变 1 条。" in out


def test_the_command_prints_every_row_error_and_fails_writing_nothing(agency, tmp_path):
    path = csv_file(
        tmp_path / "y.csv",
        years_rows(
            ["2021", "44", "1942.42", "1024"], ["2022", "x", "1942.42", "1024"], ["2023", "4", "1", "9"]
        ),
    )
    with pytest.raises(CommandError, match="未写入任何数据"):
        _call(str(path), "--agency", agency.code, "--kind", "agency_years", "--lang", "zh-hans")
    assert not AgencyYear.objects.filter(agency=agency, year=2021).exists()
    assert ImportJob.objects.get().error_count == 2


def test_the_command_speaks_english_with_lang_en(agency, tmp_path, capsys):
    path = csv_file(tmp_path / "y.csv", years_rows(["2022", "x", "1942.42", "1024"]))
    from io import StringIO

    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command(
            "import_ledger",
            str(path),
            "--agency",
            agency.code,
            "--kind",
            "agency_years",
            "--lang",
            "en",
            stderr=err,
        )
    assert "row 3, column “用能人数”: “x” is not a whole number." not in err.getvalue()
    assert "row 2, column “用能人数”: “x” is not a whole number." in err.getvalue()


def test_a_dry_run_writes_nothing(agency, tmp_path):
    path = csv_file(tmp_path / "y.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    out, _err = _call(str(path), "--agency", agency.code, "--kind", "agency_years", "--dry-run")
    assert "试运行" in out
    assert not AgencyYear.objects.filter(agency=agency, year=2021).exists()


def test_unknown_agency_kind_or_file_are_refused(agency, tmp_path):
    path = csv_file(tmp_path / "y.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    with pytest.raises(CommandError, match="NOPE"):
        _call(str(path), "--agency", "NOPE", "--kind", "agency_years")
    with pytest.raises(CommandError, match="agency_years"):
        _call(str(path), "--agency", agency.code, "--kind", "nothing")
    with pytest.raises(CommandError):
        _call(str(tmp_path / "missing.csv"), "--agency", agency.code, "--kind", "agency_years")


@pytest.mark.postgres
def test_the_exit_status_is_1_on_any_error_and_0_on_success(transactional_db, agency, tmp_path):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the subprocess must share the test database: PostgreSQL only")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _url(settings.DATABASES["default"]),
        "IMPORT_STORAGE_DIR": str(tmp_path / "stored"),
        "LANGUAGE": "en",
    }
    good = csv_file(tmp_path / "good.csv", years_rows(["2021", "44", "1942.42", "1024"]))
    bad = csv_file(
        tmp_path / "bad.csv", years_rows(["2022", "44", "1942.42", "1024"], ["2023", "x", "1", "1"])
    )
    command = [
        sys.executable,
        "manage.py",
        "import_ledger",
        "--agency",
        agency.code,
        "--kind",
        "agency_years",
    ]
    failed = subprocess.run([*command, str(bad)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stderr
    assert "row 3, column “用能人数”: “x” is not a whole number." in failed.stderr
    assert not AgencyYear.objects.filter(agency=agency, year=2022).exists()
    passed = subprocess.run([*command, str(good)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stderr
    assert "1 new, 0 updated, 0 unchanged." in passed.stdout
    assert AgencyYear.objects.filter(agency=agency, year=2021).exists()


def _url(db):
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
