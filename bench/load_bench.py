#!/usr/bin/env python
"""Load: gunicorn on PostgreSQL, the demo city enlarged to 100 agencies, 50 users at once.

Seeds the demo (if the database has none), clones the demo bureau into more agencies until the
city has ``--agencies`` (its departments, meters, readings, monthly figures, targets and yearly
facts, and an energy manager each), starts gunicorn (and a Celery worker when CELERY_BROKER_URL
is set, as in production), then drives ``--users`` signed-in users for ``--seconds``: each is the
energy manager of their own agency and mixes the meter round (a POST saving readings), lists, an
Excel export and the dashboards; one user in ten is a city verifier reading the city overview.
It prints requests per second, median and p95 latency per page, the error count, and whether
the readings the users saved are all in the database (readings saved = readings sent).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linyi_load \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/7 \
        .venv/bin/python bench/load_bench.py [--agencies 100] [--users 50] [--seconds 120] \
            [--port 8106] [--workers 4]

Aims (issue 18): no errors, p95 ≤ 300 ms for pages and ≤ 500 ms for round saves, readings saved
= sent. Figures are printed, never asserted; on a loaded machine say the load (`uptime`).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "linyi_ecoagency.settings",
    "DEBUG": "0",
    "SECRET_KEY": "load-bench-only-0123456789-abcdefghijklmnopqrstuvwxyz-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    "DEMO_ALLOWED": "1",
    "AXES_FAILURE_LIMIT": "1000",
}
os.environ.update(
    {k: v for k, v in SERVER_ENV.items() if k not in os.environ or k == "DJANGO_SETTINGS_MODULE"}
)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, AgencyYear, Department, Membership, Role  # noqa: E402
from ledger.models import Meter, Reading  # noqa: E402
from reporting.models import Target  # noqa: E402

PREFIX = "LOAD"
SOURCE = "LYYB"  # the demo bureau, cloned
PASSWORD = "load-bench-2026"
GROUP = 5  # meters per round save


# --- the city ---------------------------------------------------------------------------------


def _fields(model, *skip: str) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name not in ("id", *skip)]


def _tree_order(rows):
    """Rows with a ``parent_id`` in an order where each parent comes before its children."""
    placed, ordered, pending = set(), [], list(rows)
    while pending:
        ready = [r for r in pending if r.parent_id is None or r.parent_id in placed]
        ordered += ready
        placed |= {r.pk for r in ready}
        pending = [r for r in pending if r.pk not in placed]
    return ordered


def _clone(source: Agency, index: int, password_hash: str) -> None:
    agency = Agency.objects.create(code=f"{PREFIX}{index:03d}", name=f"负载测试机关{index:03d}")
    AgencyYear.objects.bulk_create(
        AgencyYear(agency=agency, **{f: getattr(y, f) for f in _fields(AgencyYear, "agency")})
        for y in AgencyYear.objects.filter(agency=source)
    )
    departments: dict[int, int] = {}
    for d in _tree_order(Department.objects.filter(agency=source)):
        values = {f: getattr(d, f) for f in _fields(Department, "agency", "parent")}
        departments[d.pk] = Department.objects.create(
            agency=agency, parent_id=departments.get(d.parent_id), **values
        ).pk
    meters: dict[int, int] = {}
    for m in _tree_order(Meter.objects.filter(agency=source)):
        values = {f: getattr(m, f) for f in _fields(Meter, "agency", "department", "parent")}
        meters[m.pk] = Meter.objects.create(
            agency=agency,
            department_id=departments.get(m.department_id),
            parent_id=meters.get(m.parent_id),
            **values,
        ).pk
    Target.objects.bulk_create(
        Target(agency=agency, **{f: getattr(t, f) for f in _fields(Target, "agency")})
        for t in Target.objects.filter(agency=source)
    )
    columns = _fields(Reading, "meter")
    with connection.cursor() as cursor:
        for old, new in meters.items():
            listed = ", ".join(columns)
            cursor.execute(
                f"INSERT INTO ledger_reading (meter_id, {listed}) SELECT %s, {listed} FROM ledger_reading "
                "WHERE meter_id = %s",
                [new, old],
            )
        cursor.execute(
            "INSERT INTO reporting_monthlyfigure (agency_id, department_id, indicator, month, value, "
            "computed_at) SELECT %s, NULL, indicator, month, value, computed_at FROM reporting_monthlyfigure "
            "WHERE agency_id = %s AND department_id IS NULL",
            [agency.pk, source.pk],
        )
        for old, new in departments.items():
            cursor.execute(
                "INSERT INTO reporting_monthlyfigure (agency_id, department_id, indicator, month, value, "
                "computed_at) SELECT %s, %s, indicator, month, value, computed_at "
                "FROM reporting_monthlyfigure WHERE agency_id = %s AND department_id = %s",
                [agency.pk, new, source.pk, old],
            )
    user = get_user_model().objects.create(username=f"load{index:03d}", password=password_hash)
    Membership.objects.create(user=user, agency=agency, role=Role.MANAGER)


def build(agencies: int) -> list[Agency]:
    call_command("migrate", verbosity=0)  # a database left by an earlier run may predate migrations
    if not Agency.objects.filter(code=SOURCE).exists():
        print("seeding the demo city …", flush=True)
        call_command("seed_demo", verbosity=0)
    source = Agency.objects.get(code=SOURCE)
    demo = Agency.objects.filter(is_active=True).exclude(code__startswith=PREFIX).count()
    wanted = max(0, agencies - demo)
    have = Agency.objects.filter(code__startswith=PREFIX).count()
    password_hash = make_password(PASSWORD)
    started = time.perf_counter()
    for index in range(have, wanted):
        with transaction.atomic():
            _clone(source, index, password_hash)
    if wanted > have:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"cloned {wanted - have} agencies in {time.perf_counter() - started:.0f} s", flush=True)
    city_user = get_user_model().objects.filter(username="loadcity").first()
    if city_user is None:
        city_user = get_user_model().objects.create(username="loadcity", password=password_hash)
        Membership.objects.create(user=city_user, agency=Agency.objects.get(code="LYJGSW"), role=Role.CITY)
    total = Agency.objects.filter(is_active=True).count()
    meters = Meter.objects.filter(agency__code__startswith=PREFIX).count()
    readings = Reading.objects.filter(meter__agency__code__startswith=PREFIX).count()
    print(f"city: {total} agencies ({wanted} clones of {SOURCE}: {meters} meters, {readings} readings)")
    return list(Agency.objects.filter(code__startswith=PREFIX).order_by("code")[:wanted])


# --- the users --------------------------------------------------------------------------------


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, str] = field(default_factory=dict)
    sent: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, page: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.latencies[page].append(seconds)
            if not ok:
                self.errors[page] += 1
                self.samples.setdefault(page, detail[:300])


class MeterPlan:
    """Which meters a round save covers and the next date and value of each (from the database)."""

    def __init__(self, agency: Agency):
        today = timezone.localdate()
        self.today = today
        self.meters = []
        for meter in Meter.objects.filter(agency=agency, retired_on__isnull=True).order_by("code"):
            last = Reading.objects.filter(meter=meter).order_by("-date").first()
            self.meters.append(
                [meter.pk, last.date if last else today.replace(day=1), last.value if last else 0]
            )
        self.groups = [self.meters[i : i + GROUP] for i in range(0, len(self.meters), GROUP)]
        self.turn = 0

    def next_save(self) -> tuple[date, list] | None:
        for _ in range(len(self.groups)):
            group = self.groups[self.turn % len(self.groups)]
            self.turn += 1
            day = max(m[1] for m in group) + timedelta(days=1)
            if day <= self.today:
                return day, group
        return None


def _csrf(session) -> str:
    return session.cookies.get("csrftoken", "")


def _login(base: str, username: str, stats: Stats) -> requests.Session | None:
    session = requests.Session()
    started = time.perf_counter()
    try:
        session.get(f"{base}/accounts/login/", timeout=300)
        response = session.post(
            f"{base}/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(session)},
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=300,
            allow_redirects=False,
        )
        ok, detail = response.status_code == 302, f"{response.status_code} {username}"
    except requests.RequestException as error:
        ok, detail = False, repr(error)
    stats.record("sign in", time.perf_counter() - started, ok, detail)
    return session if ok else None


MANAGER_PAGES = [
    ("round page", "/ledger/round/", 10),
    ("meter list", "/ledger/meters/", 12),
    ("bill list", "/ledger/bills/", 6),
    ("home", "/", 8),
    ("dashboard", "/reporting/dashboard/", 12),
    ("disclosures", "/reporting/disclosures/", 6),
    ("analysis report", "/reporting/reports/?report=electricity", 6),
    ("export ledger.xlsx", "/reporting/ledger.xlsx", 5),
]
ROUND_WEIGHT = 35
CITY_PAGES = [
    ("city overview", "/reporting/city/", 1),
    ("analysis report", "/reporting/reports/?report=electricity", 1),
]


def _get(session, base, stats, page, path):
    started = time.perf_counter()
    try:
        response = session.get(base + path, timeout=300, allow_redirects=False)
        ok = response.status_code == 200
        detail = f"{response.status_code} {path}"
    except requests.RequestException as error:
        ok, detail = False, repr(error)
    stats.record(page, time.perf_counter() - started, ok, detail)


def _save_round(session, base, stats, plan: MeterPlan):
    planned = plan.next_save()
    if planned is None:
        return _get(session, base, stats, "round page", "/ledger/round/")
    day, group = planned
    data = {"date": day.isoformat(), "csrfmiddlewaretoken": _csrf(session)}
    for meter in group:
        value = meter[2] + 7
        data[f"value-{meter[0]}"] = str(value)
        data[f"confirm-{meter[0]}"] = "on"  # an unusual usage is confirmed, as the clerk would
    started = time.perf_counter()
    try:
        response = session.post(
            f"{base}/ledger/round/?date={day.isoformat()}",
            data,
            headers={"Referer": f"{base}/ledger/round/"},
            timeout=300,
            allow_redirects=False,
        )
        ok = response.status_code == 302
        detail = f"{response.status_code} " + " ".join(
            re.findall(r'id="round-error">([^<]*)<', response.text)
        )
    except requests.RequestException as error:
        ok, detail = False, repr(error)
    stats.record("round save", time.perf_counter() - started, ok, detail)
    if ok:
        with stats.lock:
            stats.sent += len(group)
        for meter in group:
            meter[1], meter[2] = day, meter[2] + 7


def user_loop(base, username, plan, pages, stats, deadline, seed):
    rng = random.Random(seed)
    session = _login(base, username, stats)
    if session is None:
        return
    choices = [(name, path) for name, path, _w in pages]
    weights = [w for _n, _p, w in pages]
    if plan is not None:
        choices.append(("round save", None))
        weights.append(ROUND_WEIGHT)
    while time.monotonic() < deadline:
        name, path = rng.choices(choices, weights)[0]
        if path is None:
            _save_round(session, base, stats, plan)
        else:
            _get(session, base, stats, name, path)


# --- the servers ------------------------------------------------------------------------------


def start_servers(port: int, workers: int) -> list[subprocess.Popen]:
    env = {**os.environ, **SERVER_ENV}
    log = open(ROOT / "var" / "load_bench_server.log", "w")  # noqa: SIM115 — kept open for the run
    processes = [
        subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "gunicorn"), "linyi_ecoagency.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "300"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    ]  # fmt: skip
    if os.environ.get("CELERY_BROKER_URL"):
        processes.append(
            subprocess.Popen(
                [str(ROOT / ".venv" / "bin" / "celery"), "-A", "linyi_ecoagency", "worker", "-Q",
                 "reporting,imports", "-c", "1", "-l", "WARNING", "-n", f"load-{port}@%h"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return processes
        except OSError:
            time.sleep(0.5)
    stop(processes)
    raise RuntimeError("gunicorn did not answer /healthz within 120 s (var/load_bench_server.log)")


def stop(processes) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("the load bench runs on PostgreSQL: set DATABASE_URL")
    (ROOT / "var").mkdir(exist_ok=True)
    clones = build(options.agencies)
    managers = options.users - options.users // 10
    if len(clones) < managers:
        parser.error(f"{managers} managers need as many cloned agencies; the city has {len(clones)}")
    plans = [MeterPlan(agency) for agency in clones[:managers]]
    month_start = timezone.localdate().replace(day=1)
    saved_before = Reading.objects.filter(
        meter__agency__code__startswith=PREFIX, date__gte=month_start
    ).count()
    connection.close()
    print(f"load before: {os.getloadavg()[0]:.1f} (1-min average)", flush=True)
    processes = start_servers(options.port, options.workers)
    base = f"http://127.0.0.1:{options.port}"
    stats = Stats()
    try:
        deadline = time.monotonic() + options.seconds
        threads = []
        for i in range(options.users):
            if i < managers:
                args = (base, clones[i].code.replace(PREFIX, "load").lower(), plans[i], MANAGER_PAGES)
            else:
                args = (base, "loadcity", None, CITY_PAGES)
            threads.append(threading.Thread(target=user_loop, args=(*args, stats, deadline, i), daemon=True))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        stop(processes)
    load_after = os.getloadavg()[0]
    saved = (
        Reading.objects.filter(meter__agency__code__startswith=PREFIX, date__gte=month_start).count()
        - saved_before
    )
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    print(f"\n{options.users} users, {options.seconds} s, gunicorn --workers {options.workers}, "
          f"{Agency.objects.filter(is_active=True).count()} agencies")  # fmt: skip
    print(f"{'page':22} {'requests':>8} {'rps':>6} {'median ms':>10} {'p95 ms':>8} {'errors':>6}")
    for page in sorted(stats.latencies):
        values = stats.latencies[page]
        print(f"{page:22} {len(values):8d} {len(values) / elapsed:6.1f} {_ms(values, 0.5):10.0f} "
              f"{_ms(values, 0.95):8.0f} {stats.errors[page]:6d}")  # fmt: skip
    print(f"{'all':22} {total:8d} {total / elapsed:6.1f} {'':10} {'':8} {errors:6d}")
    for page, sample in stats.samples.items():
        print(f"  first error on {page}: {sample}")
    print(f"readings sent {stats.sent}, saved {saved}: {'equal' if saved == stats.sent else 'DIFFERENT'}")
    print(f"load after: {load_after:.1f} (1-min average)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
