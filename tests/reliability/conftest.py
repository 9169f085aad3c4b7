"""Helpers of the fault tests: Django in a child process whose database or broker is elsewhere."""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT = 1  # nothing listens on 127.0.0.1:1: connections are refused at once


def database_url(name: str | None = None, port: int = 5432) -> str:
    """A URL for the database this test uses (its data are visible to a child process)."""
    settings = connection.settings_dict
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    return f"postgres://{user}@{host}:{port}/{name or settings['NAME']}"


def run_django(code: str, **env: str) -> dict:
    """Run ``code`` (which prints one JSON line last) in a child with tests.settings and ``env``."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", **env}
    script = "import django, json\ndjango.setup()\n" + code
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the fault tests on PostgreSQL (DATABASE_URL).")
        pytest.skip("The fault tests need PostgreSQL (DATABASE_URL).")


class WorkerProcess:
    """A real ``celery worker`` subprocess (solo pool) on this test process's queues and database.

    ``kill()`` sends SIGKILL: no clean-up, no acknowledgement — as if the machine lost it. Its
    unacknowledged message comes back after the visibility timeout (5 s here), to the next worker.
    """

    VISIBILITY_TIMEOUT = 5

    def __init__(self, log_dir: Path, name: str):
        from django.conf import settings

        self.name = f"{name}-{os.getpid()}@reliability"
        self.log = log_dir / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "CELERY_VISIBILITY_TIMEOUT": str(self.VISIBILITY_TIMEOUT),
        }
        command = [
            sys.executable, "-m", "celery", "-A", "tests.reliability.worker_app", "worker",
            "-P", "solo", "-Q", ",".join(settings.TEST_QUEUES), "-n", self.name,
            "--without-gossip", "--without-mingle", "-l", "INFO",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        self._wait_ready()

    def _wait_ready(self, seconds: float = 90) -> None:
        import time

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"the worker exited: {self.log.read_text()[-3000:]}")
            if " ready." in self.log.read_text():
                return
            time.sleep(0.2)
        raise AssertionError(f"the worker did not start: {self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_processes(postgres_only, transactional_db, tmp_path):
    """``start(name)`` → a worker subprocess; tasks sent by this test go to Redis meanwhile."""
    from django.conf import settings

    from tests.conftest import _redis_reachable

    if not _redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Redis for the worker-kill tests (CELERY_BROKER_URL).")
        pytest.skip("Redis is not reachable: the worker-kill tests need CELERY_BROKER_URL=redis://…")
    from linyi_ecoagency.celery import app

    with app.connection_for_write() as connection:
        for queue in settings.TEST_QUEUES:
            app.amqp.queues.select_add(queue)
            app.amqp.queues[queue].bind(connection).purge()
    app.conf.task_always_eager = False
    started: list[WorkerProcess] = []

    def start(name: str) -> WorkerProcess:
        started.append(WorkerProcess(tmp_path, name))
        return started[-1]

    try:
        yield start
    finally:
        app.conf.task_always_eager = True
        for worker in started:
            worker.stop()


class TableLock:
    """Holds a table lock in a separate connection: a task that writes the table waits there,
    mid-transaction, until ``release()`` — the point at which the test kills its worker."""

    def __init__(self, table: str, mode: str = "SHARE"):
        import psycopg

        self.table = table
        self.connection = psycopg.connect(database_url().replace("postgres://", "postgresql://"))
        self.connection.execute(f"LOCK TABLE {table} IN {mode} MODE")

    def wait_for_a_waiter(self, seconds: float = 120) -> None:
        import time

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            waiting = self.connection.execute(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                "WHERE c.relname = %s AND NOT l.granted",
                [self.table],
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.2)
        raise AssertionError(f"no task came to write {self.table}")

    def release(self) -> None:
        self.connection.rollback()
        self.connection.close()


def wait_until(condition, seconds: float = 120) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return bool(condition())
