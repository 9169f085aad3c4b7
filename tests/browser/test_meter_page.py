"""Journey: a leader opens a meter and reads its monthly usage as a chart and as a table."""

import pytest

from ledger.models import Meter
from tests.demo_snapshot import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_reads_the_monthly_usage_chart_and_table_of_the_building_meter(
    page, live_server, browser_login, screenshot, settings
):
    settings.DEMO_ALLOWED = True
    seed_demo("--today", "2022-01-15")
    from agencies.models import Membership
    from tests.factories import UserFactory

    leader = UserFactory(username="leader-b")
    Membership.objects.create(user=leader, agency=Meter.objects.get(code="E-01").agency, role="leader")
    browser_login(page, live_server, "leader-b")
    page.get_by_text("能源资源台账").click()
    page.get_by_role("link", name="计量器具台账").click()
    page.get_by_role("link", name="E-01", exact=True).click()
    page.locator("#usage-chart canvas").wait_for()
    page.get_by_text("月度用量表").click()
    assert page.locator("details table tbody tr").count() == 36  # 2019-01 … 2021-12
    assert page.get_by_role("link", name="新读数").count() == 0  # leaders read, never write
    screenshot(page, "meter-detail-chart")
