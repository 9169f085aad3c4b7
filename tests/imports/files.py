"""Builders of ledger files for the import tests: real-looking, messy, broken or hostile."""

import csv
import io
import zipfile
from pathlib import Path

import openpyxl


def xlsx(path: Path, rows: list[list], *, title: str | None = None, merge_title_over: int = 0) -> Path:
    """An .xlsx with optional title row(s) above the header, like the ledgers managers keep."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "台账"
    if title:
        sheet.append([title])
        if merge_title_over:
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=merge_title_over)
        sheet.append([])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def xls(path: Path, rows: list[list]) -> Path:
    """An old-style BIFF8 .xls (xlwt writes them; nothing in the runtime set does)."""
    import datetime as dt

    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("台账")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(r, c, value, date_style)
            else:
                sheet.write(r, c, value)
    workbook.save(str(path))
    return path


def csv_file(path: Path, rows: list[list], *, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def zip_bomb(path: Path, inflated_mb: int = 420) -> Path:
    """A ~0.4 MB "workbook" whose sheet inflates to ``inflated_mb`` MB of XML-ish filler."""
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(inflated_mb):
                member.write(chunk)
    return path


_SPARSE_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type='
        '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        "</Relationships>"
    ),
}


def sparse_xlsx(
    path: Path, cells: dict[str, object], *, dimension: str | None = None, refs: bool = True
) -> Path:
    """A hand-written .xlsx of a few cells (``{"A1": "表号", "XFD1048576": 1}``): a couple of KB
    however far apart the cells sit. ``dimension`` writes a ``<dimension ref=…>`` (true or not);
    ``refs=False`` leaves the ``r`` attributes out, as some generators do (position by order)."""
    import re

    by_row: dict[int, list[tuple[str, object]]] = {}
    for ref, value in cells.items():
        digits = re.fullmatch(r"[A-Z]+(\d+)", ref)[1]
        by_row.setdefault(int(digits), []).append((ref, value))
    xml_rows = []
    for row in sorted(by_row):
        xml_cells = []
        for ref, value in by_row[row]:
            attr = f' r="{ref}"' if refs else ""
            if isinstance(value, str):
                xml_cells.append(f'<c{attr} t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                xml_cells.append(f"<c{attr}><v>{value}</v></c>")
        row_attr = f' r="{row}"' if refs else ""
        xml_rows.append(f"<row{row_attr}>{''.join(xml_cells)}</row>")
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{dim}<sheetData>{''.join(xml_rows)}</sheetData></worksheet>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _SPARSE_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def sparse_xls(path: Path, cells: dict[tuple[int, int], object]) -> Path:
    """An .xls with cells at (row, column) positions, 0-based: a few KB however far apart."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("台账")
    for (row, column), value in cells.items():
        sheet.write(row, column, value)
    workbook.save(str(path))
    return path
