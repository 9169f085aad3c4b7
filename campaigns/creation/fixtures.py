"""Loads the evaluation items of ``fixtures/creation_items.json`` (from the data migration)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

ITEMS_FILE = Path(__file__).resolve().parents[2] / "fixtures" / "creation_items.json"


def items_load(*, scheme_model, item_model, path: Path = ITEMS_FILE) -> int:
    """Create or update every scheme and item of the file (matched by code); returns the item count.

    Takes the model classes so that a migration can pass its historical models."""
    data = json.loads(path.read_text(encoding="utf-8"))
    count = 0
    for row in data["schemes"]:
        scheme, _created = scheme_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "name_en": row.get("name_en", ""),
                "source": row["source"],
                "from_year": row["from_year"],
                "pass_points": Decimal(row["pass_points"]),
            },
        )
        for item in row["items"]:
            item_model.objects.update_or_create(
                scheme=scheme,
                code=item["code"],
                defaults={
                    "category": item["category"],
                    "order": item["order"],
                    "points": None if item["points"] is None else Decimal(item["points"]),
                    "evidence": item.get("evidence", ""),
                    "title": item["title"],
                    "title_en": item.get("title_en", ""),
                    "requirement": item["requirement"],
                    "requirement_en": item.get("requirement_en", ""),
                },
            )
            count += 1
    return count
