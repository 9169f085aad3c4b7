"""Walks every URL of the URLconf for every role, for anonymous users and for another agency's user."""

import pytest
from django.urls import reverse

from tests.conftest import make_people
from tests.module_rows import client_for, module_rows, signed_in_sessions
from tests.urlwalk import routes, samples

ROUTES = routes()
SAMPLES = samples()
PERSONAS = ["clerk", "manager", "leader", "city_user", "outsider", "anonymous"]
ROLE_OF = {"clerk": "clerk", "manager": "manager", "leader": "leader", "city_user": "city"}


def test_every_view_states_its_access_and_every_url_with_arguments_has_a_sample():
    problems = []
    for route in ROUTES:
        if not route.is_public and not route.roles:
            problems.append(f"{route.name}: the view declares no scope (use @scope_required or @public_view)")
        if route.has_args and route.name not in SAMPLES:
            problems.append(f"{route.name}: add a sample to tests/<app>/url_samples.py")
    assert not problems, "\n".join(problems)


def test_the_walk_covers_the_foundation_pages():
    names = {route.name for route in ROUTES}
    assert {"home", "agencies:switch", "agencies:profile", "agencies:year_save"} <= names


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker):
    """The agency, its department, a user per persona, each signed in: made once for the module
    (tests/module_rows.py); each test's writes are rolled back as before."""

    def make():
        people = make_people()
        people.sessions = signed_in_sessions(people, ("clerk", "manager", "leader", "city_user", "outsider"))
        return people

    with module_rows(django_db_blocker, make) as rows:
        yield rows


def _request(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_route_answers_each_persona_by_role_and_agency(route, persona, people, db):
    agency = people.agency
    kwargs = SAMPLES[route.name](people) if route.has_args else {}
    url = reverse(route.name, kwargs=kwargs)
    response = _request(client_for(people.sessions[persona]), url)

    if persona == "anonymous":
        if route.is_public:
            assert response.status_code < 500
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                response.status_code
            )
        return

    if route.is_public:
        assert response.status_code < 500
    elif persona == "outsider":
        # A manager of another agency: objects of ``agency`` are not found or not allowed,
        # and pages without arguments show only their own agency.
        if route.has_args:
            assert response.status_code in (403, 404), f"{url} answered {response.status_code}"
        else:
            assert response.status_code < 500
            assert agency.name.encode() not in response.content, f"{url} shows another agency's name"
    elif ROLE_OF[persona] in route.roles:
        assert response.status_code not in (403, 404) and response.status_code < 500, (
            f"{url} refused {persona}: {response.status_code}"
        )
    else:
        assert response.status_code == 403, f"{url} let {persona} in: {response.status_code}"
