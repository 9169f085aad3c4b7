"""Point 6 of issue 18: a backup (pg_dump and the uploaded files) restores into a fresh database
with every row and every file; ``verify`` says so, and says what is missing when something is."""

import hashlib
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ledger.models import Reading
from tests.ledger.factories import MeterFactory

from .conftest import ROOT, database_url


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def _tables_digest(url: str) -> dict[str, str]:
    with psycopg.connect(url.replace("postgres://", "postgresql://")) as connection:
        tables = [
            t for (t,) in connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        ]
        digests = {}
        for table in sorted(tables):
            rows = sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
            digests[table] = f"{len(rows)} rows " + hashlib.sha256("\n".join(rows).encode()).hexdigest()
        return digests


def _script(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "backup.py"), *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", **env},
        timeout=300,
    )


@pytest.fixture
def fresh_database(postgres_only, transactional_db):
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_restored"
    admin = database_url("postgres").replace("postgres://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}"')
        server.execute(f'CREATE DATABASE "{name}"')
    yield database_url(name)
    with psycopg.connect(admin, autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_every_row_and_file(
    fresh_database, agency, department, clerk, tmp_path
):
    meter = MeterFactory(agency=agency, department=department, code="E-BACKUP")
    for month in range(1, 13):
        Reading.objects.create(
            meter=meter,
            date=date(2020, month, 28),
            value=Decimal(100 * month),
            voucher=SimpleUploadedFile(f"表盘{month}.png", _png()),
            created_by=clerk,
        )
    media = Path(settings.MEDIA_ROOT)
    vouchers = [r.voucher.name for r in Reading.objects.all()]
    assert all((media / name).exists() for name in vouchers)

    made = _script(
        "backup", "--out", str(tmp_path / "backup"), DATABASE_URL=database_url(), MEDIA_ROOT=str(media)
    )
    assert made.returncode == 0, made.stderr
    restored_media = tmp_path / "restored-media"
    restored = _script(
        "restore", "--from", str(tmp_path / "backup"), "--database-url", fresh_database,
        "--media-root", str(restored_media),
    )  # fmt: skip

    assert restored.returncode == 0, restored.stderr
    assert "every table's rows and every file are there" in restored.stdout
    assert _tables_digest(fresh_database) == _tables_digest(database_url())  # every row, as it was
    for name in vouchers:
        assert (restored_media / name).read_bytes() == (media / name).read_bytes()


def test_verify_names_a_missing_row_and_a_missing_file(fresh_database, agency, tmp_path):
    meter = MeterFactory(agency=agency, code="E-VERIFY")
    reading = Reading.objects.create(
        meter=meter, date=date(2020, 1, 31), value=Decimal(1), voucher=SimpleUploadedFile("a.png", _png())
    )
    backup = tmp_path / "backup"
    made = _script(
        "backup", "--out", str(backup), DATABASE_URL=database_url(), MEDIA_ROOT=settings.MEDIA_ROOT
    )
    assert made.returncode == 0, made.stderr
    restored_media = tmp_path / "restored-media"
    args = ["--from", str(backup), "--database-url", fresh_database, "--media-root", str(restored_media)]
    assert _script("restore", *args).returncode == 0

    with psycopg.connect(fresh_database.replace("postgres://", "postgresql://"), autocommit=True) as restored:
        restored.execute("DELETE FROM ledger_historicalreading")
    (restored_media / reading.voucher.name).unlink()
    checked = _script("verify", *args)

    assert checked.returncode == 1
    assert "table ledger_historicalreading" in checked.stderr
    assert f"file {reading.voucher.name}: missing" in checked.stderr
