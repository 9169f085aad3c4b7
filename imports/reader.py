"""Safe reading of an uploaded ledger: size cap, real type by magic bytes, zip-bomb checks, parse.

Nothing here evaluates formulas or follows links: spreadsheets are read with python-calamine,
which returns the values Excel cached when the file was saved. Before calamine sees an .xlsx,
the archive is inspected (member count, declared and actual inflated size, compression ratios),
because neither calamine nor openpyxl caps memory while inflating.
"""

from __future__ import annotations

import codecs
import csv
import io
import operator
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from reporting.spreadsheets import CSV_QUOTE, csv_cell_read

MB = 1024 * 1024
DEFAULTS = {
    "IMPORT_MAX_UPLOAD_BYTES": 20 * MB,
    "IMPORT_MAX_ZIP_MEMBERS": 1000,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 300 * MB,
    "IMPORT_MAX_MEMBER_RATIO": 200,
    "IMPORT_MAX_TOTAL_RATIO": 100,
    # rows × columns of one sheet (and of all sheets together), measured before anything is built
    "IMPORT_MAX_CELLS": 2_000_000,
}

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and encrypted .xlsx, .doc …)
ZIP_MAGIC = b"PK\x03\x04"
UTF8_BOM = codecs.BOM_UTF8


def limit(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``message`` says why, in the active language."""

    def __init__(self, message, **params):
        super().__init__(message, params)
        self._message = message
        self.params = params

    @property
    def message(self) -> str:
        params = {
            name: filesizeformat(value) if name.endswith("size") else value
            for name, value in self.params.items()
        }
        return str(self._message) % params if params else str(self._message)

    def __str__(self) -> str:
        return self.message


@dataclass
class Sheet:
    """One table of raw cells; ``first_row`` is the spreadsheet row number of ``rows[0]``."""

    name: str
    rows: list[list] = field(default_factory=list)
    first_row: int = 1


def sniff_format(head: bytes) -> str:
    """ "xlsx" (any zip), "xls" (OLE2) or "csv" from the first bytes; anything else is refused."""
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "xls"
    if not head:
        raise ImportFileError(_("The file is empty."))
    if _looks_like_text(head):
        return "csv"
    raise ImportFileError(
        _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx, .xls) or a CSV file.")
    )


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    if any(byte < 32 and byte not in (9, 10, 13) for byte in head):
        return False
    stripped = head.removeprefix(UTF8_BOM).lstrip()
    # HTML, XML, PDF or RTF renamed to .csv
    return not (stripped[:1] == b"<" or stripped[:5] in (b"%PDF-", b"{\\rtf"))


def check_size(size: int) -> None:
    maximum = limit("IMPORT_MAX_UPLOAD_BYTES")
    if size > maximum:
        raise ImportFileError(
            _("The file is %(size)s; the limit is %(limit_size)s."), size=size, limit_size=maximum
        )


def inspect_zip(path: Path) -> None:
    """Refuse zip bombs and zips that are not workbooks, before any XML parser runs.

    The declared sizes are checked first (cheap); then every member is inflated as a stream,
    counting bytes, because a hostile archive can lie in its headers (zipfile stops at the declared
    size and checks the CRC, so a lie surfaces as an error rather than as memory).
    """
    bomb = _("The file expands to too much data to be a real ledger (a “zip bomb”); it was refused.")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise ImportFileError(_("The file is damaged: it is not a readable Excel workbook.")) from None
    with archive:
        members = archive.infolist()
        if len(members) > limit("IMPORT_MAX_ZIP_MEMBERS"):
            raise ImportFileError(bomb)
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names and "mimetype" not in names:
            raise ImportFileError(
                _("This file is not a spreadsheet. Upload an Excel workbook (.xlsx, .xls) or a CSV file.")
            )
        if "xl/workbook.xml" not in names:
            if {"xl/workbook.bin", "content.xml"} & names:
                # .xlsb and .ods: their sheets cannot be measured before a parser builds them
                raise ImportFileError(
                    _(
                        "This workbook format (.xlsb or .ods) is not accepted; "
                        "save it as .xlsx and upload it again."
                    )
                )
            raise ImportFileError(
                _("This file is a zip archive or an Office document, but not a spreadsheet.")
            )
        if any(member.flag_bits & 0x1 for member in members):
            raise ImportFileError(_("The workbook is password-protected; save it without a password."))

        max_total, member_ratio = limit("IMPORT_MAX_UNCOMPRESSED_BYTES"), limit("IMPORT_MAX_MEMBER_RATIO")
        declared = sum(member.file_size for member in members)
        compressed = sum(member.compress_size for member in members)
        if declared > max_total or declared > limit("IMPORT_MAX_TOTAL_RATIO") * max(compressed, 1):
            raise ImportFileError(bomb)
        for member in members:
            if member.file_size > member_ratio * max(member.compress_size, 1024):
                raise ImportFileError(bomb)

        inflated = 0
        extents = []
        try:
            for member in members:
                member_cap = min(member.file_size, member_ratio * max(member.compress_size, 1024))
                member_inflated = 0
                scanner = SheetExtent(member.filename) if _WORKSHEET_RE.match(member.filename) else None
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        member_inflated += len(chunk)
                        inflated += len(chunk)
                        if member_inflated > member_cap or inflated > max_total:
                            raise ImportFileError(bomb)
                        if scanner is not None:
                            scanner.feed(chunk)
                if scanner is not None:
                    scanner.close()
                    extents.append(scanner)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise ImportFileError(_("The file is damaged: it is not a readable Excel workbook.")) from None
    check_extents(extents)


_WORKSHEET_RE = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_TAG = rb"<(?:[A-Za-z_][\w.-]*:)?"  # a start tag, with or without a namespace prefix
_DIMENSION_RE = re.compile(_TAG + rb'dimension\b[^>]*?\bref="([^"]*)"')
_CELL_REF_RE = re.compile(_TAG + rb'c\b[^>]*?\br="\$?([A-Za-z]{1,4})\$?(\d{1,9})"')
_CELL_TAG_RE = re.compile(_TAG + rb"c[\s>/]")
_ROW_REF_RE = re.compile(_TAG + rb'row\b[^>]*?\br="(\d{1,9})"')
_ROW_OR_CELL_RE = re.compile(_TAG + rb"(row|c)\b([^>]*)>")
_R_ATTR_RE = re.compile(rb'\br="\$?([A-Za-z]{0,4})\$?(\d{1,9})"')
_REF_RE = re.compile(r"^\$?([A-Za-z]{1,4})\$?(\d{1,9})$")
# The form every writer we know uses (Excel, WPS, openpyxl, LibreOffice): no prefix, r first.
_PLAIN_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,9})"')
_PLAIN_ROW_RE = re.compile(rb'<row r="(\d{1,9})"')
_PLAIN_CELL_TAG_RE = re.compile(rb"<c[\s>/]")
_PLAIN_ROW_TAG_RE = re.compile(rb"<row[\s>/]")
_FIRST, _SECOND = operator.itemgetter(0), operator.itemgetter(1)


def column_number(letters: str | bytes) -> int:
    """``"A"`` → 1, ``"XFD"`` → 16,384."""
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + ord(letter) - 64
    return number


class SheetExtent:
    """The extent of one worksheet's XML, measured from the cells that exist, as it streams by.

    ``rows`` × ``columns`` is what a reader would build (calamine and ``to_python`` make the grid
    from A1 to the farthest cell); ``declared_*`` is what ``<dimension ref=…>`` claims. Cells
    carry their position (``r="XFD1048576"``) in every file Excel, WPS or openpyxl write, and two
    regular expressions over each chunk find the farthest one; once a cell without a position
    turns up, the rest of the sheet is walked tag by tag, counting positions the way readers do.
    """

    def __init__(self, name: str):
        self.name = name
        self.rows = self.columns = 0
        self.declared_rows = self.declared_columns = 0
        self._tail = b""
        self._walking = False
        self._row = self._column = 0

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        cut = data.rfind(b"<")
        if cut == -1:
            self._tail = b""
        else:
            data, self._tail = data[:cut], data[cut:]
        self._scan(data)

    def close(self) -> None:
        self._scan(self._tail)
        self._tail = b""

    def _scan(self, data: bytes) -> None:
        if not data:
            return
        if not self.declared_rows and (match := _DIMENSION_RE.search(data)):
            self._declare(match[1].decode("ascii", "replace"))
        if not self._walking and self._scan_plain(data):
            return
        row_refs = _ROW_REF_RE.findall(data)
        if row_refs:
            self.rows = max(self.rows, *map(int, row_refs))
        if not self._walking:
            refs = _CELL_REF_RE.findall(data)
            if refs:
                self.rows = max(self.rows, *map(int, (digits for _letters, digits in refs)))
                self.columns = max(
                    self.columns, *(column_number(letters) for letters in {r[0] for r in refs})
                )
            if len(_CELL_TAG_RE.findall(data)) == len(refs):
                return
            self._walking, self._row = True, self.rows  # a cell without a position: walk from here
        self._walk(data)

    def _scan_plain(self, data: bytes) -> bool:
        """The common case in a quarter of the time: every row and cell tag of the chunk is written
        ``<row r="5"`` / ``<c r="B5"`` (no namespace prefix, the position first). Counts nothing
        and returns False when any tag of the chunk is written otherwise (or ``:c``/``:row``
        appears anywhere): the general scan then reads the chunk."""
        if b":c" in data or b":row" in data:
            return False
        rows = _PLAIN_ROW_RE.findall(data)
        cells = _PLAIN_CELL_RE.findall(data)
        if len(rows) != len(_PLAIN_ROW_TAG_RE.findall(data)) or len(cells) != len(
            _PLAIN_CELL_TAG_RE.findall(data)
        ):
            return False
        # max() over map() and itemgetter keeps the per-cell work in C (a chunk holds ~60,000 cells)
        if rows:
            self.rows = max(self.rows, max(map(int, rows)))
        if cells:
            self.rows = max(self.rows, max(map(int, map(_SECOND, cells))))
            self.columns = max(self.columns, max(map(column_number, set(map(_FIRST, cells)))))
        return True

    def _walk(self, data: bytes) -> None:
        """Positions by order: a cell without ``r`` follows the previous one in its row, a row
        without ``r`` follows the previous row."""
        row, column = self._row, self._column
        for match in _ROW_OR_CELL_RE.finditer(data):
            ref = _R_ATTR_RE.search(match[2])
            if match[1] == b"row":
                row, column = (int(ref[2]) if ref else row + 1), 0
            elif ref and ref[1]:
                column, row = column_number(ref[1]), max(row, int(ref[2]))
            else:
                column += 1
                row = max(row, 1)
            self.columns = max(self.columns, column)
            self.rows = max(self.rows, row)
        self._row, self._column = row, column

    def _declare(self, ref: str) -> None:
        match = _REF_RE.match(ref.split(":")[-1])
        if match:
            self.declared_rows, self.declared_columns = int(match[2]), column_number(match[1])


def _too_big(rows: int, columns: int, *, declared: bool = False):
    maximum = limit("IMPORT_MAX_CELLS")
    params = {
        "rows": f"{rows:,}",
        "columns": f"{columns:,}",
        "cells": f"{rows * columns:,}",
        "limit": f"{maximum:,}",
    }
    if declared:
        message = _(
            "A worksheet declares %(rows)s rows × %(columns)s columns (%(cells)s cells); the limit is "
            "%(limit)s cells. Delete the empty rows and columns around the table (Ctrl+End shows where "
            "the sheet ends), save the file and upload it again."
        )
    else:
        message = _(
            "A worksheet spans %(rows)s rows × %(columns)s columns (%(cells)s cells); the limit is "
            "%(limit)s cells. Delete the empty rows and columns around the table (Ctrl+End shows where "
            "the sheet ends) or split the file, and upload it again."
        )
    return ImportFileError(message, **params)


def check_extent(rows: int, columns: int, *, declared_rows: int = 0, declared_columns: int = 0) -> int:
    """Refuse a sheet whose grid would exceed ``IMPORT_MAX_CELLS``; return its cell count."""
    maximum = limit("IMPORT_MAX_CELLS")
    if declared_rows * declared_columns > maximum:
        raise _too_big(declared_rows, declared_columns, declared=True)
    if rows * columns > maximum:
        raise _too_big(rows, columns)
    return rows * columns


def check_extents(extents) -> None:
    """Every sheet within the limit, and all of them together too (all are read)."""
    total = 0
    for extent in extents:
        total += check_extent(
            extent.rows,
            extent.columns,
            declared_rows=extent.declared_rows,
            declared_columns=extent.declared_columns,
        )
    maximum = limit("IMPORT_MAX_CELLS")
    if total > maximum:
        raise ImportFileError(
            _("The worksheets hold %(cells)s cells together; the limit is %(limit)s. Split the file."),
            cells=f"{total:,}",
            limit=f"{maximum:,}",
        )


def inspect_xls(path: Path) -> None:
    """Measure every sheet of an .xls from the cells it holds (xlrd, rows kept ragged: nothing is
    padded) and from the extent its DIMENSIONS record declares, before calamine builds the grid."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), on_demand=True, ragged_rows=True, formatting_info=False)
    except xlrd.biffh.XLRDError as error:
        if "encrypt" in str(error).lower():
            raise ImportFileError(
                _("The workbook is password-protected; save it without a password.")
            ) from None
        raise ImportFileError(
            _("This file could not be read as a spreadsheet. Open it in Excel and save it again as .xlsx.")
        ) from None
    except Exception:  # xlrd raises several unrelated types for a damaged file
        raise ImportFileError(
            _("This file could not be read as a spreadsheet. Open it in Excel and save it again as .xlsx.")
        ) from None
    extents = []
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            extent = SheetExtent(sheet.name)
            extent.rows = sheet.nrows
            extent.columns = max((sheet.row_len(row) for row in range(sheet.nrows)), default=0)
            extent.declared_rows = getattr(sheet, "_dimnrows", 0) or 0
            extent.declared_columns = getattr(sheet, "_dimncols", 0) or 0
            extents.append(extent)
            book.unload_sheet(index)
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(
            _("This file could not be read as a spreadsheet. Open it in Excel and save it again as .xlsx.")
        ) from None
    finally:
        book.release_resources()
    check_extents(extents)


def read_workbook(path: str | Path) -> list[Sheet]:
    """Every sheet of the file at ``path`` as raw cells, after the safety checks."""
    path = Path(path)
    check_size(path.stat().st_size)
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = sniff_format(head)
    if kind == "csv":
        return [read_csv(path)]
    if kind == "xlsx":
        inspect_zip(path)
    else:
        inspect_xls(path)
    return _read_calamine(path)


def _read_calamine(path: Path) -> list[Sheet]:
    import python_calamine

    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise ImportFileError(_("The workbook is password-protected; save it without a password.")) from None
    except Exception:  # calamine raises several unrelated types for a damaged or foreign file
        raise ImportFileError(
            _("This file could not be read as a spreadsheet. Open it in Excel and save it again as .xlsx.")
        ) from None
    sheets = []
    with workbook:
        for meta in workbook.sheets_metadata:
            if (
                meta.typ != python_calamine.SheetTypeEnum.WorkSheet
                or meta.visible != python_calamine.SheetVisibleEnum.Visible
            ):
                continue
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
            except Exception:
                raise ImportFileError(
                    _(
                        "This file could not be read as a spreadsheet. "
                        "Open it in Excel and save it again as .xlsx."
                    )
                ) from None
            sheets.append(Sheet(name=meta.name, rows=rows, first_row=1))
    if not sheets:
        raise ImportFileError(_("The workbook has no visible worksheet."))
    return sheets


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — a superset of GBK and GB2312 that Excel uses on
    Chinese Windows when it saves "CSV"."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The CSV file is neither UTF-8 nor GBK text."))


def read_csv(path: Path) -> Sheet:
    text = decode_text(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    # A CSV holds the cells it writes (rows are not padded): at most one per delimiter and line.
    cells = text.count(delimiter) + text.count("\n") + 1
    maximum = limit("IMPORT_MAX_CELLS")
    if cells > maximum:
        raise ImportFileError(
            _("The CSV file holds up to %(cells)s cells; the limit is %(limit)s. Split the file."),
            cells=f"{cells:,}",
            limit=f"{maximum:,}",
        )
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(_("The CSV file is malformed and could not be read.")) from None
    if CSV_QUOTE in text:  # the apostrophe a CSV export puts before text that starts like a formula
        rows = [[csv_cell_read(cell) for cell in row] for row in rows]
    return Sheet(name="", rows=rows, first_row=1)  # a CSV has no worksheet name worth showing
