"""Walks every URL of the URLconf for every role, for anonymous users and for another agency's user."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from agencies.scoping import SESSION_KEY
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


def _request(client, url):
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url, {})
    return response


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_route_answers_each_persona_by_role_and_agency(route, persona, request, agency, department, login):
    ctx = SimpleNamespace(
        agency=agency,
        department=department,
        manager=request.getfixturevalue("manager"),
        clerk=request.getfixturevalue("clerk"),
    )
    kwargs = SAMPLES[route.name](ctx) if route.has_args else {}
    url = reverse(route.name, kwargs=kwargs)

    if persona == "anonymous":
        from django.test import Client

        response = _request(Client(), url)
        if route.is_public:
            assert response.status_code < 500
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (
                response.status_code
            )
        return

    user = request.getfixturevalue(persona)
    client = login(user)
    if persona == "city_user":
        session = client.session
        session[SESSION_KEY] = agency.code
        session.save()
    response = _request(client, url)

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
