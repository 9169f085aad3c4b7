"""The downloadable .xlsx template of each import kind: Chinese headers and example rows."""

from __future__ import annotations

import io
import re

from django.utils import translation

from .registry import ImportKind


def template_workbook(kind: ImportKind, *, language: str = "zh-hans") -> bytes:
    """An .xlsx whose header row the pipeline reads back (labels in ``language``), with examples."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    with translation.override(language):
        # Excel refuses some characters and more than 31 of them in a sheet name.
        sheet.title = re.sub(r"[\\/*?:\[\]]", " ", str(kind.label))[:31].strip() or kind.key[:31]
        sheet.append([str(column.label) for column in kind.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in kind.template_rows:
        sheet.append([example.get(column.key) for column in kind.columns])
    for index, column in enumerate(kind.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 18
        if column.type == "date":
            for row in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                row[0].number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
