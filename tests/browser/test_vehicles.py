"""Journey: a manager, new to the portal, answers "which vehicle used too much fuel last quarter,
and why" from the pages alone, after ``seed_demo`` (the README's run command)."""

import pytest

from agencies.conventions import quarter_label
from agencies.demo import DEMO_PASSWORD, demo_period
from tests.demo_snapshot import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(settings):
    settings.DEMO_ALLOWED = True
    seed_demo()  # tests/demo_snapshot.py: the command, or its copy
    return demo_period()


def test_a_manager_finds_the_vehicle_over_its_standard_last_quarter_and_why(
    page, live_server, browser_login, screenshot, demo
):
    browser_login(page, live_server, "manager", DEMO_PASSWORD)
    quarter = quarter_label(*demo.last_complete_quarter)
    # The workbench's alerts name the vehicle, the quarter and by how much.
    alert = page.get_by_test_id("panel-alerts").get_by_role("link", name="鲁Q20916")
    assert quarter in alert.inner_text() and "超标" in alert.inner_text()
    screenshot(page, "vehicles-alert")
    alert.click()
    page.wait_for_url(f"{live_server.url}/vehicles/accounting/*")
    # The accounting page of that quarter: the one vehicle over its standard comes first, flagged.
    assert quarter in page.get_by_test_id("period").inner_text()
    over = page.get_by_test_id("over-standard")
    assert "鲁Q20916" in over.inner_text() and "1辆车" in over.inner_text()
    row = page.locator("[data-testid=accounting] tbody tr").first
    assert row.get_attribute("data-plate") == "鲁Q20916"
    assert float(row.get_attribute("data-over")) > 10
    assert row.locator("td").nth(9).inner_text() != "0"  # filled at a station that is not designated
    screenshot(page, "vehicles-accounting")
    # Why: its page shows every month above the standard, the chart, and where it was filled.
    row.get_by_test_id("vehicle-link").click()
    page.wait_for_url(f"{live_server.url}/vehicles/vehicles/**")
    assert "超标" in page.get_by_test_id("vehicle-year").inner_text()
    months = page.get_by_test_id("vehicle-months").locator("tbody tr.table-warning")
    assert months.count() >= 3
    assert page.locator("[data-chart=vehicle] canvas").count() == 1
    assert "兰山区通达加油站" in page.get_by_test_id("elsewhere").inner_text()
    screenshot(page, "vehicles-why")
