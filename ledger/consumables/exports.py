"""The monthly running-costs table as the office posts it (每月公布科室电话费开支情况): PDF and Excel."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.styles import Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from agencies.conventions import number
from reporting import fonts
from reporting.disclosures.notice import register_font
from reporting.spreadsheets import new_workbook, workbook_bytes

from .queries import ExpenseTable


def expense_title(*, agency_name: str, table: ExpenseTable) -> str:
    return _("%(agency)s: telephone, meeting and reception costs by section, %(month)s") % {
        "agency": agency_name,
        "month": _("%(year)d-%(month)02d") % {"year": table.month.year, "month": table.month.month},
    }


def _rows(table: ExpenseTable) -> list[list]:
    header = [_("Section"), *table.kinds, _("Total")]
    body = [[row.label, *row.cells(), row.total] for row in table.rows]
    return [header, *body, [table.total.label, *table.total.cells(), table.total.total]]


def _money(value) -> str:
    return number(value, 2) if isinstance(value, Decimal) else str(value)


def expense_pdf(*, agency_name: str, table: ExpenseTable, footer: str) -> bytes:
    font = register_font()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, topMargin=30 * mm, leftMargin=25 * mm, rightMargin=25 * mm, initialFontName=font
    )
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=24, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=11, leading=16)
    cell = ParagraphStyle("cell", fontName=font, fontSize=10, leading=13)
    figure = ParagraphStyle("figure", parent=cell, alignment=2)
    # Paragraphs, so that a character the face lacks (− U+2212) is drawn in the fallback face.
    rows = [
        [
            Paragraph(fonts.markup(_money(value), font), figure if i and j else cell)
            for j, value in enumerate(row)
        ]
        for i, row in enumerate(_rows(table))
    ]
    grid = Table(rows, repeatRows=1, colWidths=[50 * mm] + [25 * mm] * (len(rows[0]) - 1))
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), font),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
            ]
        )
    )
    doc.build(
        [
            Paragraph(fonts.markup(expense_title(agency_name=agency_name, table=table), font), title),
            Spacer(1, 6 * mm),
            Paragraph(_("Unit: yuan"), body),
            Spacer(1, 2 * mm),
            grid,
            Spacer(1, 8 * mm),
            Paragraph(footer, body),
        ]
    )
    return buffer.getvalue()


def expense_workbook(*, agency_name: str, table: ExpenseTable) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = f"{table.month:%Y-%m}"
    ws.append([expense_title(agency_name=agency_name, table=table)])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([_("Unit: yuan")])
    for i, row in enumerate(_rows(table)):
        ws.append(row)
        if i == 0:
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
    ws.column_dimensions["A"].width = 24
    return workbook_bytes(wb)
