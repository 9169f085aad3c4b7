"""Journeys: a new user's first look. After ``seed_demo`` (the README's run command), each role
signs in and its home page (工作台) shows this month's work, each item one click from where it
is done."""

import pytest
from django.utils import timezone

from agencies.conventions import months_label
from agencies.demo import DEMO_PASSWORD, demo_period
from reporting.dashboards.home import last_quarter
from tests.demo_snapshot import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_ALLOWED = True
    seed_demo()
    return demo_period()


def _sign_in(page, live_server, browser_login, username):
    browser_login(page, live_server, username, DEMO_PASSWORD)
    assert page.get_by_role("heading", name="工作台").is_visible()


def test_the_clerk_sees_this_months_round_and_starts_it(page, live_server, browser_login, screenshot, demo):
    _sign_in(page, live_server, browser_login, "clerk")
    month = demo.current_month
    this_month = months_label(month.month, month.month, month.year)
    todo = page.locator('[data-todo="ledger.round"]')
    assert f"本月抄表（{this_month}）：2块表中还有2块未抄" in todo.inner_text()
    assert page.locator('[data-todo="ledger.review"]').is_visible()  # the tea room's leak, confirmed by her
    assert page.get_by_test_id("panel-round").locator('[data-read="0"]').count() == 2
    screenshot(page, "home-clerk-demo")
    todo.click()
    page.wait_for_url(f"{live_server.url}/ledger/round/")
    assert page.locator("tbody tr").count() == 2


def test_the_manager_sees_the_round_the_quarter_to_publish_and_the_alerts(
    page, live_server, browser_login, screenshot, demo
):
    _sign_in(page, live_server, browser_login, "manager")
    assert "6块表中还有6块未抄" in page.locator('[data-todo="ledger.round"]').inner_text()
    alerts = page.get_by_test_id("panel-alerts")
    assert "用量异常偏高的读数待能源资源管理员复核" in alerts.inner_text()
    assert "尚未公示" not in alerts.inner_text()  # said by the to-do below instead
    screenshot(page, "home-manager-demo")
    quarter = last_quarter(timezone.localdate())
    page.locator('[data-todo="reporting.quarter"]').click()
    page.wait_for_url(f"{live_server.url}/reporting/disclosures/*/")
    assert quarter.label in page.locator("h1").inner_text()
    assert page.get_by_role("button", name="发布").first.is_visible()


def test_the_leader_sees_the_targets_and_the_alerts_and_opens_the_dashboard(
    page, live_server, browser_login, screenshot, demo
):
    _sign_in(page, live_server, browser_login, "leader")
    summary = page.get_by_test_id("panel-summary")
    # electricity, water per person, fuel per vehicle in use (the seed's third target) and the
    # consumables' quantity and cost (the seed's fourth target)
    assert summary.locator("[data-status]").count() == 5
    assert "目标为下降1%以上" in summary.inner_text()
    assert page.get_by_test_id("panel-alerts").is_visible()
    assert page.get_by_test_id("nothing-to-do").is_visible()  # leaders read, never write
    screenshot(page, "home-leader-demo")
    page.get_by_test_id("open-dashboard").click()
    page.wait_for_url(f"{live_server.url}/reporting/dashboard/*")
    assert page.get_by_test_id("target-card").count() == 5


def test_the_city_verifier_sees_the_city_and_who_has_not_published(
    page, live_server, browser_login, screenshot, demo
):
    _sign_in(page, live_server, browser_login, "city")
    panel = page.get_by_test_id("panel-city")
    quarter = last_quarter(timezone.localdate())
    assert quarter.label in panel.get_by_test_id("city-unpublished").inner_text()
    screenshot(page, "home-city-demo")
    page.get_by_test_id("open-city").click()
    page.wait_for_url(f"{live_server.url}/reporting/city/*")
    assert page.get_by_test_id("on-track").is_visible()
