"""No 500 from input (#10.6): every URL of the URLconf, as every role it lets in, with hostile values
in every query parameter and form field it reads; fails on any 500 and on any invalid row stored.

Beside the URL walk and the write walk (tests/urlwalk.py, tests/writewalk.py: their samples build
the URLs and the valid submissions). tests/hostilewalk.py says how the parameters are found and
which values are sent. A new view is walked as soon as it is in the URLconf.

Kept cheap by sending each value once where it can matter, never the cross product:
- query strings: round *i* sends every parameter its *i*-th hostile value at once; a round the
  view does not answer 2xx (it stopped at one value) is sent again one parameter at a time;
- POST: each form field, one at a time, every hostile value its own field would accept (the
  others, refused by the form before any view code runs, are sent together in one request);
  a field the view parses by hand gets every hostile value.
"""

from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.conftest import make_people
from tests.hostilewalk import Sender, accepts, hostile_values, recording
from tests.module_rows import client_for, module_rows, signed_in_sessions
from tests.urlwalk import routes, samples
from tests.writewalk import fresh, post_samples

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered", "recording_get")]

ROUTES = routes()
URL_SAMPLES = samples()
POST_SAMPLES = post_samples()
ROLE_OF = {"manager": "manager", "clerk": "clerk", "leader": "leader", "city_user": "city"}
WRITERS = ("manager", "clerk")


@pytest.fixture
def indicators_registered():
    from tests.reporting.helpers import fake_indicators

    with fake_indicators():
        yield


@pytest.fixture
def recording_get(settings):
    settings.MIDDLEWARE = ["tests.hostilewalk.RecordingMiddleware", *settings.MIDDLEWARE]


def _personas(route) -> list[str]:
    if route.is_public:
        return ["anonymous"]
    return [persona for persona, role in ROLE_OF.items() if role in (route.roles or ())]


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """The agency, its department, a user per role, each signed in: made once for the module
    (tests/module_rows.py); each test's writes are rolled back as before."""

    def make():
        people = make_people()
        # What a sheet title cannot hold, shown and exported everywhere.
        people.department.name = "办公室[]:*?/\\"
        people.department.save()
        people.sessions = signed_in_sessions(people, ("clerk", "manager", "leader", "city_user"))
        return people

    with module_rows(django_db_blocker, make) as rows:
        yield rows


def _plain(data: dict) -> dict:
    return {k: v for k, v in data.items() if isinstance(v, str | int | float | type(None))}


class Walk:
    def __init__(self, route):
        self.route, self.send, self.failures = route, Sender(), []

    def check(self, what: str, outcome) -> int | None:
        if outcome.error:
            self.failures.append(f"{what}: {outcome.error}")
        if outcome.invalid:
            self.failures.append(f"{what} stored invalid rows: {outcome.invalid[:5]}")
        return outcome.status

    def query_string(self, client, persona, url, names: dict) -> None:
        values = {name: hostile_values(field) for name, field in names.items()}
        for i in range(max((len(v) for v in values.values()), default=0)):
            query = {name: v[i % len(v)] for name, v in values.items()}
            status = self.check(
                f"GET {url}?{_short(query)} as {persona}",
                self.send(client, "get", f"{url}?{urlencode(query)}"),
            )
            if status is not None and not 200 <= status < 300 and len(query) > 1:
                for name, value in query.items():
                    target = f"{url}?{urlencode({name: value})}"
                    self.check(
                        f"GET {url}?{_short({name: value})} as {persona}", self.send(client, "get", target)
                    )

    def post(self, client, persona, url, data: dict, fields: dict) -> None:
        refused = {}
        for name in sorted(fields.keys() | _plain(data).keys()):
            field = fields.get(name)
            for value in hostile_values(field):
                if field is not None and not accepts(field, value):
                    refused.setdefault(name, value)
                    continue
                payload = fresh({**data, name: value})
                self.check(
                    f"POST {url} {_short({name: value})} as {persona}",
                    self.send(client, "post", url, payload),
                )
        if refused:
            payload = fresh({**data, **refused})
            self.check(f"POST {url} {_short(refused)} as {persona}", self.send(client, "post", url, payload))


