"""Shared fixtures: an agency with a user per role, an agency that is not theirs, a real worker.

As in healthchecks' alice/bob/charlie: ``clerk``, ``manager``, ``leader`` belong to ``agency``;
``city_user`` verifies every agency; ``outsider`` manages ``other_agency``.
"""

import os
import socket
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from agencies.models import Role
from tests.factories import (
    AgencyFactory,
    AgencyYearFactory,
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop


def _flush_by_delete():
    """A transactional test ends with ``flush``: on PostgreSQL, one ``TRUNCATE`` of every table, which
    makes new files for each table and index and took ~3 s a test. Tables left nearly empty are
    emptied as fast by ``DELETE`` (in one transaction: the foreign keys are checked at the commit),
    so the suite flushes that way; the tables end as empty, the sequences go on as before. A flush
    that resets the sequences or cascades is Django's own."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(t))};" for t in tables]

    DatabaseOperations.sql_flush = sql_flush


_flush_by_delete()


class _DeadRows:
    """Keeps this process's test database free of dead rows: vacuums the tables that hold many.

    Every ``db`` test's rows die when it rolls back, and a transactional test's when its flush
    deletes them; a demo copy leaves ~100,000 at a time. Nothing reclaims them while the run goes
    on when the server's autovacuum is off (as on the development machine), so every later scan of
    those tables reads them all again: the write walk's table states, the demo copies' checksums,
    the hostile walk's row versions, every query that scans. At the end of a run each process's
    database held 400,000–630,000 dead rows (125–184 MB), and a whole-database state took 50 ms
    instead of 8 ms. After a test that took a second or more, and after every 50 tests, this
    counts the dead rows (the server's statistics, from a connection of its own) and vacuums the
    tables that hold more than 1,000 when there are 20,000 in all. Plain ``VACUUM`` only (and
    ``TRUNCATE false``: no lock that would wait for a test's transaction): it changes no row any
    test sees, and it runs between tests, from its own connection (a module's
    open transaction, tests/module_rows.py, only keeps the rows it can still see)."""

    CHECK_EVERY, SLOW, DEAD, TABLE_DEAD = 50, 1.0, 20_000, 1_000

    def __init__(self):
        self.tests, self.vacuums = 0, 0

    def after_test(self, seconds: float) -> None:
        from django.db import connection

        self.tests += 1
        if connection.vendor != "postgresql" or not connection.settings_dict["NAME"].startswith("test_"):
            return
        if seconds < self.SLOW and self.tests % self.CHECK_EVERY:
            return
        # A connection for the check alone, closed at once: one left open would keep pytest-django
        # from dropping the test database at the end of a run.
        with _own_connection(connection.settings_dict) as side:
            counts = side.execute("SELECT relname, n_dead_tup FROM pg_stat_user_tables").fetchall()
            tables = [connection.ops.quote_name(t) for t, dead in counts if dead > self.TABLE_DEAD]
            if sum(dead for _table, dead in counts) >= self.DEAD and tables:
                # Without giving back the empty pages at a table's end: that needs the table alone
                # (an exclusive lock), and a module's open transaction made VACUUM wait 5 s a table.
                side.execute(f"VACUUM (TRUNCATE false) {', '.join(tables)}")
                self.vacuums += 1


def _own_connection(settings_dict):
    import psycopg

    return psycopg.connect(
        dbname=settings_dict["NAME"],
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


_dead_rows = _DeadRows()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    started = time.monotonic()
    yield
    _dead_rows.after_test(time.monotonic() - started)


def _test_db_template(job: str, timeout: float = 900) -> str:
    """The name of the template scripts/test.sh is making (its job writes ``<job>.out`` and, when it
    ends, ``<job>.status``): wait for the job, then the name, or stop the run with its output."""
    status_file, output_file = Path(f"{job}.status"), Path(f"{job}.out")
    deadline = time.monotonic() + timeout
    while not status_file.exists():
        if time.monotonic() > deadline:
            pytest.exit(f"the test databases' template was not made within {timeout:.0f} s", returncode=1)
        time.sleep(0.2)
    output = output_file.read_text()
    if status_file.read_text().strip() != "0":
        reason = "the test databases' template could not be made (scripts/test_db_template.py):\n"
        pytest.exit(reason + output, returncode=1)
    return output.strip().splitlines()[-1]


if os.environ.get("TEST_DB_TEMPLATE_JOB"):  # set by scripts/test.sh on PostgreSQL; else pytest-django's own

    @pytest.fixture(scope="session")
    def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
        """Each process's test database is a copy of the migrated template that scripts/test.sh
        makes while its checks run and pytest starts (scripts/test_db_template.py), instead of
        migrating one per process; it is kept after the run, and the next scripts/test.sh drops it,
        off the clock."""
        from django.db import connection

        template = connection.ops.quote_name(_test_db_template(os.environ["TEST_DB_TEMPLATE_JOB"]))
        with django_db_blocker.unblock():
            name = connection.creation._get_test_db_name()  # test_<NAME>_gw0 …: pytest-django's suffix
            quote = connection.ops.quote_name
            with connection._nodb_cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")
                cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {template}")
            connection.close()
            settings.DATABASES[connection.alias]["NAME"] = name
            connection.settings_dict["NAME"] = name
        yield
        with django_db_blocker.unblock():
            connection.close()


elif (
    os.environ.get("MUTATION_SCHEMA_ONCE") == "1"  # set by scripts/mutation.sh
    and settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
):
    _SCHEMA: dict = {}

    @pytest.fixture(scope="session")
    def django_db_setup(
        django_test_environment, django_db_blocker, django_db_use_migrations, django_db_modify_db_settings
    ):
        """mutmut runs a pytest session per mutant in a process forked from its own, and each session
        made the tables again (syncdb, content types, permissions: a third of a second per mutant).
        The first session of mutmut's process makes them as pytest-django does and keeps a copy of
        the new database (SQLite's backup, in memory); every later session, forked or not, starts
        from that copy written back over its database, and the content-type cache as it was then:
        the same state a fresh database gives, whatever the sessions before left. Nothing is torn
        down (a forked process just ends)."""
        import copy
        import sqlite3

        from django.contrib.contenttypes.models import ContentType
        from django.db import connection
        from django.test.utils import setup_databases
        from pytest_django.fixtures import _disable_migrations

        if not django_db_use_migrations:
            _disable_migrations()
        with django_db_blocker.unblock():
            if not _SCHEMA:
                setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
                connection.ensure_connection()
                _SCHEMA["copy"] = sqlite3.connect(":memory:")
                connection.connection.backup(_SCHEMA["copy"])
                _SCHEMA["content_types"] = copy.deepcopy(ContentType.objects._cache)
            else:
                connection.ensure_connection()
                _SCHEMA["copy"].backup(connection.connection)
                ContentType.objects._cache = copy.deepcopy(_SCHEMA["content_types"])
        yield

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(items):
        """mutmut lists a mutant's tests fastest first and stops at the first failure, but
        pytest-django then sorts them as Django does: database tests, then transactional ones, then
        the tests without a database last. Those are the rules' own tests, the quickest and most
        often the ones that fail on a mutant: a mutant of a rule that forty database tests also reach
        ran all forty before its own test (2 min 24 s instead of seconds). They go first here, in
        mutmut's order; the database tests keep pytest-django's order after them. A test without a
        database can see nothing a database test leaves behind, and mutmut's clean run of each group
        runs in this same order before any mutant."""
        from django.test import TransactionTestCase

        def needs_database(item) -> bool:
            if isinstance(getattr(item, "cls", None), type) and issubclass(item.cls, TransactionTestCase):
                return True
            if item.get_closest_marker("django_db"):
                return True
            return bool({"db", "transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))

        items.sort(key=needs_database)


@pytest.fixture(scope="session", autouse=True)
def _demo_copies_shared_by_the_run(tmp_path_factory):
    """Under xdist the processes of one run share their copies of the demo (tests/demo_snapshot.py),
    in the run's temporary directory (the parent of each process's own; pytest keeps the last
    three runs' and removes older ones)."""
    from tests import demo_snapshot

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if run:
        demo_snapshot.SHARED_DIR = tmp_path_factory.getbasetemp().parent / f"demo-copies-{run}"
    yield
    demo_snapshot.SHARED_DIR = None


_first_transactional = {"done": False}


@pytest.fixture(autouse=True)
def _transactional_tests_start_from_a_flushed_database(request):
    """The first transactional test of a process starts from a flushed database, as every later one.

    A transactional test ends with a flush (``_flush_by_delete``), so every transactional test but
    the first of each process starts from an empty database (content types and permissions made
    again); the first one started from the template's state (the data migrations' rows). In random
    order any of them may come first, so none may rely on that state; but a test that seeds the
    demo then found a different state from the others (tests/demo_snapshot.py: the state is part of
    the key) and seeded it again for real: today's demo twice in a run. Flushed first, every
    transactional test of the run starts from the same state and shares one copy."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional and not _first_transactional["done"]:
        from django.core.management import call_command

        request.getfixturevalue("transactional_db")
        call_command("flush", verbosity=0, interactive=False)
        _first_transactional["done"] = True
    yield


@pytest.fixture(autouse=True)
def _fresh_language_and_time_zone():
    """Every test starts in the site's language and time zone, whatever the test before it left.

    A request through LocaleMiddleware activates its language for the thread and nothing turns it
    off again, so one English request would otherwise leave English for every later test in the
    process (the suite runs in random order: pytest-randomly). A test that needs English says so
    with ``translation.override("en")``.
    """
    from django.utils import timezone, translation

    translation.deactivate()  # back to settings.LANGUAGE_CODE (zh-hans)
    timezone.deactivate()  # back to settings.TIME_ZONE (Asia/Shanghai)
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _no_kept_evaluations():
    """Every test starts with the city overview's evaluation store empty, as a process that has
    just started (reporting/targets/cache.py): a test's first request evaluates every agency."""
    from reporting.targets.cache import evaluation_cache_clear

    evaluation_cache_clear()
    yield


def make_agency():
    agency = AgencyFactory(code="LYYB", name="临沂市医疗保障局")
    AgencyYearFactory(agency=agency, year=2019, headcount=46)
    AgencyYearFactory(agency=agency, year=2020, headcount=45)
    return agency


def make_other_agency():
    other = AgencyFactory(code="LYSJ", name="临沂市审计局")
    AgencyYearFactory(agency=other, year=2020, headcount=38)
    return other


def make_city_agency():
    return AgencyFactory(code="LYJGSW", name="临沂市委机关事务管理办公室")


def make_people() -> SimpleNamespace:
    """What the fixtures below make, all at once (for modules that make it once: tests/module_rows.py)."""
    agency, other_agency, city_agency = make_agency(), make_other_agency(), make_city_agency()
    department = DepartmentFactory(agency=agency, name="办公室")
    return SimpleNamespace(
        agency=agency,
        department=department,
        other_agency=other_agency,
        city_agency=city_agency,
        clerk=_member("clerk", agency, Role.CLERK, department),
        manager=_member("manager", agency, Role.MANAGER),
        leader=_member("leader", agency, Role.LEADER),
        city_user=_member("city", city_agency, Role.CITY),
        outsider=_member("outsider", other_agency, Role.MANAGER),
    )


@pytest.fixture
def agency(db):
    return make_agency()


@pytest.fixture
def department(agency):
    return DepartmentFactory(agency=agency, name="办公室")


@pytest.fixture
def other_department(agency):
    return DepartmentFactory(agency=agency, name="规划财务科")


@pytest.fixture
def other_agency(db):
    return make_other_agency()


@pytest.fixture
def city_agency(db):
    return make_city_agency()


def _member(username, agency, role, department=None):
    user = UserFactory(username=username)
    MembershipFactory(user=user, agency=agency, role=role, department=department)
    return user


@pytest.fixture
def clerk(agency, department):
    return _member("clerk", agency, Role.CLERK, department)


@pytest.fixture
def manager(agency):
    return _member("manager", agency, Role.MANAGER)


@pytest.fixture
def leader(agency):
    return _member("leader", agency, Role.LEADER)


@pytest.fixture
def city_user(city_agency):
    return _member("city", city_agency, Role.CITY)


@pytest.fixture
def outsider(other_agency):
    """A manager of another agency: must never see or change ``agency``'s data."""
    return _member("outsider", other_agency, Role.MANAGER)


@pytest.fixture
def login():
    """``login(user)`` → a test client signed in as ``user``."""

    def _login(user):
        client = Client()
        client.force_login(user)
        return client

    return _login


def _redis_reachable() -> bool:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        return False
    host_port = url.split("://", 1)[1].split("/", 1)[0]
    host, _sep, port = host_port.partition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def real_worker(transactional_db):
    """A real Celery worker (solo pool, in a thread) consuming from Redis for this test."""
    from celery.contrib.testing import tasks  # noqa: F401 — registers the ping task
    from celery.contrib.testing.worker import start_worker

    from linyi_ecoagency.celery import app

    if not _redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Redis for the real-worker tests (CELERY_BROKER_URL).")
        pytest.skip("Redis is not reachable: the real-worker test needs CELERY_BROKER_URL=redis://…")
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI runs the real-worker tests on PostgreSQL (DATABASE_URL).")
        pytest.skip("The real-worker test shares the database with a worker thread: it needs PostgreSQL.")
    app.conf.task_always_eager = False
    # This process's own queue (tests/settings.py: one per xdist worker): drop tasks that an
    # earlier test sent and no worker took, so they cannot run against this test's data.
    with app.connection_for_write() as connection:
        for queue in settings.TEST_QUEUES:
            app.amqp.queues.select_add(queue)
            app.amqp.queues[queue].bind(connection).purge()
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=True, shutdown_timeout=30, queues=settings.TEST_QUEUES
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = True


@pytest.fixture
def no_index_scans(db):
    """PostgreSQL plans the test's queries without index scans: it reads the rows in the order they
    were stored and sorts them, so an order the code leaves to the index shows. SQLite has no such
    setting and walks the index."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for scan in ("indexscan", "indexonlyscan", "bitmapscan"):
                cursor.execute(f"SET LOCAL enable_{scan} = off")
