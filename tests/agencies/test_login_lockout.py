"""Login throttling behind the reverse proxy cannot be turned against a leader (#10.4).

The settings are the project's own, read with TRUSTED_PROXIES=1 (nginx in front of gunicorn, as
the README's production section runs it): every request reaches Django from the proxy's address,
and the client's address is the last X-Forwarded-For entry.
"""

import os
import runpy
from pathlib import Path
from unittest import mock

import pytest
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client, RequestFactory

from agencies.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parents[2] / "linyi_ecoagency" / "settings.py"
PROXY = "127.0.0.1"  # gunicorn listens on 127.0.0.1 behind nginx
LEADER_AT, ATTACKER_AT = "10.12.0.31", "10.77.3.9"  # the leader's office, an attacker's machine
PASSWORD = "pw-for-tests-1"


def _project_settings(**env) -> dict:
    with mock.patch.dict(os.environ, env):
        return runpy.run_path(str(SETTINGS))


@pytest.fixture
def behind_proxy(settings):
    """The client-address settings the project derives for one reverse proxy."""
    derived = _project_settings(TRUSTED_PROXIES="1")
    for name, value in derived.items():
        if name.startswith(("AXES_IPWARE_", "IPWARE_")):
            setattr(settings, name, value)
    return settings


@pytest.fixture
def leader(agency):
    user = UserFactory(username="leader")
    MembershipFactory(user=user, agency=agency, role=Role.LEADER)
    return user


def _login(password: str, *, forwarded_for: str, username: str = "leader") -> int:
    response = Client(REMOTE_ADDR=PROXY).post(
        "/accounts/login/",
        {"username": username, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        (LEADER_AT, LEADER_AT),
        (f"{LEADER_AT}, {ATTACKER_AT}", ATTACKER_AT),  # the attacker wrote the first entry itself
        (f"not-an-address, {ATTACKER_AT}", ATTACKER_AT),
        ("203.0.113.5", "203.0.113.5"),
    ],
)
def test_behind_the_proxy_the_client_is_the_address_the_proxy_saw(behind_proxy, forwarded_for, client):
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert get_client_ip_address(request) == client


def test_without_a_proxy_a_sent_x_forwarded_for_is_not_believed(settings):
    for name, value in _project_settings(TRUSTED_PROXIES="0").items():
        if name.startswith(("AXES_IPWARE_", "IPWARE_")):
            setattr(settings, name, value)
    request = RequestFactory().post(
        "/accounts/login/", REMOTE_ADDR=ATTACKER_AT, HTTP_X_FORWARDED_FOR=LEADER_AT
    )
    assert get_client_ip_address(request) == ATTACKER_AT


def test_an_attacker_locks_only_itself_and_the_leader_still_signs_in(behind_proxy, leader):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT + 2):
        # even pretending, in its own X-Forwarded-For, to come from the leader's office
        _login("guess", forwarded_for=f"{LEADER_AT}, {ATTACKER_AT}")
    assert _login(PASSWORD, forwarded_for=ATTACKER_AT) == 429  # the attacker's address is locked
    assert _login(PASSWORD, forwarded_for=LEADER_AT) == 302  # the leader is not


def test_a_locked_account_and_address_is_unlocked_by_an_admin(behind_proxy, leader, client):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        _login("typo", forwarded_for=LEADER_AT)
    assert _login(PASSWORD, forwarded_for=LEADER_AT) == 429
    attempt = AccessAttempt.objects.get(username="leader")
    assert attempt.ip_address == LEADER_AT

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = "/admin/axes/accessattempt/"
    assert client.get(changelist).status_code == 200
    response = client.post(
        changelist, {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"}
    )
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    assert _login(PASSWORD, forwarded_for=LEADER_AT) == 302


def test_the_reset_command_unlocks_an_account(behind_proxy, leader):
    for _ in range(behind_proxy.AXES_FAILURE_LIMIT):
        _login("typo", forwarded_for=LEADER_AT)
    assert _login(PASSWORD, forwarded_for=LEADER_AT) == 429
    call_command("axes_reset_username", "leader")
    assert _login(PASSWORD, forwarded_for=LEADER_AT) == 302
