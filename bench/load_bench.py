#!/usr/bin/env python
"""Load: gunicorn on PostgreSQL, the demo city enlarged to 100 agencies, 50 users at once.

Seeds the demo (if the database has none), clones the demo bureau into more agencies until the
city has ``--agencies`` (its departments, meters, readings, monthly figures, targets and yearly
facts, and an energy manager each), makes room for round saves (the clones' readings after the
month before last are deleted and their figures recomputed, so every run starts alike), starts
gunicorn (and a Celery worker when CELERY_BROKER_URL is set, as in production), then drives
``--users`` signed-in users for ``--seconds``: each is the energy manager of their own agency and
mixes the meter round (a POST saving readings), lists, an Excel export and the dashboards; one
user in ten is a city verifier reading the city overview. Between two actions a user thinks for
an exponential time of mean ``--think`` seconds (default 5; 0 is a closed-loop stress test).
It prints the offered load, requests per second, median and p95 latency per page, the error
count, whether the readings the users saved are all in the database (readings saved = readings
sent), and the CPU used by this client, gunicorn, Celery and the database's PostgreSQL backends.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linyi_load \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 CELERY_RESULT_BACKEND=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/load_bench.py [--agencies 100] [--users 50] [--seconds 120] \
            [--think 5] [--ramp 20] [--port 8106] [--workers 4] [--threads 1] [--build-only]

Aims (issue 18): no errors, p95 ≤ 300 ms for pages and ≤ 500 ms for round saves, readings saved
= sent. Figures are printed, never asserted; the load average before and after is printed.
"""

from __future__ import annotations

import argparse
import http.client
import math
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
from urllib.parse import urlencode

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

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, AgencyYear, Department, Membership, Role  # noqa: E402
from ledger.indicators import keys_of_kind  # noqa: E402
from ledger.models import Meter, Reading  # noqa: E402
from reporting.models import Target  # noqa: E402
from reporting.writes import refresh_now  # noqa: E402

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


def reset_rounds(clones: list[Agency]) -> date:
    """Make room for the users' round saves; returns the horizon (readings after it are theirs).

    A round saves a reading dated after the meter's last one and not after today, so a database
    kept between runs would soon have no date left. Each run first deletes the clones' readings
    after the last day of the month before last (an earlier run's saves, and the seed's last
    month-end reading) and recomputes those months' figures, so every run starts from the same
    ledgers and each user has a month of days to save rounds on."""
    today = timezone.localdate()
    horizon = (today.replace(day=1) - timedelta(days=1)).replace(day=1) - timedelta(days=1)
    meters = Meter.objects.filter(agency__in=clones)
    deleted, _ = Reading.objects.filter(meter__in=meters, date__gt=horizon).delete()
    months = [horizon + timedelta(days=1), today.replace(day=1)]
    keys = sorted(
        {k for kind in meters.values_list("kind", flat=True).distinct() for k in keys_of_kind(kind)}
    )
    refresh_now(agency_ids=[a.pk for a in clones], months=months, indicators=keys)
    print(f"round saves from {horizon + timedelta(days=1)} to {today}: {deleted} readings reset", flush=True)
    return horizon


# --- the users --------------------------------------------------------------------------------
# --- the users --------------------------------------------------------------------------------
#
# A user is one person at a browser: they sign in once, then open a page, read it (think time),
# open the next. The think time between two actions is drawn from an exponential distribution
# with mean ``--think`` seconds (default 5 s, capped at five times the mean): reading a list or a
# dashboard takes a person 10–60 s and typing five meter readings about half a minute, so 5 s is
# a deliberately busy user — 50 of them offer about 50 / 5 = 10 requests per second, more than a
# city of 100 agencies sends at its busiest. ``--think 0`` is a closed loop (every user sends
# the next request the moment the last one answers): a stress test, reported as such.
#
# The client is http.client in one thread per user (no requests/urllib3 layers: the bench runs on
# the same two cores as the server, so its own CPU is measured and printed), each with its own
# connection (re-opened when the server closes it, as gunicorn's sync workers do after each
# answer) and its cookies kept by hand.


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: dict[str, str] = field(default_factory=dict)
    sent: int = 0
    exhausted: int = 0  # round saves that found no date left and opened the round page instead
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


class Browser:
    """One person's connection to the server and their cookies (session, CSRF token)."""

    RETRY = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=300)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Accept": "text/html", "Accept-Language": "zh-hans"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            reused = self.connection.sock is not None
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except self.RETRY:
                # A kept-alive connection the server closed while the person was reading: a
                # browser opens a new one and sends the request again; so do we, once.
                self.connection.close()
                if not reused or attempt == 2:
                    raise
            except (OSError, http.client.HTTPException):
                self.connection.close()
                raise
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def _timed(stats: Stats, page: str, call, expected: int) -> tuple[int, bytes] | None:
    started = time.perf_counter()
    try:
        status, content = call()
        ok, detail = status == expected, f"{status}"
    except (OSError, http.client.HTTPException) as error:
        status, content, ok, detail = 0, b"", False, repr(error)
    stats.record(page, time.perf_counter() - started, ok, detail)
    return (status, content) if ok else None


