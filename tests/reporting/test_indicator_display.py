"""What an indicator says about its display: a colour from the one palette and, on a parent, what
its breakdown rows are — dashboards and reports use both, for any app's indicator."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting import registry
from reporting.dashboards.palette import palette_colour, palette_colours
from reporting.registry import AnalysisReport, Indicator
from tests.reporting.helpers import write_year

D = Decimal


def _no_compute(agency_ids, months):
    return []


PARENT = Indicator(
    "display.total", "Sorted total", "kg", _no_compute, order=990, breakdown_label="Kind of thing"
)


def _part(key, name, order, colour=""):
    return Indicator(key, name, "kg", _no_compute, parent="display.total", order=order, colour=colour)


CHILDREN = [
    _part("display.red", "Red part", 991, "status.missed"),
    _part("display.green", "Green part", 992, "status.met"),
    _part("display.plain", "Plain part", 993),
]
REPORT = AnalysisReport("display", "display.total", "Sorted total report", order=990)


@pytest.fixture
def registered():
    for indicator in [PARENT, *CHILDREN]:
        registry.register_indicator(indicator)
    registry.register_report(REPORT)
    yield
    registry.unregister_report(REPORT.key)
    for indicator in reversed([PARENT, *CHILDREN]):
        registry.unregister_indicator(indicator.key)


def test_a_colour_is_a_key_of_the_palette_never_a_colour_spelled_out():
    for wrong in ("#ff0000", "red", "waste", "Waste.Red", "waste.red.dark"):
        with pytest.raises(ValueError, match="palette key"):
            Indicator("display.wrong", "Wrong", "kg", _no_compute, colour=wrong)
    ok = Indicator("display.ok", "Ok", "kg", _no_compute, colour="waste.recyclable")
    assert ok.colour == "waste.recyclable"


def test_every_registered_colour_is_in_the_palette():
    assert palette_colours()["roles.this_year"] == "#0b5d8c"  # read from static/js/palette.js
    for indicator in registry.indicators():
        if indicator.colour:
            assert palette_colour(indicator.colour), f"{indicator.key}: {indicator.colour} not in palette.js"


@pytest.mark.django_db
def test_the_dashboard_and_the_report_name_the_breakdown_and_colour_its_rows(
    registered, agency, leader, login
):
    write_year(agency, "display.total", 2020, [100] * 12)
    write_year(agency, "display.red", 2020, [50] * 12)
    write_year(agency, "display.green", 2020, [30] * 12)
    write_year(agency, "display.plain", 2020, [20] * 12)
    client = login(leader)

    response = client.get(reverse("reporting:dashboard"), {"year": 2020})
    html = response.content.decode()
    items = next(b for b in response.context["d"].chart_data()["items"] if b["key"] == "display.total")
    # biggest first, each row with its indicator's palette key ("" for the ordinary colours)
    assert items["names"] == ["Red part", "Green part", "Plain part"]
    assert items["colours"] == ["status.missed", "status.met", ""]
    section = re.search(r'id="items-display.total">(.*?)</section>', html, re.S).group(1)
    assert "Sorted total按Kind of thing" in section and "按分项" not in section
    assert '<th scope="col">Kind of thing</th>' in section

    response = client.get(reverse("reporting:analysis_report"), {"report": "display", "year": 2020})
    html = response.content.decode()
    data = json.loads(re.search(r'id="report-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["items"][0]["colours"] == ["status.missed", "status.met", ""]
    assert "按Kind of thing统计" in html and "按分项统计" not in html
    assert '<th scope="col">Kind of thing</th>' in html


@pytest.mark.django_db
def test_without_a_breakdown_label_the_rows_are_sub_meter_items(registered, agency, leader, login):
    registry.unregister_indicator("display.plain")
    try:
        plain = Indicator("display.plain", "Plain part", "kg", _no_compute, parent="electricity", order=993)
        registry.register_indicator(plain)
        write_year(agency, "electricity", 2020, [100] * 12)
        write_year(agency, "display.plain", 2020, [20] * 12)
        html = login(leader).get(reverse("reporting:dashboard"), {"year": 2020}).content.decode()
        section = re.search(r'id="items-electricity">(.*?)</section>', html, re.S).group(1)
        assert "按分项" in section
    finally:
        registry.unregister_indicator("display.plain")
        registry.register_indicator(CHILDREN[2])