def _short(values: dict) -> str:
    return ", ".join(f"{k}={str(v)[:12]!r}" for k, v in values.items())


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_hostile_values_in_every_parameter_never_answer_500_nor_store_an_invalid_row(route, people):
    ctx = people
    url = reverse(route.name, kwargs=URL_SAMPLES[route.name](ctx) if route.has_args else {})
    post = POST_SAMPLES.get(route.name)
    post_url = reverse(route.name, kwargs=post.url(ctx)) if post is not None and post.url else url
    post_data = post.data(ctx) if post is not None else None
    walk = Walk(route)
    for persona in _personas(route):
        client = client_for(people.sessions[persona])
        with recording() as names:
            status = walk.check(f"GET {url} as {persona}", walk.send(client, "get", url))
        if status not in (403, 405):
            walk.query_string(client, persona, url, names)
        if post_data is not None and persona in WRITERS:
            with recording() as fields:
                walk.check(
                    f"POST {post_url} (the sample) as {persona}",
                    walk.send(client, "post", post_url, fresh(post_data)),
                )
            walk.post(client, persona, post_url, post_data, fields)
    failures = walk.failures
    assert not failures, "\n".join(failures[:40]) + (
        f"\n… {len(failures)} in all" if len(failures) > 40 else ""
    )


def test_the_walk_reports_the_invalid_row_a_request_wrote_and_not_one_it_left_alone(people):
    """The machinery itself: a request that stores a control character in a row is reported
    (on PostgreSQL the walk checks only the rows a request wrote); a row already invalid before
    and untouched is not the request's."""
    from agencies.models import Department
    from tests.factories import DepartmentFactory

    agency, department = people.agency, people.department
    untouched = DepartmentFactory(agency=agency)
    Department.objects.filter(pk=untouched.pk).update(name="left\x01alone")

    class Writer:  # a client whose POST stores what no form would accept
        def post(self, url, data):
            Department.objects.filter(pk=department.pk).update(name="a\x01b")
            return SimpleNamespace(status_code=302)

    outcome = Sender()(Writer(), "post", "/", {})
    assert outcome.status == 302 and not outcome.error
    assert len(outcome.invalid) == 1, outcome.invalid
    assert outcome.invalid[0].startswith(f"Department {department.pk}: name holds a control character")
    department.refresh_from_db()
    assert department.name != "a\x01b"  # the request was rolled back


def test_the_walk_reports_a_foreign_key_a_request_left_pointing_at_no_row(people):
    """The foreign keys a request wrote are checked too (by the database on PostgreSQL, where
    ``full_clean`` leaves them to it: tests/hostilewalk.py, ``dangling_foreign_keys``), and the
    check leaves the foreign keys deferred for what comes after it, as they were."""
    from agencies.models import Agency

    agency = people.agency
    nowhere = 10**9

    class Writer:  # a client whose POST leaves the agency's parent pointing at no agency
        def post(self, url, data):
            Agency.objects.filter(pk=agency.pk).update(parent_id=nowhere)
            return SimpleNamespace(status_code=302)

    outcome = Sender()(Writer(), "post", "/", {})
    assert outcome.status == 302 and not outcome.error
    assert len(outcome.invalid) == 1 and str(nowhere) in outcome.invalid[0], outcome.invalid
    assert Agency.objects.get(pk=agency.pk).parent_id is None  # the request was rolled back
    # Still deferred: a dangling key is refused at the commit, not at the statement.
    Agency.objects.filter(pk=agency.pk).update(parent_id=nowhere)
    Agency.objects.filter(pk=agency.pk).update(parent_id=None)
