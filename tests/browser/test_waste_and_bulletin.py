"""Journey: the energy manager prints this month's waste display and this month's spot-check bulletin.

The display's badges and charts are read back from the browser: each category in its colour.
"""

import io
from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.campaigns.factories import SpotCheckFactory, SpotCheckFindingFactory
from tests.waste.factories import HazardousCollectionFactory, WasteCollectionFactory
from tests.waste.test_colours import pdf_fill_colours, rgb
from waste.categories import category_colours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def css_rgb(colour: str) -> str:
    r, g, b = rgb(colour)
    return f"rgb({r}, {g}, {b})"


def test_a_manager_prints_this_months_waste_display_and_bulletin(
    page, live_server, manager, agency, department, browser_login, screenshot
):
    today = timezone.localdate()
    first = today.replace(day=1)
    HazardousCollectionFactory(agency=agency, date=first, weight=Decimal("2.4"))
    for category, weight in (("recyclable", "85.5"), ("kitchen", "120"), ("other", "300.2")):
        WasteCollectionFactory(agency=agency, category=category, date=first, weight=Decimal(weight))
    check = SpotCheckFactory(agency=agency, department=department, date=first, time=time(17, 10))
    check.rectify_by = first + timedelta(days=5)
    check.save()
    SpotCheckFindingFactory(spot_check=check, item="lights_empty")

    browser_login(page, live_server, "manager")
    page.get_by_role("link", name="垃圾分类").first.click()
    page.get_by_role("link", name="清运量公示", exact=True).click()
    page.locator("[data-chart=waste-trend] canvas").wait_for()
    page.locator("[data-chart=waste-month] canvas").wait_for()
    # Badges: painted in the palette's colour.
    for category, colour in category_colours().items():
        painted = page.eval_on_selector(
            f'[data-testid=display-table] .waste-badge[data-waste="{category}"]',
            "el => getComputedStyle(el).backgroundColor",
        )
        assert painted == css_rgb(colour), category
    # Charts: every series in its category's colour.
    series = page.evaluate(
        """() => window.echarts.getInstanceByDom(document.querySelector('[data-chart=waste-trend]'))
              .getOption().series.map(s => s.itemStyle.color)"""
    )
    assert series == list(category_colours().values())
    pie = page.evaluate(
        """() => window.echarts.getInstanceByDom(document.querySelector('[data-chart=waste-month]'))
              .getOption().series[0].data.map(d => d.itemStyle.color)"""
    )
    assert pie == list(category_colours().values())
    screenshot(page, "waste-display")

    href = page.get_by_test_id("display-pdf").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert f"{today.year}年{today.month}月垃圾分类清运量公示" in text.replace("\n", "")
    for colour in category_colours().values():
        assert rgb(colour) in pdf_fill_colours(pdf.body())

    page.get_by_role("link", name="宣传与创建").first.click()
    page.get_by_role("link", name="抽查通报", exact=True).click()
    expect(page.locator("body")).to_contain_text(department.name)  # waits for the new page
    screenshot(page, "spot-check-bulletin")
    href = page.get_by_test_id("bulletin-pdf").get_attribute("href")
    pdf = page.request.get(f"{live_server.url}{href}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages).replace("\n", "")
    assert f"关于{today.year}年{today.month}月节能抽查情况的通报" in text and department.name in text
