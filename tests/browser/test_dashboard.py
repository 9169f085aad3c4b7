"""Journey: a leader opens the agency dashboard, reads the target cards, and the charts render."""

import pytest

from tests.reporting.dashboard_helpers import dashboard_registry, default_targets, seed_bureau

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bureau(agency, department):
    from decimal import Decimal

    from reporting.models import ProgrammeGoal

    with dashboard_registry():
        # A transactional test flushes the goals the migration added; put them back for the page.
        ProgrammeGoal.objects.get_or_create(year=2022, defaults={"share_percent": Decimal(70)})
        ProgrammeGoal.objects.get_or_create(year=2025, defaults={"share_percent": Decimal(80)})
        default_targets()
        seed_bureau(agency)
        yield agency


def test_a_leader_reads_the_targets_and_the_charts_render(
    page, live_server, leader, bureau, browser_login, screenshot
):
    browser_login(page, live_server, "leader")
    page.get_by_role("button", name="统计报表").click()
    page.get_by_role("link", name="单位驾驶舱", exact=True).click()  # the menu, not the home panel
    page.wait_for_url("**/reporting/dashboard/")

    cards = page.get_by_test_id("target-card")
    assert cards.count() == 2
    electricity = page.locator('[data-indicator="electricity"] [data-testid="target-status"]')
    assert "达标" in electricity.inner_text() and "✓" in electricity.inner_text()
    water = page.locator('[data-indicator="water"] [data-testid="target-status"]')
    assert "未达标" in water.inner_text()
    assert "办公室" in page.get_by_test_id("top-department-electricity").inner_text()

    # ECharts drew on canvases: the monthly chart, the sparklines and the breakdowns.
    page.wait_for_function("document.querySelectorAll('[data-chart=monthly] canvas').length >= 2")
    assert page.locator("[data-spark] canvas").count() == 2
    assert page.locator("[data-chart=departments] canvas").count() >= 1
    size = page.locator("[data-chart=monthly][data-key=electricity] canvas").first.bounding_box()
    assert size["width"] > 300 and size["height"] > 200
    path = screenshot(page, "dashboard-leader")
    assert path.stat().st_size > 20_000


def test_the_city_overview_and_the_report_render_without_errors(
    page, live_server, city_user, bureau, browser_login, screenshot
):
    browser_login(page, live_server, "city")
    page.goto(f"{live_server.url}/reporting/city/?year=2020")
    page.wait_for_function("document.querySelectorAll('[data-chart=ranking] canvas').length === 1")
    assert bureau.name in page.get_by_test_id("agency-status-table").inner_text()
    screenshot(page, "dashboard-city")
    page.locator(f'tr[data-agency="{bureau.code}"] button').click()
    page.wait_for_url("**/reporting/dashboard/?year=2020")
    assert page.get_by_test_id("target-card").count() == 2
    page.goto(f"{live_server.url}/reporting/reports/?report=electricity&year=2020&quarter=4")
    page.wait_for_function("document.querySelectorAll('[data-chart] canvas').length >= 3")
    assert "用量最多的科室：办公室" in page.get_by_test_id("analysis").inner_text()
    screenshot(page, "electricity-report")


def test_the_waste_categories_are_drawn_in_their_registered_palette_colours(
    page, live_server, leader, agency, browser_login
):
    """The dashboard's breakdown of a parent that registers colours (waste: GB/T 19095) colours
    each category's bar with its palette colour, under the parent's breakdown label (类别)."""
    from datetime import date
    from decimal import Decimal

    from reporting import writes
    from tests.waste.factories import WasteCollectionFactory
    from waste.categories import category_colours
    from waste.indicators import WASTE_KEYS

    for category, kg in (("recyclable", "30"), ("kitchen", "45"), ("other", "60")):
        WasteCollectionFactory(agency=agency, category=category, date=date(2020, 5, 6), weight=Decimal(kg))
    writes.refresh_now(agency_ids=[agency.pk], months=[date(2020, 5, 1)], indicators=WASTE_KEYS)
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/reporting/dashboard/?year=2020")
    assert "生活垃圾清运量按类别" in page.locator("#items-waste").inner_text()
    page.wait_for_function(
        "document.querySelectorAll('[data-chart=items][data-key=waste] canvas').length === 1"
    )
    drawn = page.evaluate(
        """() => {
            const el = document.querySelector('[data-chart=items][data-key=waste]');
            const option = echarts.getInstanceByDom(el).getOption();
            return option.yAxis[0].data.map((name, i) => [name, option.series[0].data[i].itemStyle.color]);
        }"""
    )
    colours = category_colours()
    assert dict(drawn) == {
        "可回收物": colours["recyclable"],
        "厨余垃圾": colours["kitchen"],
        "其他垃圾": colours["other"],
    }
