"""Each GB/T 19095 category shows in its colour on every waste page, chart and PDF — read back here.

The colours come from the one shared palette (static/js/palette.js, ``EcoPalette.waste``).
"""

import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.waste.factories import (
    CollectionPointFactory,
    HazardousCollectionFactory,
    HazardousStorageFactory,
    WasteCollectionFactory,
)
from waste.categories import WasteCategory, category_colours

ROOT = Path(__file__).resolve().parents[2]
CATEGORIES = ["hazardous", "recyclable", "kitchen", "other"]


def rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def palette_js_waste() -> dict:
    source = (ROOT / "static" / "js" / "palette.js").read_text()
    block = re.search(r"waste: \{(.*?)\}", source, re.S).group(1)
    return dict(re.findall(r'(\w+): "(#[0-9a-f]{6})"', block))


def test_the_categories_take_their_colours_from_the_shared_palette():
    assert category_colours() == palette_js_waste()
    assert list(category_colours()) == CATEGORIES == WasteCategory.values


def test_the_colours_are_the_standards_red_blue_green_and_grey():
    r, g, b = rgb(category_colours()["hazardous"])
    assert r > 180 and g < 60 and b < 60  # 有害垃圾 red
    r, g, b = rgb(category_colours()["recyclable"])
    assert b > 150 and b > r + 80 and b > g + 40  # 可回收物 blue
    r, g, b = rgb(category_colours()["kitchen"])
    assert g > 120 and g > r + 80 and g > b + 40  # 厨余垃圾 green
    r, g, b = rgb(category_colours()["other"])
    assert max(r, g, b) - min(r, g, b) < 10 and 60 < r < 200  # 其他垃圾 grey


PAIR = re.compile(r'data-waste="(\w+)" data-colour="(#[0-9a-f]{6})"')


def colour_pairs(html: str) -> list[tuple[str, str]]:
    return PAIR.findall(html)


@pytest.fixture
def waste_rows(agency, department):
    for category, weight in zip(CATEGORIES, ("1.5", "30", "45", "60"), strict=True):
        if category == "hazardous":
            HazardousCollectionFactory(
                agency=agency, date=timezone.localdate().replace(day=1), weight=Decimal(weight)
            )
        else:
            WasteCollectionFactory(
                agency=agency,
                category=category,
                date=timezone.localdate().replace(day=1),
                weight=Decimal(weight),
            )
    CollectionPointFactory(agency=agency, categories=CATEGORIES)
    HazardousStorageFactory(agency=agency)


PAGES = [
    "waste:collection_list",
    "waste:collection_create",
    "waste:point_list",
    "waste:storage_list",
    "waste:handover_create",
    "waste:display",
]


@pytest.mark.parametrize("name", PAGES)
def test_every_waste_page_shows_each_category_in_its_colour(name, waste_rows, manager, login):
    html = login(manager).get(reverse(name)).content.decode()
    pairs = colour_pairs(html)
    assert pairs, f"{name} shows no category"
    for category, colour in pairs:
        assert colour == category_colours()[category], (name, category, colour)
    palette = json.loads(re.search(r'id="waste-palette"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert {p["key"]: p["colour"] for p in palette} == category_colours()


def test_the_list_and_the_display_show_all_four_categories(waste_rows, manager, login):
    client = login(manager)
    for name in ("waste:collection_list", "waste:display"):
        shown = {category for category, _colour in colour_pairs(client.get(reverse(name)).content.decode())}
        assert shown == set(CATEGORIES), name


def test_the_display_chart_draws_each_category_in_its_colour(waste_rows, manager, login):
    html = login(manager).get(reverse("waste:display")).content.decode()
    chart = json.loads(re.search(r'id="waste-chart"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert [(s["key"], s["colour"]) for s in chart["series"]] == list(category_colours().items())
    assert [(s["key"], s["colour"]) for s in chart["month"]] == list(category_colours().items())


def pdf_fill_colours(pdf: bytes) -> set[tuple[int, int, int]]:
    """Every fill colour set with the ``r g b rg`` operator on every page, as 0–255 integers."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        content = page.get_contents().get_data().decode("latin-1")
        for r, g, b in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
            found.add(tuple(round(float(v) * 255) for v in (r, g, b)))
    return found


def test_the_display_pdf_fills_each_category_with_its_colour(waste_rows, manager, login):
    response = login(manager).get(reverse("waste:display_pdf"))
    assert response["Content-Type"] == "application/pdf"
    fills = pdf_fill_colours(response.content)
    for category, colour in category_colours().items():
        assert rgb(colour) in fills, f"{category} {colour} is not a fill colour of the PDF"


def test_the_categories_register_their_palette_colour_and_the_breakdown_label():
    from reporting.dashboards.palette import palette_colour
    from reporting.registry import get_indicator

    assert str(get_indicator("waste").breakdown_label) == "类别"
    for category, colour in category_colours().items():
        key = get_indicator(f"waste.{category}").colour
        assert key == f"waste.{category}" and palette_colour(key) == colour


def test_the_dashboard_draws_the_categories_in_their_colours_under_类别(waste_rows, agency, manager, login):
    from reporting import writes
    from waste.indicators import WASTE_KEYS

    month = timezone.localdate().replace(day=1)
    writes.refresh_now(agency_ids=[agency.pk], months=[month], indicators=WASTE_KEYS)
    year = timezone.localdate().year
    response = login(manager).get(reverse("reporting:dashboard"), {"year": year})
    html = response.content.decode()
    items = next(b for b in response.context["d"].chart_data()["items"] if b["key"] == "waste")
    by_name = dict(zip(items["names"], items["colours"], strict=True))
    assert {by_name[str(c.label)] for c in WasteCategory} == {f"waste.{c}" for c in CATEGORIES}
    section = re.search(r'id="items-waste">(.*?)</section>', html, re.S).group(1)
    assert "生活垃圾清运量按类别" in section and '<th scope="col">类别</th>' in section
