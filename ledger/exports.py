"""Excel export of the meter registry and the readings, with the import's headers (re-importable)."""

from __future__ import annotations

import io

from django.utils import translation

from .importers import METER_COLUMNS, READING_COLUMNS
from .models import ItemCategory, Meter, MeterKind, Reading, ReadingEvent


def _workbook(title: str, columns, rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([str(column.label) for column in columns])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def meters_workbook(meters, *, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        rows = (
            [
                m.code,
                m.name,
                str(MeterKind(m.kind).label),
                m.location,
                m.department.name if m.department else "",
                str(ItemCategory(m.item).label) if m.item else "",
                m.parent.code if m.parent else "",
                m.multiplier,
                m.share,
                m.dial_digits,
                m.installed_on,
                m.retired_on,
                m.note,
            ]
            for m in meters.select_related("department", "parent").order_by("kind", "code")
        )
        return _workbook(str(Meter._meta.verbose_name_plural), METER_COLUMNS, list(rows))


def _event(event: str, language: str) -> str:
    """Blank for a normal reading; the import's Chinese spelling or the stored value otherwise."""
    if event == ReadingEvent.NORMAL:
        return ""
    spelled = {"rollover": "翻转", "replacement_final": "换表旧表止码", "replacement_initial": "换表新表起码"}
    return spelled[event] if language == "zh-hans" else event


def readings_workbook(readings, *, language: str = "zh-hans") -> bytes:
    with translation.override(language):
        rows = [
            [
                code,
                day,
                value,
                _event(event, language),
                "是" if kind == "estimated" else "",
                "",
                note,
            ]
            for code, day, value, event, kind, note in readings.order_by("meter__code", "date").values_list(
                "meter__code", "date", "value", "event", "kind", "note"
            )
        ]
        return _workbook(str(Reading._meta.verbose_name_plural), READING_COLUMNS, rows)
