#!/usr/bin/env python
"""Import benchmark: 100,000 meter-reading rows (.xlsx, 4 columns) into PostgreSQL, three ways.

1. The pipeline (imports.services.import_commit): safe read, header mapping, conversion and full
   validation of every row, then one transaction with COPY — what a manager's upload does.
2. django-import-export, tuned bulk mode (use_bulk, batch_size, skip_diff, force_init_instance,
   a cached foreign-key widget), loading the same file through tablib.
3. The floor: python-calamine parse + COPY of the same rows, no checks at all.

Usage (PostgreSQL required; the bench uses its own database, created if missing):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linyi_bench \
        .venv/bin/python bench/import_bench.py [--rows N] [--skip-import-export] [--skip-wide] \
        [--skip-limit-file]

A wide monthly ledger of 100,000 cells (1,000 meters × 100 month columns, ``2016年1月`` …) is
imported through the real ``readings`` kind too: recognised, unpivoted, validated and written.

Peak memory: each import's peak resident set size (RSS) is measured by resetting the process's
high-water mark (``/proc/self/clear_refs``) before it and reading ``VmHWM`` after it, and printed
with the growth over the RSS before the import. Besides the 100,000-row file, a second file as
large as an upload may be (``IMPORT_MAX_UPLOAD_BYTES``) with as many cells as a sheet may hold
(``IMPORT_MAX_CELLS``) is imported through the real ``readings`` kind, against the stated budget.

The pipeline always runs a bench-only kind over two bench-only tables (bench_meter, bench_reading)
created in the bench database, so that the comparison with django-import-export and the floor is
over the same table; when the ledger's ``readings`` kind is registered, the same file is also
imported through it (its own rules, writer and MonthlyFigure refresh). The output says which ran.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linyi_ecoagency.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/linyi_bench")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "localhost")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "1")

HEADER = ["表号", "抄表日期", "读数(kWh)", "备注"]
METERS = 100
MEMORY_BUDGET_MB = 1024  # MiB: an import's peak RSS, at the upload and cell limits (docs/imports.md)


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class PeakRSS:
    """``with PeakRSS() as peak: …`` → ``peak.mb`` (VmHWM after) and ``peak.before_mb``."""

    def __enter__(self):
        import gc

        gc.collect()
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset the high-water mark to the current RSS (Linux ≥ 4.0)
        self.before_mb = _status_kb("VmRSS") / 1024
        return self

    def __exit__(self, *exc):
        self.mb = _status_kb("VmHWM") / 1024
        return False

    def __str__(self):
        return f"{self.mb:,.0f} MiB (+{self.mb - self.before_mb:,.0f} MiB)"


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def meter_count(rows: int) -> int:
    """100 meters, or more for a long file, so that no reading falls in the future."""
    return max(METERS, -(-rows // 1500))


def generate(path: Path, rows: int, *, note_chars: int = 0) -> None:
    """100 meters × consecutive days, cumulative readings, an occasional note — like a real ledger.

    ``note_chars`` gives every row a note of that many characters that compress poorly, to make a
    file as large as an upload may be."""
    import random

    from openpyxl import Workbook

    noise = random.Random(13)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("抄表记录")
    sheet.append(HEADER)
    meters = meter_count(rows)
    per_meter = -(-rows // meters)
    start = dt.date(2016, 1, 1)
    written = 0
    for meter in range(meters):
        reading = 1000.0 + meter
        for day in range(per_meter):
            if written == rows:
                break
            reading = round(reading + 10 + (day * 7 + meter) % 13 + 0.25, 2)
            note = "月末抄表" if (start + dt.timedelta(days=day + 1)).day == 1 else None
            if note_chars:
                note = "".join(
                    noise.choice("0123456789abcdefghijklmnopqrstuvwxyz") for _ in range(note_chars)
                )
            sheet.append([f"E-{meter:03d}", start + dt.timedelta(days=day), reading, note])
            written += 1
    workbook.save(path)


def setup_django():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def define_bench_models():
    """Two bench-only tables, created in the bench database (not part of any migration)."""
    from django.db import connection, models

    from agencies.models import Agency

    class BenchMeter(models.Model):
        agency = models.ForeignKey(Agency, on_delete=models.CASCADE)
        code = models.CharField(max_length=40)

        class Meta:
            app_label = "imports"
            db_table = "bench_meter"

        def __str__(self):
            return self.code

    class BenchReading(models.Model):
        meter = models.ForeignKey(BenchMeter, on_delete=models.CASCADE)
        date = models.DateField()
        value = models.DecimalField(max_digits=14, decimal_places=2)
        note = models.CharField(max_length=200, blank=True)

        class Meta:
            app_label = "imports"
            db_table = "bench_reading"
            constraints = [models.UniqueConstraint(fields=["meter", "date"], name="bench_reading_unique")]

        def __str__(self):
            return f"{self.meter_id} {self.date}"

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_reading, bench_meter CASCADE")
    with connection.schema_editor() as editor:
        editor.create_model(BenchMeter)
        editor.create_model(BenchReading)
    return BenchMeter, BenchReading


def bench_kind(BenchMeter, BenchReading):
    """A readings kind as a ledger app would register it: lookups in prepare, checks per row, COPY."""
    from dataclasses import dataclass, field

    from django.utils.translation import gettext_lazy as _

    from imports.registry import ROW, Column, ImportKind, RowError, Validated, WriteSummary
    from imports.writers import bulk_insert, bulk_update_rows

    @dataclass
    class State:
        meters: dict
        existing: dict
        seen: set = field(default_factory=set)
        last: dict = field(default_factory=dict)

    def prepare(context):
        meters = dict(BenchMeter.objects.filter(agency=context.agency).values_list("code", "pk"))
        existing = {
            (m, d): (pk, v, n)
            for pk, m, d, v, n in BenchReading.objects.filter(meter__agency=context.agency).values_list(
                "pk", "meter_id", "date", "value", "note"
            )
        }
        return State(meters, existing)

    def validate(state, values, row):
        meter_id = state.meters.get(values["meter"])
        if meter_id is None:
            raise RowError({"meter": f"unknown meter {values['meter']}"})
        day, value, note = values["date"], values["reading"], values["note"] or ""
        if value < 0:
            raise RowError({"reading": "a reading cannot be negative"})
        key = (meter_id, day)
        if key in state.seen:
            raise RowError({ROW: "this meter and date appear twice"})
        state.seen.add(key)
        last = state.last.get(meter_id)
        if last is not None and day > last[0] and value < last[1]:
            raise RowError({"reading": "below the previous reading"})
        state.last[meter_id] = (day, value)
        old = state.existing.get(key)
        months = (day.replace(day=1),)
        if old is None:
            return Validated((meter_id, day, value, note), "new", months)
        if old[1] == value and old[2] == note:
            return Validated(None, "unchanged", months)
        return Validated((old[0], value, note), "updated", months)

    def write(state, records):
        new = [r for r in records if len(r) == 4]
        changed = [r for r in records if len(r) == 3]
        bulk_insert(BenchReading, ["meter", "date", "value", "note"], new)
        bulk_update_rows(BenchReading, ["value", "note"], changed)
        return WriteSummary(created=len(new), updated=len(changed))

    return ImportKind(
        key="bench_readings",
        label=_("Meter readings"),
        columns=(
            Column("meter", _("Meter code"), synonyms=("表号", "计量器具编号")),
            Column("date", _("Reading date"), synonyms=("抄表日期", "日期"), type="date"),
            Column("reading", _("Reading"), synonyms=("读数", "本期读数"), type="decimal"),
            Column("note", _("Note"), synonyms=("备注",), required=False),
        ),
        prepare=prepare,
        validate=validate,
        write=write,
        # what a batch writes or points at, for the pipeline's scope check (tuples, not instances)
        references=lambda records: {
            BenchMeter: {r[0] for r in records if len(r) == 4},
            BenchReading: {r[0] for r in records if len(r) == 3},
        },
    )


def truncate():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_reading")


def count(BenchReading) -> int:
    return BenchReading.objects.count()


def run_floor(path: Path, agency, BenchMeter) -> float:
    import python_calamine
    from django.db import connection, transaction

    started = time.perf_counter()
    rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    meters = dict(BenchMeter.objects.filter(agency=agency).values_list("code", "pk"))
    sql = "COPY bench_reading (meter_id, date, value, note) FROM STDIN"
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(sql) as copy:
        for code, day, value, note in rows[1:]:
            copy.write_row((meters[code], day, value, note or ""))
    return time.perf_counter() - started


def run_pipeline(path: Path, agency):
    from imports.services import import_commit, import_job_create

    with PeakRSS() as peak:
        started = time.perf_counter()
        job = import_job_create(
            agency=agency, kind="bench_readings", upload=path, filename=path.name, language="en"
        )
        job = import_commit(job=job, by=None)
        elapsed = time.perf_counter() - started
    job.peak = peak
    return elapsed, job


def run_import_export(path: Path, agency, BenchMeter, BenchReading, *, cached_fk: bool):
    """django-import-export with every bulk option of its own tuned; ``cached_fk`` adds custom code
    (a ForeignKeyWidget answering from a dict) that its stock widget lacks — one query per row."""
    import tablib
    from import_export import fields, resources, widgets

    meters = {m.code: m for m in BenchMeter.objects.filter(agency=agency)}

    class CachedMeterWidget(widgets.ForeignKeyWidget):
        def clean(self, value, row=None, **kwargs):
            return meters[value]

    fk_widget = (CachedMeterWidget if cached_fk else widgets.ForeignKeyWidget)(BenchMeter, "code")

    class ReadingResource(resources.ModelResource):
        meter = fields.Field(attribute="meter", column_name="表号", widget=fk_widget)
        date = fields.Field(attribute="date", column_name="抄表日期", widget=widgets.DateWidget())
        value = fields.Field(attribute="value", column_name="读数(kWh)", widget=widgets.DecimalWidget())
        note = fields.Field(attribute="note", column_name="备注", widget=widgets.CharWidget())

        class Meta:
            model = BenchReading
            fields = ("meter", "date", "value", "note")
            import_id_fields = ("meter", "date")
            use_bulk = True
            batch_size = 5000
            skip_diff = True
            force_init_instance = True
            skip_unchanged = False
            report_skipped = False
            use_transactions = True
            clean_model_instances = False

    started = time.perf_counter()
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    loaded = time.perf_counter() - started
    result = ReadingResource().import_data(dataset, dry_run=False, raise_errors=False)
    elapsed = time.perf_counter() - started
    return elapsed, loaded, result


def run_ledger_readings(path: Path, rows: int):
    """The same file through the ledger's real ``readings`` kind (its rules, COPY writer, history)."""
    from agencies.models import Agency
    from imports.services import import_commit, import_job_create
    from ledger.models import Meter, Reading

    agency, _created = Agency.objects.get_or_create(
        code="BENCH-LEDGER", defaults={"name": "基准测试局（台账）"}
    )
    Reading.objects.filter(meter__agency=agency)._raw_delete(Reading.objects.db)
    existing = set(Meter.objects.filter(agency=agency).values_list("code", flat=True))
    Meter.objects.bulk_create(
        [
            Meter(agency=agency, code=f"E-{n:03d}", name=f"电表 {n}", kind="electricity")
            for n in range(meter_count(rows))
            if f"E-{n:03d}" not in existing
        ]
    )
    from reporting import tasks

    refresh_seconds = []
    refresh = tasks.figures_refresh_stale

    def timed_refresh(**kwargs):  # the refresh of what the import marked stale, after its commit (eager here)
        started = time.perf_counter()
        result = refresh(**kwargs)
        refresh_seconds.append(time.perf_counter() - started)
        return result

    tasks.figures_refresh_stale = timed_refresh
    try:
        with PeakRSS() as peak:
            started = time.perf_counter()
            job = import_job_create(
                agency=agency, kind="readings", upload=path, filename=path.name, language="en"
            )
            job = import_commit(job=job, by=None)
            elapsed = time.perf_counter() - started
    finally:
        tasks.figures_refresh_stale = refresh
    job.peak = peak
    written = Reading.objects.filter(meter__agency=agency).count()
    return elapsed, sum(refresh_seconds), job, written


