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
