"""Journey: on a phone (375 px), a clerk starts the month's round from the home page, reads two
meters, photographs one dial, and saves; the photo is kept as the reading's voucher."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from PIL import Image

from ledger.models import Reading
from tests.ledger.factories import MeterFactory, ReadingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dial_photo() -> bytes:
    """A JPEG as a phone camera makes it (small here; real ones are a few MB)."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def _fits(phone) -> bool:
    """Nothing wider than the screen: no sideways scrolling."""
    return phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_clerk_reads_two_meters_on_a_phone_and_keeps_a_photo_of_the_dial(
    phone, live_server, clerk, agency, department, browser_login, screenshot
):
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    water = MeterFactory(agency=agency, department=department, code="W-01", name="7-8层水表", kind="water")
    power = MeterFactory(agency=agency, department=department, code="E-01-BGS", name="办公室分区表")
    ReadingFactory(meter=water, date=last_month_end, value=Decimal("10300"))
    ReadingFactory(meter=power, date=last_month_end, value=Decimal("23150"))

    browser_login(phone, live_server, "clerk")
    todo = phone.locator('[data-todo="ledger.round"]')
    assert "2块表中还有2块未抄" in todo.inner_text()
    assert _fits(phone)
    screenshot(phone, "phone-home-clerk")
    phone.get_by_test_id("start-round").tap()
    phone.wait_for_url(f"{live_server.url}/ledger/round/")
    assert _fits(phone)

    phone.get_by_label("新读数 W-01").fill("10352.5")
    phone.locator(f"#usage-{water.pk}").get_by_text("52.50 立方米").wait_for()
    phone.get_by_label("表盘照片 W-01").set_input_files(
        files=[{"name": "dial.jpg", "mimeType": "image/jpeg", "buffer": _dial_photo()}]
    )
    phone.get_by_label("新读数 E-01-BGS").fill("23410")
    phone.locator(f"#usage-{power.pk}").get_by_text("260.00 千瓦时").wait_for()
    # Each meter is a card the width of the screen, its fields one under the other.
    box = phone.locator(f"#row-{water.pk}").bounding_box()
    assert box["width"] <= 375 and box["height"] > 200
    assert _fits(phone)
    screenshot(phone, "phone-round-filled")

    phone.get_by_role("button", name="保存本次抄表").tap()
    phone.get_by_text("已保存 2 条读数").wait_for()
    screenshot(phone, "phone-round-saved")
    reading = Reading.objects.get(meter=water, date=timezone.localdate())
    assert reading.voucher.name.startswith("vouchers/reading/") and reading.voucher.size > 1000
    assert not Reading.objects.get(meter=power, date=timezone.localdate()).voucher
    # The photo is the reading's voucher: it opens from the meter's page, for people in scope.
    phone.goto(f"{live_server.url}/ledger/meters/{water.pk}/")
    href = phone.get_by_role("link", name="凭证").first.get_attribute("href")
    response = phone.context.request.get(f"{live_server.url}{href}")  # the clerk's session
    assert response.status == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.body() == reading.voucher.open("rb").read()
