"""The write walk: every POST endpoint, posted ids of another agency and another department.

Beside the URL walk (tests/test_permissions.py). For each route of the URLconf it finds out
whether the route takes a POST (GET answers 405, or the view reads the posted body, or a post
changes a table); each such route needs a POST sample (tests/writewalk.py says how to write one).
Then, as every writing role the view allows (manager, clerk; the city verifier where a view lets
the city write, i.e. the verification of the creation workflow), it posts the sample built for the
caller's own agency — it must be accepted and, if the endpoint writes, change the database — and
the same submission with ids of another agency (and, for a clerk, of another department): one
foreign key of the bound form at a time, the whole submission built for the other agency, and the
URL of the other agency's object. Each must be refused (a form error, 403 or 404) with no table
changed. A new ledger's POST views are walked as soon as they are in the URLconf.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.conftest import make_people
from tests.factories import DepartmentFactory
from tests.module_rows import client_for, module_rows, signed_in_sessions
from tests.urlwalk import routes, samples
from tests.writewalk import changed_tables, foreign_key_fields, post_samples, probe, table_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]

ROUTES = routes()
BY_NAME = {route.name: route for route in ROUTES}
URL_SAMPLES = samples()
POST_SAMPLES = post_samples()
ROLE_OF = {"manager": "manager", "clerk": "clerk", "leader": "leader", "city_user": "city"}
WRITERS = ("manager", "clerk", "city_user")  # the city verifier writes verifications (核查) only
SCOPED = [route for route in ROUTES if not route.is_public]
CASES = [
    (name, persona)
    for name in sorted(POST_SAMPLES)
    if name in BY_NAME
    for persona in WRITERS
    if ROLE_OF[persona] in (BY_NAME[name].roles or ())
]


@pytest.fixture
def indicators_registered():
    from tests.reporting.helpers import fake_indicators

    with fake_indicators():
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The caller's own context, another agency's and another department's (of the same agency),
    and each writing persona signed in: made once for the module (tests/module_rows.py); each
    test's writes are rolled back as before."""

    def make():
        people = make_people()
        other_department = DepartmentFactory(agency=people.agency, name="规划财务科")
        foreign_department = DepartmentFactory(agency=people.other_agency, name="办公室")
        sessions = signed_in_sessions(people, ("manager", "clerk", "leader", "city_user"))
        own = SimpleNamespace(agency=people.agency, department=people.department, manager=people.manager)
        return SimpleNamespace(
            own=own,
            other_agency=SimpleNamespace(
                agency=people.other_agency, department=foreign_department, manager=people.outsider
            ),
            other_department=SimpleNamespace(
                agency=people.agency, department=other_department, manager=people.manager
            ),
            sessions=sessions,
        )

    with module_rows(django_db_blocker, make) as rows:
        yield rows


def _url(route, ctx, sample=None) -> str:
    if not route.has_args:
        return reverse(route.name)
    builder = (sample.url if sample and sample.url else None) or URL_SAMPLES[route.name]
    return reverse(route.name, kwargs=builder(ctx))


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, str | int | float | type(None))}


def test_every_post_sample_names_a_route_of_the_urlconf():
    unknown = sorted(set(POST_SAMPLES) - set(BY_NAME))
    assert not unknown, f"POST samples for routes that are not in the URLconf: {unknown}"


@pytest.mark.parametrize("route", SCOPED, ids=lambda r: r.name)
def test_a_route_that_takes_a_post_has_a_post_sample_and_get_writes_nothing(route, world, db):
    if route.has_args and route.name not in URL_SAMPLES:
        pytest.fail(f"{route.name}: add a sample to tests/<app>/url_samples.py (the URL walk needs it too)")
    persona = next(p for p in ("manager", "clerk", "leader", "city_user") if ROLE_OF[p] in route.roles)
    client = client_for(world.sessions[persona])
    url = _url(route, world.own)

    before = table_state()
    get_status = client.get(url).status_code
    assert not changed_tables(before, table_state()), f"GET {url} changed the database: only POST may write"
    empty = probe(client, url, {}, before=before)
    takes_post = get_status == 405 or empty.read_body or bool(empty.changed)
    if takes_post:
        why = "GET is 405" if get_status == 405 else "it reads the posted body or writes"
        assert route.name in POST_SAMPLES, (
            f"{route.name} takes a POST ({why}): "
            "add a PostSample for it to tests/<app>/post_samples.py (see tests/writewalk.py) so that the "
            "write walk can post another agency's ids to it"
        )
    else:
        assert route.name not in POST_SAMPLES, f"{route.name} has a POST sample but does not take a POST"


