"""The one colour palette of the portal's charts, ``static/js/palette.js`` (``EcoPalette``), read on
the server: an indicator's ``colour`` is a key of it ("waste.recyclable"); charts resolve the key
in the browser, server-side renderings (PDF) and the tests through ``palette_colour``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings

PALETTE_FILE = Path("static") / "js" / "palette.js"
_GROUP = re.compile(r"\b(\w+)\s*:\s*\{([^{}]*)\}")
_ENTRY = re.compile(r"""["']?(\w+)["']?\s*:\s*["'](#[0-9a-fA-F]{6})["']""")


@cache
def palette_colours() -> dict[str, str]:
    """{"group.name": "#rrggbb"} for every named colour of a group of EcoPalette."""
    source = (Path(settings.BASE_DIR) / PALETTE_FILE).read_text(encoding="utf-8")
    return {
        f"{group}.{name}": colour.lower()
        for group, body in _GROUP.findall(source)
        for name, colour in _ENTRY.findall(body)
    }


def palette_colour(key: str) -> str | None:
    """The "#rrggbb" of a palette key, None for an empty or unknown key."""
    return palette_colours().get(key) if key else None
