"""Rows made once for a whole test module, for modules of many tests that each need the same people.

The walks (tests/test_permissions.py, tests/test_write_walk.py, tests/test_hostile_walk.py) run
hundreds of tests, each on the same agency, department and one user per role, each signed in. Made
per test, those rows (with their history rows) and sign-ins were a large part of the walks' time.
``module_transaction`` opens a transaction for the module's tests, the rows are made in it once,
and each test's own transaction (pytest-django's ``db``) becomes a savepoint inside it: what a
test writes is rolled back after the test as before, and the module's rows are rolled back when
the module's last test in the process has run. Nothing is committed, so no other test sees them.

Only for modules whose tests are all ``db`` tests: a transactional test cannot run inside the
module's transaction.
"""

import contextlib

from django.conf import settings
from django.db import transaction
from django.test import Client


@contextlib.contextmanager
def module_rows(django_db_blocker, make):
    """Opens the module's transaction, yields what ``make()`` made in it, and rolls it back when the
    module's tests are done. The database is unblocked only while ``make`` runs and while the
    transaction is rolled back; the tests unblock it themselves (``db``)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            rows = make()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield rows
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def signed_in_session(user, **session_values) -> str:
    """Signs ``user`` in once (the session row, the login signal's writes) and returns the session
    key; ``client_for`` gives each test a client of its own that carries it."""
    client = Client()
    client.force_login(user)
    if session_values:
        session = client.session
        session.update(session_values)
        session.save()
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def client_for(session_key: str | None) -> Client:
    client = Client()
    if session_key:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return client


def signed_in_sessions(people, personas) -> dict[str, str | None]:
    """A session key for each persona of ``people`` (tests/conftest.py ``make_people``), and
    ``None`` for "anonymous"; the city verifier's session has chosen ``people.agency`` (the agency
    switcher), as a verifier does before looking at an agency's pages."""
    from agencies.scoping import SESSION_KEY

    sessions: dict[str, str | None] = {"anonymous": None}
    for persona in personas:
        chosen = {SESSION_KEY: people.agency.code} if persona == "city_user" else {}
        sessions[persona] = signed_in_session(getattr(people, persona), **chosen)
    return sessions