@pytest.mark.parametrize(("name", "persona"), CASES, ids=[f"{n}-{p}" for n, p in CASES])
def test_a_post_with_ids_of_another_agency_or_department_is_refused_and_changes_nothing(
    name, persona, world, db
):
    route, sample = BY_NAME[name], POST_SAMPLES[name]
    client = client_for(world.sessions[persona])
    foreign = {"another agency": world.other_agency}
    if persona == "clerk":
        foreign["another department"] = world.other_department
    url, data = _url(route, world.own, sample), sample.data(world.own)
    foreign_urls = {label: _url(route, ctx, sample) for label, ctx in foreign.items() if route.has_args}
    foreign_data = {label: sample.data(ctx) for label, ctx in foreign.items()}

    # The control: the caller's own valid submission is accepted (and writes, if the endpoint does).
    # Every probe is rolled back, so the state before each is this one (checked at the end).
    before = table_state()
    control = probe(client, url, data, before=before)
    assert control.status < 400, f"{name}: the POST sample was refused as {persona} ({control.status})"
    if sample.writes:
        assert control.changed, (
            f"{name}: the POST sample changed nothing as {persona}; make it a valid submission that writes, "
            "or mark it writes=False if the endpoint never writes"
        )
    fields = foreign_key_fields(control.forms)
    missing = sorted(set(fields) - set(data))
    assert not missing, (
        f"{name}: the POST sample leaves out the form's foreign keys {missing}; give them values"
    )

    attacks = []
    for label, other in foreign_data.items():
        for field in sorted(fields):
            if other.get(field) in (None, ""):
                pytest.fail(f"{name}: the POST sample built for {label} has no id for {field!r}")
            if str(other[field]) != str(data[field]):
                attacks.append((f"{field} = an id of {label}", url, {**data, field: other[field]}))
        if _plain(other) != _plain(data):
            attacks.append((f"the whole submission built for {label}", url, other))
        if route.has_args:
            attacks.append((f"the URL of {label}'s object", foreign_urls[label], data))

    for label, target, payload in attacks:
        result = probe(client, target, payload, before=before)
        assert result.status in (200, 302, 400, 403, 404), f"{name} as {persona}, {label}: {result.status}"
        assert not result.changed, f"{name} as {persona} with {label} changed {result.changed}"
    assert table_state() == before


def test_the_state_changes_with_a_row_and_only_for_its_table(world, db):
    """The machinery itself: a changed, added or deleted row changes its table's digest and no
    other's; the same data gives the same state (on PostgreSQL the digests come from the server)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from agencies.models import Department

    department = world.own.department
    before = table_state()
    assert before == table_state()
    assert "agencies_department" in before and "django_session" not in before

    Department.objects.filter(pk=department.pk).update(name="改过的科室")
    renamed = table_state()
    assert changed_tables(before, renamed) == ["agencies_department"]

    Department.objects.filter(pk=department.pk).update(name=department.name)
    assert table_state() == before  # the same rows again: the same state

    with transaction.atomic():  # a savepoint rolled back takes the row back, not the write's count
        Department.objects.filter(pk=department.pk).update(name="回滚的科室")
        assert changed_tables(before, table_state()) == ["agencies_department"]
        transaction.set_rollback(True)
    assert table_state() == before

    if connection.vendor == "postgresql":  # a server that counts nothing: no table taken as unwritten
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL track_counts = off")
            ContentType.objects.create(app_label="walk", model="probe")
            assert changed_tables(before, table_state()) == ["django_content_type"]
            transaction.set_rollback(True)

    added = DepartmentFactory(agency=world.own.agency, name="新科室")  # with its history row
    assert changed_tables(before, table_state()) == ["agencies_department", "agencies_historicaldepartment"]
    added_id = added.pk
    added.delete()  # and its history rows (the deletion writes one too)
    Department.history.filter(id=added_id).delete()
    assert table_state() == before
