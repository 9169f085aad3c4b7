"""The four GB/T 19095-2019 waste categories and their colours, read from the one shared palette.

The colours live in ``static/js/palette.js`` (``EcoPalette.waste``), the palette every chart of
the portal uses; pages, charts and PDFs of waste all take them from there through
``category_colour`` — none of them spells a colour itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class WasteCategory(models.TextChoices):
    """附件3 垃圾分类投放指南: 有害垃圾、可回收物、厨余垃圾、其他垃圾, in the seed's order."""

    HAZARDOUS = "hazardous", _("Hazardous waste")  # 有害垃圾, red
    RECYCLABLE = "recyclable", _("Recyclables")  # 可回收物, blue
    KITCHEN = "kitchen", _("Kitchen waste")  # 厨余垃圾, green
    OTHER = "other", _("Other waste")  # 其他垃圾, grey


PALETTE_FILE = Path("static") / "js" / "palette.js"
_WASTE_BLOCK = re.compile(r"\bwaste\s*:\s*\{([^}]*)\}")
_ENTRY = re.compile(r"""["']?(\w+)["']?\s*:\s*["'](#[0-9a-fA-F]{6})["']""")


@cache
def category_colours() -> dict[str, str]:
    """{category: "#rrggbb"} from ``EcoPalette.waste`` in static/js/palette.js (read once)."""
    path = Path(settings.BASE_DIR) / PALETTE_FILE
    match = _WASTE_BLOCK.search(path.read_text(encoding="utf-8"))
    colours = {key: colour.lower() for key, colour in _ENTRY.findall(match.group(1))} if match else {}
    missing = [c for c in WasteCategory.values if c not in colours]
    if missing:
        raise ImproperlyConfigured(f"{path}: EcoPalette.waste has no colour for {', '.join(missing)}")
    return {c: colours[c] for c in WasteCategory.values}


def category_colour(category: str) -> str:
    return category_colours()[category]


@dataclass(frozen=True)
class CategoryStyle:
    """What every page, chart and PDF needs to show a category: its key, its name, its colour."""

    key: str
    label: str
    colour: str


def category_styles() -> list[CategoryStyle]:
    """The four categories in the seed's order, with their names in the active language."""
    return [CategoryStyle(c.value, str(c.label), category_colour(c.value)) for c in WasteCategory]


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """ "#0067b1" → (0.0, 0.404, 0.694), reportlab's fill colour components."""
    value = colour.lstrip("#")
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]
