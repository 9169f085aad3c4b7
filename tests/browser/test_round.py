"""Journey: a clerk does a month's round (抄表) of 10 meters; one wrong row is shown beside it, then saved."""

import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ledger.models import Reading
from tests.ledger.factories import MeterFactory, ReadingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clerk_does_a_months_round_of_ten_meters(
    page, live_server, clerk, agency, department, browser_login, screenshot
):
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    meters = []
    for i in range(10):
        meter = MeterFactory(
            agency=agency, department=department, code=f"B-{i:02d}", name=f"办公室{i + 1}号表"
        )
        ReadingFactory(meter=meter, date=last_month_end, value=Decimal(1000 + 100 * i))
        meters.append(meter)

    started = time.monotonic()
    browser_login(page, live_server, "clerk")
    page.get_by_text("能源资源台账").click()
    page.get_by_role("link", name="月度抄表").click()
    page.wait_for_url(f"{live_server.url}/ledger/round/")
    assert page.locator("tbody tr").count() == 10

    for i, meter in enumerate(meters):
        value = "900" if i == 3 else str(1000 + 100 * i + 25 + i)  # row 4 is typed below its last reading
        page.get_by_label(f"新读数 {meter.code}").fill(value)
    # The usage appears as the clerk types (htmx), before saving.
    page.locator(f"#usage-{meters[0].pk}").get_by_text("25.00 千瓦时").wait_for()
    page.locator(f"#usage-{meters[3].pk}").get_by_text("低于上次读数", exact=False).wait_for()

    page.get_by_role("button", name="保存本次抄表").click()
    page.locator("#round-error").wait_for()
    wrong_row = page.locator(f"#row-{meters[3].pk}")
    assert "低于上次读数" in wrong_row.inner_text()
    assert "table-danger" in (wrong_row.get_attribute("class") or "")
    assert Reading.objects.filter(date=timezone.localdate()).count() == 0
    assert page.get_by_label(f"新读数 {meters[5].code}").input_value() == "1530"  # nothing typed is lost
    screenshot(page, "round-error-beside-row")

    page.get_by_label(f"新读数 {meters[3].code}").fill("1328")
    page.get_by_role("button", name="保存本次抄表").click()
    page.get_by_text("已保存 10 条读数").wait_for()
    elapsed = time.monotonic() - started
    print(f"round of 10 meters with one correction: {elapsed:.1f} s")
    assert Reading.objects.filter(date=timezone.localdate(), created_by=clerk).count() == 10
    screenshot(page, "round-saved")
