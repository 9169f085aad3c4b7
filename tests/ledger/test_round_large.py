"""Point 5 of issue 18: the monthly round of an agency with 1,000 meters.

One form for every meter posted three fields a meter and broke Django's limit of 1,000 fields
(DATA_UPLOAD_MAX_NUMBER_FIELDS) at about 330 meters; the round is now paged in department
order, and each page is saved all-or-nothing.
"""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from ledger.models import Meter, Reading
from tests.ledger.factories import MeterFactory

METERS = 1000


@pytest.fixture
def thousand_meters(agency, department):
    meters = Meter.objects.bulk_create(
        MeterFactory.build(agency=agency, department=department, code=f"E{i:04d}", name=f"电表{i}")
        for i in range(METERS)
    )
    last_month_end = timezone.localdate().replace(day=1) - timedelta(days=1)
    Reading.objects.bulk_create(Reading(meter=m, date=last_month_end, value=Decimal("100")) for m in meters)
    return sorted(meters, key=lambda m: m.code)


def _form(page_html: str) -> str:
    return re.search(r'<form method="post" id="round-form".*?</form>', page_html, re.S).group(0)


def _browser_post(form_html: str, values: dict[str, str]) -> dict[str, str]:
    """What a browser posts for the form: every text, hidden and select field, with ``values``."""
    data = {}
    for name in re.findall(r'<(?:input|select)[^>]*?name="([^"]+)"', form_html):
        if 'type="checkbox"' in name or name.startswith(("estimated-", "confirm-", "photo-")):
            continue
        data[name] = ""
    data.update(re.findall(r'name="(csrfmiddlewaretoken|page|date)" value="([^"]*)"', form_html))
    for name in [n for n in data if n.startswith("event-")]:
        data[name] = "normal"
    data.update(values)
    return data


def test_a_page_of_the_round_of_1000_meters_stays_under_the_field_limit(thousand_meters, clerk, login):
    page = login(clerk).get(reverse("ledger:round")).content.decode()

    fields = re.findall(r'name="([^"]+)"', _form(page))
    assert len(fields) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    assert 'id="round-pages"' in page and page.count('class="page-link"') == 10


def test_each_page_of_a_1000_meter_round_is_saved_as_the_browser_posts_it(thousand_meters, clerk, login):
    client = login(clerk)
    day = timezone.localdate().replace(day=1).isoformat()
    form = _form(client.get(reverse("ledger:round"), {"page": 3, "date": day}).content.decode())
    on_page = thousand_meters[200:300]
    data = _browser_post(form, {"date": day, **{f"value-{m.pk}": "150" for m in on_page}})

    response = client.post(reverse("ledger:round"), data)

    assert response.status_code == 302 and response["Location"].endswith("?page=3")
    saved = Reading.objects.filter(date=day)
    assert saved.count() == 100 and set(saved.values_list("meter_id", flat=True)) == {m.pk for m in on_page}


def test_one_wrong_reading_saves_nothing_of_its_page(thousand_meters, clerk, login):
    client = login(clerk)
    day = timezone.localdate().replace(day=1).isoformat()
    on_page = thousand_meters[900:1000]
    values = {f"value-{m.pk}": "150" for m in on_page}
    values[f"value-{on_page[57].pk}"] = "50"  # below the previous reading of 100

    response = client.post(reverse("ledger:round"), {"date": day, "page": "10", **values})

    assert response.status_code == 200 and 'id="round-error"' in response.content.decode()
    assert not Reading.objects.filter(date=day).exists()
