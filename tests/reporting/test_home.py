"""What reporting puts on the home page: the quarter to compute or publish, alerts, summaries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies import workbench
from reporting.dashboards.home import last_quarter
from reporting.disclosures.services import disclosure_compute, disclosure_publish
from tests.factories import scope_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indicators_registered")]


def _quarter_todos(user):
    todos = workbench.todos_for(scope_of(user), timezone.localdate())
    return [t for t in todos if t.key == "reporting.quarter"]


def test_the_manager_is_asked_to_compute_then_to_publish_the_last_quarter(manager, agency):
    quarter = last_quarter(timezone.localdate())
    (todo,) = _quarter_todos(manager)
    assert todo.url == reverse("reporting:disclosure_list") and quarter.label in todo.message
    assert "尚未生成" in todo.message

    draft = disclosure_compute(agency=agency, quarter=quarter)
    (todo,) = _quarter_todos(manager)
    assert todo.url == reverse("reporting:disclosure_detail", args=[draft.pk])
    assert "核对后发布" in todo.message

    disclosure_publish(scope=scope_of(manager), disclosure=draft)
    assert _quarter_todos(manager) == []


def test_the_to_do_replaces_the_unpublished_alert_for_the_manager_not_for_the_leader(manager, leader, login):
    manager_page = login(manager).get(reverse("home")).content.decode()
    leader_page = login(leader).get(reverse("home")).content.decode()
    quarter = last_quarter(timezone.localdate()).label
    assert manager_page.count(quarter) == 1  # the to-do only, not the alert beside it
    assert f"{quarter}能源资源消耗情况尚未公示" in leader_page
    assert 'data-testid="panel-summary"' in leader_page and 'data-testid="panel-summary"' not in manager_page


def test_the_city_verifier_sees_the_city_overview_and_nothing_to_write(city_user, agency, login):
    page = login(city_user).get(reverse("home")).content.decode()
    assert 'data-testid="panel-city"' in page and reverse("reporting:city_dashboard") in page
    assert 'data-testid="nothing-to-do"' in page
