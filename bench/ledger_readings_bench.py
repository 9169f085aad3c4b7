#!/usr/bin/env python
"""Ledger readings benchmark: the ``readings`` import kind's prepare, validate and write on PostgreSQL.

Measures the ledger's own share of an import (the pipeline's file reading is measured by
bench/import_bench.py): 100 meters, 100,000 month-end readings (1,000 per meter, in file order),
validated row by row with ``rules.reading_check`` and written with COPY; next to it the naive
path — ``services.reading_record`` per row (the form's path: queries, a save and a figure
refresh per row) — on a sample of rows, with the ratio.

Usage (PostgreSQL required; uses its own database, created and migrated if missing):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linyi_ledger_bench \
        .venv/bin/python bench/ledger_readings_bench.py [--rows 100000] [--naive 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linyi_ecoagency.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/linyi_ledger_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ["CELERY_BROKER_URL"] = ""
METERS = 100


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def month_ends(count: int) -> list[dt.date]:
    days, year, month = [], 1940, 1
    for _ in range(count):
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        days.append(nxt - dt.timedelta(days=1))
        year, month = nxt.year, nxt.month
    return days


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=300)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from agencies.models import Agency
    from agencies.scoping import Scope
    from imports.registry import ImportContext
    from ledger.importers import READINGS_KIND
    from ledger.models import Meter, Reading
    from ledger.services import reading_record

    call_command("migrate", verbosity=0)
    agency, _ = Agency.objects.get_or_create(code="BENCH", defaults={"name": "基准测试局"})
    Reading.history.filter(meter__agency=agency).delete()
    Reading.objects.filter(meter__agency=agency).delete()
    for i in range(METERS):
        Meter.objects.get_or_create(
            agency=agency,
            code=f"B{i:03d}",
            defaults={"name": f"表{i}", "kind": "electricity", "dial_digits": 9},
        )
    per_meter = args.rows // METERS
    days = month_ends(per_meter)
    rows = [
        {"meter": f"B{m:03d}", "date": day, "value": Decimal(1000 + 97 * k + m), "note": ""}
        for m in range(METERS)
        for k, day in enumerate(days)
    ]
    context = ImportContext(agency=agency, user=None, dry_run=False)

    started = time.perf_counter()
    state = READINGS_KIND.prepare(context)
    prepared = time.perf_counter()
    records = [READINGS_KIND.validate(state, values, n) for n, values in enumerate(rows, start=2)]
    validated = time.perf_counter()
    with transaction.atomic():
        summary = READINGS_KIND.write(state, [v.record for v in records])
    written = time.perf_counter()
    assert summary.created == len(rows) == Reading.objects.filter(meter__agency=agency).count()

    # Naive: the form's service per row, on fresh dates after the bulk rows, for a sample.
    naive_rows = args.naive
    meters = list(Meter.objects.filter(agency=agency).order_by("code")[:10])
    more_days = month_ends(per_meter + naive_rows // len(meters) + 1)[per_meter:]
    system = Scope.system(agency)
    naive_start = time.perf_counter()
    done = 0
    for k, day in enumerate(more_days):
        for m, meter in enumerate(meters):
            if done >= naive_rows:
                break
            reading_record(
                scope=system, meter=meter, date=day, value=Decimal(1000 + 97 * (per_meter + k) + m)
            )
            done += 1
    naive = time.perf_counter() - naive_start

    n = len(rows)
    naive = max(naive, 1e-9)
    validate_s, write_s = validated - prepared, written - validated
    total = written - started
    print(f"database: {connection.vendor}, meters: {METERS}, readings: {n:,}")
    print(f"prepare (meters and existing readings): {prepared - started:.3f} s")
    print(f"validate every row (reading_check):     {validate_s:.3f} s  ({n / validate_s:,.0f} rows/s)")
    print(f"write (COPY):                           {write_s:.3f} s  ({n / write_s:,.0f} rows/s)")
    print(f"kind total:                             {total:.3f} s  ({n / total:,.0f} rows/s)")
    if done:
        print(f"naive reading_record per row ({done:,} rows): {naive:.3f} s  ({done / naive:,.0f} rows/s)")
        print(f"ratio kind / naive: {(n / total) / (done / naive):.1f}x")


if __name__ == "__main__":
    main()
