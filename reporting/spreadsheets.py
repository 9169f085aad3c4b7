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

Most workbooks are built with openpyxl and saved by ``workbook_bytes``. A report that is only a
table of text and numbers with a bold heading — the consumption statistics ledger, downloaded many
times a day — is written by ``table_workbook_bytes`` instead: the same cells, styles and widths as
openpyxl writes, in about a tenth of the time (openpyxl serialises every cell through
ElementTree and each worksheet through a temporary file: ~50 ms for an 8-sheet ledger).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

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


# --- tables of values, written directly ------------------------------------------------------------


@dataclass(frozen=True)
class CellStyle:
    """What a table's cell may carry besides its value."""

    bold: bool = False
    size: float | None = None  # points; None is the workbook's 11
    wrap: bool = False


@dataclass
class Table:
    """One worksheet for ``table_workbook_bytes``: rows of values (text, numbers, None), a style
    for some rows (index from 0: every cell the row holds) and the columns' widths."""

    title: str
    rows: list[list[object]] = field(default_factory=list)
    row_styles: dict[int, CellStyle] = field(default_factory=dict)
    widths: list[float] = field(default_factory=list)


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
# Characters XML 1.0 cannot hold even escaped: written as Excel's own _xHHHH_ escape.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    text = escape(_XML_ILLEGAL.sub(lambda m: f"_x{ord(m[0]):04X}_", value))
    space = ' xml:space="preserve"' if value != value.strip() else ""
    return f"<is><t{space}>{text}</t></is>"


class _Styles:
    """The workbook's cell formats: index 0 is the default; one more per (style, quote prefix)."""

    def __init__(self):
        self.fonts: list[tuple[bool, float | None]] = [(False, None)]
        self.formats: list[tuple[int, bool, bool]] = [(0, False, False)]  # (font, wrap, quote prefix)

    def index(self, style: CellStyle | None, quote_prefix: bool) -> int:
        style = style or CellStyle()
        font = (style.bold, style.size)
        if font not in self.fonts:
            self.fonts.append(font)
        key = (self.fonts.index(font), style.wrap, quote_prefix)
        if key not in self.formats:
            self.formats.append(key)
        return self.formats.index(key)

    def xml(self) -> str:
        # the default font as openpyxl writes it, then each style's own (a bold font names no
        # size or face of its own: Excel gives it the default's, as for openpyxl's Font(bold=True))
        fonts = ['<font><name val="Calibri"/><family val="2"/><sz val="11"/></font>']
        for bold, size in self.fonts[1:]:
            weight = "<b/>" if bold else ""
            points = f'<sz val="{size:g}"/>' if size else ""
            fonts.append(f"<font>{weight}{points}</font>")
        formats = []
        for font, wrap, quote_prefix in self.formats:
            attributes = f'numFmtId="0" fontId="{font}" fillId="0" borderId="0" xfId="0"'
            attributes += ' applyFont="1"' if font else ""
            attributes += ' quotePrefix="1"' if quote_prefix else ""
            if wrap:
                formats.append(f'<xf {attributes} applyAlignment="1"><alignment wrapText="1"/></xf>')
            else:
                formats.append(f"<xf {attributes}/>")
        return (
            f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="{len(fonts)}">{"".join(fonts)}</fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(formats)}">{"".join(formats)}</cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        )


def _sheet_xml(table: Table, styles: _Styles) -> str:
    width = max((len(row) for row in table.rows), default=0)
    parts = [f'{_XML}<worksheet xmlns="{_MAIN}">']
    if table.rows and width:
        parts.append(f'<dimension ref="A1:{get_column_letter(width)}{len(table.rows)}"/>')
    if table.widths:
        parts.append("<cols>")
        for number, column_width in enumerate(table.widths, start=1):
            parts.append(f'<col min="{number}" max="{number}" width="{column_width:g}" customWidth="1"/>')
        parts.append("</cols>")
    parts.append("<sheetData>")
    letters = [get_column_letter(n) for n in range(1, width + 1)]
    for index, row in enumerate(table.rows):
        number = index + 1
        style = table.row_styles.get(index)
        plain = styles.index(style, False) if style else 0
        parts.append(f'<row r="{number}">')
        for letter, value in zip(letters, row, strict=False):
            ref = f"{letter}{number}"
            s = f' s="{plain}"' if plain else ""
            if value is None or value == "":
                if plain:
                    parts.append(f'<c r="{ref}"{s}/>')
            elif isinstance(value, str):
                if starts_like_formula(value):  # text, never a formula: the quote prefix keeps it so
                    s = f' s="{styles.index(style, True)}"'
                parts.append(f'<c r="{ref}"{s} t="inlineStr">{_text(value)}</c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | Decimal):
                number_text = f"{float(value):.16g}"  # as openpyxl writes numbers
                if number_text in ("nan", "inf", "-inf"):
                    parts.append(f'<c r="{ref}"{s}/>')
                else:
                    parts.append(f'<c r="{ref}"{s} t="n"><v>{number_text}</v></c>')
            else:
                raise TypeError(f"table_workbook_bytes writes text and numbers, not {type(value).__name__}")
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def table_workbook_bytes(tables: list[Table]) -> bytes:
    """An .xlsx of ``tables``, a worksheet each; text is text, never a formula (see above)."""
    styles = _Styles()
    sheets = [_sheet_xml(table, styles) for table in tables]
    count = len(tables)
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    content_types = (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{overrides}</Types>"
    )
    package_rels = (
        f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" Type="{_RELS}/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_entries = "".join(
        f'<sheet name={quoteattr(table.title)} sheetId="{n}" r:id="rId{n}"/>'
        for n, table in enumerate(tables, start=1)
    )
    workbook = (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheet_entries}</sheets></workbook>'
    )
    workbook_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, count + 1)
    )
    workbook_rels = (
        f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">{workbook_rels}<Relationship Id="rId{count + 1}" '
        f'Type="{_RELS}/styles" Target="styles.xml"/></Relationships>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", styles.xml())
        for n, sheet in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", sheet)
    return buffer.getvalue()