def _login(host: str, port: int, username: str, stats: Stats) -> Browser | None:
    browser = Browser(host, port)
    started = time.perf_counter()
    try:
        browser.request("GET", "/accounts/login/")
        status, _content = browser.request(
            "POST",
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": browser.csrf},
        )
        ok, detail = status == 302, f"{status} {username}"
    except (OSError, http.client.HTTPException) as error:
        ok, detail = False, repr(error)
    stats.record("sign in", time.perf_counter() - started, ok, detail)
    return browser if ok else None


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
SAVE = "round save"


def _get(browser: Browser, stats: Stats, page: str, path: str) -> None:
    _timed(stats, page, lambda: browser.request("GET", path), 200)


def _save_round(browser: Browser, stats: Stats, plan: MeterPlan) -> None:
    planned = plan.next_save()
    if planned is None:
        with stats.lock:
            stats.exhausted += 1
        return _get(browser, stats, "round page", "/ledger/round/")
    day, group = planned
    data = {"date": day.isoformat(), "csrfmiddlewaretoken": browser.csrf}
    for meter in group:
        data[f"value-{meter[0]}"] = str(meter[2] + 7)
        data[f"confirm-{meter[0]}"] = "on"  # an unusual usage is confirmed, as the clerk would
    path = f"/ledger/round/?date={day.isoformat()}"
    started = time.perf_counter()
    try:
        status, content = browser.request("POST", path, data)
        ok = status == 302
        detail = f"{status} " + " ".join(
            re.findall(r'id="round-error">([^<]*)<', content.decode(errors="replace"))
        )
    except (OSError, http.client.HTTPException) as error:
        ok, detail = False, repr(error)
    stats.record(SAVE, time.perf_counter() - started, ok, detail)
    if ok:
        with stats.lock:
            stats.sent += len(group)
        for meter in group:
            meter[1], meter[2] = day, meter[2] + 7


def user_loop(host, port, username, plan, pages, stats, start_at, deadline, think, seed):
    rng = random.Random(seed)
    time.sleep(max(0.0, start_at - time.monotonic()))
    browser = _login(host, port, username, stats)
    if browser is None:
        return
    choices = [(name, path) for name, path, _w in pages]
    weights = [w for _n, _p, w in pages]
    if plan is not None:
        choices.append((SAVE, None))
        weights.append(ROUND_WEIGHT)
    while True:
        if think > 0:
            pause = min(rng.expovariate(1 / think), 5 * think)
            if time.monotonic() + pause >= deadline:
                break
            time.sleep(pause)
        elif time.monotonic() >= deadline:
            break
        name, path = rng.choices(choices, weights)[0]
        if path is None:
            _save_round(browser, stats, plan)
        else:
            _get(browser, stats, name, path)


# --- the servers ------------------------------------------------------------------------------


def start_servers(port: int, workers: int, threads: int) -> list[subprocess.Popen]:
    env = {**os.environ, **SERVER_ENV}
    log = open(ROOT / "var" / "load_bench_server.log", "w")  # noqa: SIM115 — kept open for the run
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "linyi_ecoagency.wsgi",
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--timeout", "300"]  # fmt: skip
    if threads > 1:
        command += ["--threads", str(threads)]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)]
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


# --- CPU --------------------------------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its living children, from /proc."""
    total = 0.0
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / TICK
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        return total
    return total + sum(_tree_cpu(child) for child in children)


