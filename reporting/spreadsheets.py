"""Spreadsheets the portal writes: every Excel and CSV export passes its cells through here.

Text a clerk typed (a note, a meter or department name) that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is a formula to Excel, WPS and LibreOffice (OWASP, "CSV
Injection"). Here such text stays text, whatever an export put in its cells:

- in an .xlsx every text cell is written as a string cell, never a formula, and text that starts
  like a formula carries Excel's quote prefix (the hidden apostrophe of a typed ``'=``), so that
  editing the cell in Excel keeps it text. The value itself is unchanged: the export imports back
  as it was;
- in a .csv, which has no cell types, such text is prefixed with an apostrophe, as OWASP advises;
  the import's CSV reader (``imports.reader.read_csv``) takes that apostrophe off again.

Numbers, dates and empty cells are written as they are.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_QUOTE = "'"


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def new_workbook():
    """An empty openpyxl workbook; hand it to ``workbook_bytes`` when it is filled."""
    from openpyxl import Workbook

    return Workbook()


def workbook_bytes(workbook) -> bytes:
    """The .xlsx of ``workbook`` with every text cell as text (see the module's docstring)."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # openpyxl made text that starts with "=" a formula
                    if starts_like_formula(cell.value):
                        cell.quotePrefix = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_cell(value: object) -> object:
    """A cell for ``csv.writer``: text that starts like a formula, or with the apostrophe itself
    (so that reading it back is exact), gets an apostrophe in front."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, CSV_QUOTE)):
        return CSV_QUOTE + value
    return value


def csv_cell_read(text: str) -> str:
    """The text ``csv_cell`` was given: its apostrophe taken off, and only that one."""
    if text.startswith(CSV_QUOTE) and text[1:].startswith((*FORMULA_STARTS, CSV_QUOTE)):
        return text[1:]
    return text


# What an Excel sheet title cannot hold ([ ] : * ? / \), nor control characters; at most 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f\x7f]")
SHEET_TITLE_LENGTH = 31


def sheet_title(text: object, taken: Iterable[str] = ()) -> str:
    """A sheet title made from ``text`` (a department's name, say) that Excel accepts: forbidden
    characters become "_", it is cut to 31 characters, not blank, and differs from the ``taken``
    titles (case-insensitively, as Excel compares them) by a number at its end (#10.6)."""
    title = _SHEET_FORBIDDEN.sub("_", str(text)).strip().strip("'") or "_"
    title = title[:SHEET_TITLE_LENGTH]
    used = {t.casefold() for t in taken}
    number, base = 1, title
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix
    return title
