"""Journey: a manager reads each section's consumption year on year, a clerk requisitions for their own
section only, and the dashboard shows the seed's fourth target (consumables quantity and cost)."""

from datetime import date
from decimal import Decimal

import pytest

from agencies.scoping import Scope
from ledger.consumables.indicators import CONSUMABLES_KEYS
from ledger.consumables.models import Requisition
from reporting.figures.refresh import figures_refresh
from reporting.targets.services import target_save
from tests.ledger.consumables_factories import ItemFactory, RequisitionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consumables(agency, department, other_department):
    paper = ItemFactory(
        agency=agency,
        code="HC-001",
        name="A4再生复印纸",
        unit="包",
        stock=Decimal(10),
        stock_value=Decimal(250),
    )
    cups = ItemFactory(
        agency=agency, code="HC-031", name="一次性纸杯", category="disposable", unit="个", is_disposable=True
    )
    for month in range(1, 13):
        # 办公室: 10 packs a month in 2019, 8 in 2020 (−20 %); 规划财务科: 5 and then 5 (0 %).
        for year, office, finance in ((2019, 10, 5), (2020, 8, 5)):
            day = date(year, month, 10)
            RequisitionFactory(
                item=paper, department=department, date=day, quantity=office, amount=Decimal(25 * office)
            )
            RequisitionFactory(
                item=paper,
                department=other_department,
                date=day,
                quantity=finance,
                amount=Decimal(25 * finance),
            )
            RequisitionFactory(item=cups, department=department, date=day, quantity=50, amount=Decimal(6))
    months = [date(y, m, 1) for y in (2019, 2020) for m in range(1, 13)]
    figures_refresh(agency_ids=[agency.pk], months=months, indicator_keys=list(CONSUMABLES_KEYS))
    for key in ("consumables_quantity", "consumables_cost"):
        target_save(
            scope=Scope.system(None),
            indicator=key,
            year=2020,
            baseline_year=2019,
            reduction_percent=Decimal(3),
        )
    return paper


def test_a_manager_reads_each_sections_consumption_year_on_year(
    page, live_server, manager, consumables, browser_login, screenshot
):
    browser_login(page, live_server, "manager")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="办公耗材").click()
    page.wait_for_url("**/ledger/consumables/")
    page.get_by_role("link", name="分科室统计").click()
    page.get_by_label("年度").fill("2020")
    page.get_by_label("截至月份").fill("12")
    page.get_by_role("button", name="查询").click()
    table = page.get_by_test_id("sections-table")
    office = table.locator("tr", has_text="办公室")
    # 2020: 8 × 12 + 50 × 12 = 696 pieces against 10 × 12 + 600 = 720 → −3.33 %; cost 2472 against 3072.
    assert office.locator('[data-change="quantity"]').inner_text() == "−3.33%"
    assert office.locator('[data-change="cost"]').inner_text() == "−19.53%"
    finance = table.locator("tr", has_text="规划财务科")
    assert finance.locator('[data-change="quantity"]').inner_text() == "0.00%"
    total = table.locator("tr", has_text="全局合计")
    assert total.locator('[data-change="quantity"]').inner_text() == "−3.08%"  # 756 against 780
    screenshot(page, "consumables-sections")


def test_a_clerk_requisitions_for_their_own_section_only(
    page, live_server, clerk, consumables, browser_login, screenshot
):
    browser_login(page, live_server, "clerk")
    page.goto(f"{live_server.url}/ledger/consumables/requisitions/new/")
    sections = page.get_by_label("科室").locator("option").all_inner_texts()
    assert [s for s in sections if s.strip("-")] == ["办公室"]
    page.get_by_label("科室").select_option(label="办公室")
    page.get_by_label("物品").select_option(label="HC-001 A4再生复印纸")
    page.get_by_label("日期").fill("2020-12-20")
    page.get_by_label("数量").fill("11")
    page.get_by_role("button", name="保存").click()
    assert "现有库存仅 10 包，不能领用 11 包" in page.locator(".invalid-feedback").first.inner_text()
    page.get_by_label("数量").fill("3")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/ledger/consumables/requisitions/")
    assert "领用记录已保存" in page.content()
    consumables.refresh_from_db()
    assert consumables.stock == Decimal(7)
    assert Requisition.objects.filter(date=date(2020, 12, 20), department__name="办公室").count() == 1
    screenshot(page, "consumables-requisition")


def test_the_dashboard_shows_the_fourth_target(
    page, live_server, leader, consumables, browser_login, screenshot
):
    browser_login(page, live_server, "leader")
    page.goto(f"{live_server.url}/reporting/dashboard/?year=2020")
    quantity = page.locator('[data-testid="target-card"][data-indicator="consumables_quantity"]')
    cost = page.locator('[data-testid="target-card"][data-indicator="consumables_cost"]')
    assert "办公耗材领用数量" in quantity.inner_text() and "办公耗材费用" in cost.inner_text()
    assert quantity.get_attribute("data-status") == "met"  # 756 against 780 pieces: −3.08 %
    assert cost.get_attribute("data-status") == "met"  # 3972 against 4572 yuan: −13.12 %
    screenshot(page, "consumables-dashboard")