def _database_cpu(name: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving database ``name`` (its process title names
    it), by pid. The run reads them every half second, so a backend that ends (gunicorn closes
    its connection after CONN_MAX_AGE) is counted up to its last reading."""
    found = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                title = f.read().decode(errors="replace").split()
        except OSError:
            continue
        if len(title) > 3 and title[0] == "postgres:" and title[3] == name:
            found[int(entry)] = _tree_cpu(int(entry))
    return found


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK


# --- the run ----------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _aim(page: str) -> int | None:
    if page == SAVE:
        return 500
    if page == "sign in":
        return None  # the password hash costs what it costs by design (PBKDF2), once a day per person
    return 300


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=120)
    parser.add_argument("--think", type=float, default=5.0, help="mean think time, s (0: stress)")
    parser.add_argument("--ramp", type=float, default=20.0, help="sign-ins spread over this, s")
    parser.add_argument("--port", type=int, default=8106)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (gthread)")
    parser.add_argument("--build-only", action="store_true", help="prepare the city and stop")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("the load bench runs on PostgreSQL: set DATABASE_URL")
    (ROOT / "var").mkdir(exist_ok=True)
    clones = build(options.agencies)
    if options.build_only:
        return 0
    managers = options.users - options.users // 10
    if len(clones) < managers:
        parser.error(f"{managers} managers need as many cloned agencies; the city has {len(clones)}")
    horizon = reset_rounds(clones[:managers])
    plans = [MeterPlan(agency) for agency in clones[:managers]]
    saved_before = Reading.objects.filter(meter__agency__code__startswith=PREFIX, date__gt=horizon).count()
    connection.close()
    load_before = os.getloadavg()
    processes = start_servers(options.port, options.workers, options.threads)
    host, port = "127.0.0.1", options.port
    stats = Stats()
    try:
        started = time.monotonic()
        deadline = started + options.seconds
        threads = []
        for i in range(options.users):
            if i < managers:
                login, plan, pages = clones[i].code.replace(PREFIX, "load").lower(), plans[i], MANAGER_PAGES
            else:
                login, plan, pages = "loadcity", None, CITY_PAGES
            start_at = started + options.ramp * i / options.users
            args = (host, port, login, plan, pages, stats, start_at, deadline, options.think, i)
            threads.append(threading.Thread(target=user_loop, args=args, daemon=True))
        database = connection.settings_dict["NAME"]
        cpu_client, database_start = time.process_time(), _database_cpu(database)
        database_seen = dict(database_start)  # each backend's latest reading (they come and go)
        cpu_servers = [_tree_cpu(p.pid) for p in processes]
        machine_busy, machine_total = _machine_cpu()
        for thread in threads:
            thread.start()
        while any(thread.is_alive() for thread in threads):
            database_seen.update(_database_cpu(database))  # a backend closed later keeps this reading
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        cpu_client = time.process_time() - cpu_client
        cpu_servers = [_tree_cpu(p.pid) - before for p, before in zip(processes, cpu_servers, strict=True)]
        database_seen.update(_database_cpu(database))
        cpu_database = sum(c - database_start.get(pid, 0.0) for pid, c in database_seen.items())
        busy, total_cpu = _machine_cpu()
        machine_busy, machine_total = busy - machine_busy, total_cpu - machine_total
    finally:
        stop(processes)
    load_after = os.getloadavg()
    saved = (
        Reading.objects.filter(meter__agency__code__startswith=PREFIX, date__gt=horizon).count()
        - saved_before
    )
    total = sum(len(v) for v in stats.latencies.values())
    errors = sum(stats.errors.values())
    busy_time = sum(sum(v) for v in stats.latencies.values())
    cores = os.cpu_count() or 1
    server = f"gunicorn --workers {options.workers}" + (
        f" --threads {options.threads}" if options.threads > 1 else " (sync)"
    )
    print(f"\n{options.users} users, {options.seconds} s, {server}, "
          f"{Agency.objects.filter(is_active=True).count()} agencies")  # fmt: skip
    if options.think > 0:
        think = options.think * (1 - math.exp(-5))  # the mean of the capped distribution
        print(f"think time: exponential, mean {options.think:g} s (capped at {5 * options.think:g} s); "
              f"offered load {options.users} users / ({think:.2f} s think + "
              f"{busy_time / max(total, 1):.3f} s mean answer) = "
              f"{options.users / (think + busy_time / max(total, 1)):.1f} requests/s")  # fmt: skip
    else:
        print("think time 0: a closed loop, a STRESS TEST (every user sends as fast as answered)")
    print(f"{'page':22} {'requests':>8} {'rps':>6} {'median ms':>10} {'p95 ms':>8} {'errors':>6}  aim p95")
    for page in sorted(stats.latencies):
        values = stats.latencies[page]
        aim = _aim(page)
        verdict = "—" if aim is None else f"≤ {aim}: {'met' if _ms(values, 0.95) <= aim else 'MISSED'}"
        print(f"{page:22} {len(values):8d} {len(values) / elapsed:6.1f} {_ms(values, 0.5):10.0f} "
              f"{_ms(values, 0.95):8.0f} {stats.errors[page]:6d}  {verdict}")  # fmt: skip
    print(f"{'all':22} {total:8d} {total / elapsed:6.1f} {'':10} {'':8} {errors:6d}")
    for page, sample in stats.samples.items():
        print(f"  first error on {page}: {sample}")
    if stats.exhausted:
        print(f"  {stats.exhausted} round saves found no date left and opened the round page instead")
    print(f"readings sent {stats.sent}, saved {saved}: {'equal' if saved == stats.sent else 'DIFFERENT'}")

    def share(seconds: float) -> str:
        return f"{seconds:.1f} s ({100 * seconds / elapsed / cores:.0f} %)"

    celery = share(cpu_servers[1]) if len(cpu_servers) > 1 else "not started"
    print(f"CPU over {elapsed:.0f} s, % of the machine's {cores} cores: this client {share(cpu_client)}, "
          f"gunicorn {share(cpu_servers[0])}, Celery worker {celery}, PostgreSQL backends of {database} "
          f"{share(cpu_database)}; whole machine busy {100 * machine_busy / max(machine_total, 1e-9):.0f} % "
          "(everyone's work)")  # fmt: skip
    print(
        f"load before: {' '.join(f'{v:.2f}' for v in load_before)}; "
        f"after: {' '.join(f'{v:.2f}' for v in load_after)} (1, 5, 15 min)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
