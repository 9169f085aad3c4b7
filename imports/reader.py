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
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
DEFAULTS = {
    "IMPORT_MAX_UPLOAD_BYTES": 20 * MB,
    "IMPORT_MAX_ZIP_MEMBERS": 1000,
    "IMPORT_MAX_UNCOMPRESSED_BYTES": 300 * MB,
    "IMPORT_MAX_MEMBER_RATIO": 200,
    "IMPORT_MAX_TOTAL_RATIO": 100,
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
        if not ({"xl/workbook.xml", "xl/workbook.bin", "content.xml"} & names):
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
        try:
            for member in members:
                member_cap = min(member.file_size, member_ratio * max(member.compress_size, 1024))
                member_inflated = 0
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        member_inflated += len(chunk)
                        inflated += len(chunk)
                        if member_inflated > member_cap or inflated > max_total:
                            raise ImportFileError(bomb)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise ImportFileError(_("The file is damaged: it is not a readable Excel workbook.")) from None


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
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(_("The CSV file is malformed and could not be read.")) from None
    return Sheet(name="", rows=rows, first_row=1)  # a CSV has no worksheet name worth showing
