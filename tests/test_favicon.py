"""Every page links the favicon (an SVG of plain shapes), so browsers stop asking for /favicon.ico."""

import xml.etree.ElementTree as ET

from django.contrib.staticfiles import finders
from django.templatetags.static import static

SVG = "{http://www.w3.org/2000/svg}"


def test_the_favicon_is_a_well_formed_svg_of_plain_shapes():
    path = finders.find("img/favicon.svg")
    assert path, "static/img/favicon.svg is missing"
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == "0 0 32 32"
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert "path" not in tags and {"ellipse", "line"} <= tags


def test_a_public_page_links_the_favicon(client, db):
    page = client.get("/reporting/public/").content.decode()
    assert f'<link rel="icon" href="{static("img/favicon.svg")}" type="image/svg+xml">' in page
