"""Workbooks out of the registry: each kind's template, each kind's ledger, the agency's backup.

Every kind that declares ``export`` gets an Excel export whose header row the pipeline reads back
(labels in Chinese by default) and whose rows import back unchanged; the agency's backup is one
workbook with a sheet per kind, in dependency order (meters before readings), that imports back
sheet by sheet. Text stays text, never a live formula (``reporting.spreadsheets``, which writes
every workbook).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import translation

from agencies.conventions import chinese
from reporting import spreadsheets
from reporting.spreadsheets import new_workbook, workbook_bytes

from .registry import Column, ImportContext, ImportKind, import_kinds_ordered
from .values import bool_text


def sheet_title(kind: ImportKind, taken: set[str] | None = None) -> str:
    """The kind's label as a worksheet name (``reporting.spreadsheets.sheet_title``), distinct
    from the ``taken`` titles, which it joins."""
    title = spreadsheets.sheet_title(str(kind.label).strip() or kind.key, taken or ())
    if taken is not None:
        taken.add(title)
    return title


def _choice_label(column: Column):
    """Stored value → in Chinese the first spelling that names it (kinds list the Chinese one
    first); in English the stored value (the converter accepts both)."""
    if not chinese():
        return lambda value: value
    labels: dict[str, str] = {}
    for spelling, stored in (column.choices or {}).items():
        labels.setdefault(stored, spelling)
    return lambda value: labels.get(value, value)


def _cell(column: Column, value: object, choice_label) -> object:
    if value is None or value == "":
        return None
    if column.type == "choice":
        return choice_label(value)
    if column.type == "bool":
        return bool_text(value)
    if isinstance(value, Decimal):
        # Excel keeps 15 significant digits; a Decimal as text keeps all of them and reads back exactly
        return value if abs(value) < Decimal("1e15") and len(value.as_tuple().digits) <= 15 else str(value)
    if isinstance(value, dt.date | int | float):
        return value
    return str(value)


def _write_sheet(sheet, kind: ImportKind, rows) -> int:
    from openpyxl.styles import Font

    columns = kind.export_columns()
    sheet.append([str(column.label) for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    labels = {column.key: _choice_label(column) for column in columns if column.type == "choice"}
    count = 0
    for row in rows:
        sheet.append([_cell(column, row.get(column.key), labels.get(column.key)) for column in columns])
        count += 1
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 18
        if column.type == "date":
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "yyyy-mm-dd"
    return count


def template_workbook(kind: ImportKind, *, language: str = "zh-hans") -> bytes:
    """An .xlsx whose header row the pipeline reads back (labels in ``language``), with examples."""
    workbook = new_workbook()
    with translation.override(language):
        workbook.active.title = sheet_title(kind)
        _write_sheet(workbook.active, kind, kind.template_rows)
    return workbook_bytes(workbook)


def kind_workbook(kind: ImportKind, context: ImportContext, *, language: str = "zh-hans") -> bytes:
    """The kind's ledger of ``context.agency`` (a clerk's: their departments) as an .xlsx."""
    if kind.export is None:
        raise LookupError(f"Import kind {kind.key!r} declares no export")
    workbook = new_workbook()
    with translation.override(language):
        workbook.active.title = sheet_title(kind)
        _write_sheet(workbook.active, kind, kind.export(context))
    return workbook_bytes(workbook)


def agency_workbook(context: ImportContext, *, language: str = "zh-hans") -> tuple[bytes, dict[str, int]]:
    """Every ledger of the agency in one workbook, a sheet per kind, meters before readings:
    the backup a manager can open, and import back (``imports.services.import_backup``).
    Returns the workbook and the rows written per kind."""
    workbook = new_workbook()
    workbook.remove(workbook.active)
    counts: dict[str, int] = {}
    taken: set[str] = set()
    with translation.override(language):
        for kind in import_kinds_ordered():
            if kind.export is None:
                continue
            sheet = workbook.create_sheet(sheet_title(kind, taken))
            counts[kind.key] = _write_sheet(sheet, kind, kind.export(context))
    return workbook_bytes(workbook), counts