WIDE_METERS, WIDE_MONTHS = 1000, 100  # 100,000 month cells: 2016年1月 … 2024年4月


def run_wide_sheet(tmp: Path) -> None:
    """A wide monthly ledger of 100,000 cells (1,000 meters × 100 month columns) through the real
    ``readings`` kind: recognised, unpivoted into 100,000 readings, validated and written."""
    from openpyxl import Workbook

    from agencies.models import Agency
    from imports.services import import_commit, import_job_create
    from ledger.models import Meter, Reading

    agency, _created = Agency.objects.get_or_create(
        code="BENCH-WIDE", defaults={"name": "基准测试局（宽表）"}
    )
    Reading.objects.filter(meter__agency=agency)._raw_delete(Reading.objects.db)
    existing = set(Meter.objects.filter(agency=agency).values_list("code", flat=True))
    Meter.objects.bulk_create(
        [
            Meter(agency=agency, code=f"W-{n:04d}", name=f"电表 {n}", kind="electricity")
            for n in range(WIDE_METERS)
            if f"W-{n:04d}" not in existing
        ]
    )
    months = [(2016 + m // 12, m % 12 + 1) for m in range(WIDE_MONTHS)]
    path = tmp / "wide.xlsx"
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("月度读数")
    sheet.append(["临沂市基准测试局 2016—2024年 月底抄表台账"])
    sheet.append(["序号", "计量表编号", *[f"{y}年{m}月" for y, m in months]])
    for n in range(WIDE_METERS):
        base = 1000.0 + n
        sheet.append(
            [
                n + 1,
                f"W-{n:04d}",
                *[round(base + 30.5 * (k + 1) + (k * n) % 7, 1) for k in range(WIDE_MONTHS)],
            ]
        )
    workbook.save(path)
    print()
    print(
        f"Wide sheet: {WIDE_METERS:,} meters × {WIDE_MONTHS} month columns = {WIDE_METERS * WIDE_MONTHS:,} "
        f"cells, {path.stat().st_size / 1e6:.1f} MB, generated in {time.perf_counter() - started:.1f} s"
    )
    with PeakRSS() as peak:
        started = time.perf_counter()
        job = import_job_create(
            agency=agency, kind="readings", upload=path, filename=path.name, language="en"
        )
        job = import_commit(job=job, by=None)
        seconds = time.perf_counter() - started
    written = Reading.objects.filter(meter__agency=agency).count()
    if job.status != "done" or written != WIDE_METERS * WIDE_MONTHS:
        print(f"The wide sheet did not import: {job.status} {job.message} {job.errors[:3]}", file=sys.stderr)
        raise SystemExit(1)
    print(
        f"'readings' import of the wide sheet (unpivoted into {written:,} readings): {seconds:.2f} s, "
        f"{written / seconds:,.0f} cells/s, peak RSS {peak}"
    )


def run_limit_file(tmp: Path, real: bool) -> int:
    """A file at the upload limit with as many cells as a sheet may hold: its import's peak RSS."""
    from imports.reader import limit

    max_bytes, max_cells = limit("IMPORT_MAX_UPLOAD_BYTES"), limit("IMPORT_MAX_CELLS")
    rows = max_cells // len(HEADER) - 1  # the header row counts too
    path = tmp / "limit.xlsx"
    started = time.perf_counter()
    # a row takes ~16 bytes of the .xlsx, and ~1.15 more per character of a noisy note
    note_chars = max(0, int((max_bytes * 0.97 / rows - 16.2) / 1.15))
    generate(path, rows, note_chars=note_chars)
    size = path.stat().st_size
    print()
    print(
        f"Upload-limit file: {rows:,} rows × {len(HEADER)} columns = {(rows + 1) * len(HEADER):,} cells "
        f"(limit {max_cells:,}), {size / 1e6:.1f} MB (limit {max_bytes / 1e6:.1f} MB, "
        f"{size / max_bytes:.0%}), generated in {time.perf_counter() - started:.0f} s"
    )
    if size > max_bytes:
        print("The generated file is above the upload limit; lower note_chars.", file=sys.stderr)
        return 1
    kind = "readings" if real else "bench_readings"
    if real:
        seconds, _refresh, job, written = run_ledger_readings(path, rows)
    else:
        seconds, job = run_pipeline(
            path, __import__("agencies.models").models.Agency.objects.get(code="BENCH")
        )
        written = job.rows_written
    if job.status != "done" or written != rows:
        print(
            f"The upload-limit file did not import: {job.status} {job.message} {job.errors[:3]}",
            file=sys.stderr,
        )
        return 1
    within = "within" if job.peak.mb <= MEMORY_BUDGET_MB else "ABOVE"
    print(
        f"'{kind}' import of the upload-limit file: {seconds:.1f} s, peak RSS {job.peak} — {within} "
        f"the budget of {MEMORY_BUDGET_MB:,} MiB"
    )
    return 0 if within == "within" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-import-export", action="store_true", help="skip the slow comparison")
    parser.add_argument("--skip-limit-file", action="store_true", help="skip the upload-limit file")
    parser.add_argument("--skip-wide", action="store_true", help="skip the 100,000-cell wide sheet")
    args = parser.parse_args()

    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        print("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).", file=sys.stderr)
        return 2
    ensure_database(url)
    setup_django()
    from django.conf import settings

    from agencies.models import Agency
    from imports.registry import import_kinds, register_import_kind

    BenchMeter, BenchReading = define_bench_models()
    real = "readings" in import_kinds()
    register_import_kind(bench_kind(BenchMeter, BenchReading))
    agency, _created = Agency.objects.get_or_create(code="BENCH", defaults={"name": "基准测试局"})
    BenchMeter.objects.bulk_create(
        [BenchMeter(agency=agency, code=f"E-{n:03d}") for n in range(meter_count(10**6))]
    )

    with tempfile.TemporaryDirectory() as tmp:
        settings.IMPORT_STORAGE_DIR = Path(tmp) / "stored"
        path = Path(tmp) / "readings.xlsx"
        started = time.perf_counter()
        generate(path, args.rows)
        print(
            f"Generated {path.name}: {args.rows:,} rows × 4 columns, {path.stat().st_size / 1e6:.1f} MB "
            f"in {time.perf_counter() - started:.1f} s"
        )
        print(
            "Kinds: bench-only 'bench_readings' over bench-only tables bench_meter/bench_reading"
            + (
                "; and the ledger's real 'readings' kind into ledger_reading"
                if real
                else " (the ledger's 'readings' kind is not registered: it has not landed on main yet)"
            )
        )
        print(
            f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[1]} "
            f"{settings.DATABASES['default']['NAME']}; load average {_load()} (1, 5, 15 min)"
        )

        truncate()
        with PeakRSS() as floor_peak:
            floor = run_floor(path, agency, BenchMeter)
        assert count(BenchReading) == args.rows

        truncate()
        pipeline, job = run_pipeline(path, agency)
        if job.status != "done" or count(BenchReading) != args.rows:
            print(f"Pipeline import failed: {job.status} {job.message} {job.errors[:5]}", file=sys.stderr)
            return 1
        again, job_again = run_pipeline(path, agency)
        assert count(BenchReading) == args.rows

        results = [
            ("floor: calamine parse + COPY (no checks)", floor),
            ("pipeline: safe read + full validation + COPY", pipeline),
        ]
        ledger_seconds = refresh_seconds = None
        if real:
            ledger_seconds, refresh_seconds, ledger_job, written = run_ledger_readings(path, args.rows)
            if ledger_job.status != "done" or written != args.rows:
                print(
                    f"The ledger's readings kind did not import every row: {ledger_job.status} "
                    f"{ledger_job.message} {ledger_job.errors[:5]} ({written} written)",
                    file=sys.stderr,
                )
                return 1
            results.append(("pipeline with the ledger's real 'readings' kind", ledger_seconds))
            results.append(
                (f"  … of which its MonthlyFigure refresh ({len(ledger_job.months)} months)", refresh_seconds)
            )
        elapsed = {}
        if not args.skip_import_export:
            for cached_fk, name in (
                (False, "django-import-export tuned bulk"),
                (True, "  … plus a custom cached FK widget"),
            ):
                truncate()
                seconds, loaded, result = run_import_export(
                    path, agency, BenchMeter, BenchReading, cached_fk=cached_fk
                )
                if result.has_errors() or count(BenchReading) != args.rows:
                    print(
                        f"django-import-export did not import every row ({count(BenchReading)})",
                        file=sys.stderr,
                    )
                    return 1
                elapsed[cached_fk] = seconds
                results.append((f"{name} (tablib load {loaded:.1f} s)", seconds))

        peaks = {results[0][0]: floor_peak, results[1][0]: job.peak}
        if real:
            peaks[results[2][0]] = ledger_job.peak
        print()
        print(f"{'method':<58} {'seconds':>8} {'rows/s':>10}  peak RSS (growth)")
        for name, seconds in results:
            rate = "" if name.startswith("  … of which") else f"{args.rows / seconds:,.0f}"
            print(f"{name:<58} {seconds:>8.2f} {rate:>10}  {peaks.get(name, '')}")
        print(
            f"{'pipeline re-import of the same file (' + job_again.message + ')':<58} "
            f"{again:>8.2f} {args.rows / again:>10,.0f}"
        )
        print()
        print(f"pipeline / floor time: {pipeline / floor:.2f}× slower than the floor (aim: within 4×)")
        if ledger_seconds:
            print(f"ledger 'readings' kind / floor time: {ledger_seconds / floor:.2f}× (aim: within 4×)")
            print(
                "ledger 'readings' kind without its MonthlyFigure refresh / floor time: "
                f"{(ledger_seconds - refresh_seconds) / floor:.2f}×"
            )
        if elapsed:
            print(
                "pipeline speed-up over tuned django-import-export bulk: "
                f"{elapsed[False] / pipeline:.1f}× (aim: ≥ 20×)"
            )
            print(
                f"pipeline speed-up over it with the custom cached FK widget: {elapsed[True] / pipeline:.1f}×"
            )
            if ledger_seconds:
                print(
                    "ledger 'readings' kind speed-up over tuned django-import-export bulk: "
                    f"{elapsed[False] / ledger_seconds:.1f}× (aim: ≥ 20×)"
                )
        if real and not args.skip_wide:
            run_wide_sheet(Path(tmp))
        status = 0 if args.skip_limit_file else run_limit_file(Path(tmp), real)
    with __import__("django.db").db.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_reading, bench_meter CASCADE")
    print(f"Load average at the end: {_load()}")
    return status


def _load() -> str:
    return " / ".join(f"{figure:.2f}" for figure in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
