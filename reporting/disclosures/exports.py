"""The Excel export of a disclosure (openpyxl, Chinese headers)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from ..models import Disclosure
from ..spreadsheets import new_workbook, workbook_bytes
from .notice import STATUS_NAMES
from .snapshot import snapshot_items

BOLD = Font(bold=True)


def _num(value):
    return None if value is None else Decimal(value)


def finish(ws, widths):
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[ws.min_row + 1 if ws.max_row > 1 else 1]:
        cell.alignment = Alignment(wrap_text=True)


def disclosure_workbook(*, disclosure: Disclosure) -> bytes:
    data = disclosure.data
    wb = new_workbook()
    ws = wb.active
    ws.title = f"{disclosure.year}Q{disclosure.quarter}"
    ws.append([f"{data.get('agency', '')} {disclosure.year}年第{disclosure.quarter}季度能源资源消耗情况公示"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(
        [
            f"版本 {disclosure.version}　状态 {disclosure.get_status_display()}"
            f"　用能人数 {data.get('headcount')}"
        ]
    )
    items = snapshot_items(data)
    # a baseline that is last year would print the same figures twice: one pair of columns then
    last_year = any(item["baseline_year"] != disclosure.year - 1 for item in items)
    header = ["指标", "单位", "本季度", "本年累计", "基准年", "基准年同期累计", "较基准年(%)"]
    header += ["上年同期本季度", "上年同期累计", "较上年(%)"] if last_year else []
    header += ["目标口径", "目标降幅(%)", "目标评价"]
    ws.append(header)
    for cell in ws[3]:
        cell.font = BOLD
    for item in items:
        target = item.get("target") or {}
        row = [
            ("　" if item.get("parent") else "") + item["name"],
            item["unit"],
            _num(item["quarter"]),
            _num(item["ytd"]),
            item["baseline_year"],
            _num(item["baseline_ytd"]),
            _num(item["change_ytd_vs_baseline"]),
        ]
        if last_year:
            row += [
                _num(item["last_year_quarter"]),
                _num(item["last_year_ytd"]),
                _num(item["change_ytd_vs_last_year"]),
            ]
        row += [
            (target.get("basis_name") or "总量") if target else None,
            _num(target.get("percent")),
            STATUS_NAMES.get(target.get("status"), ""),
        ]
        ws.append(row)
        for base in item.get("bases", []):  # per capita, per m², per vehicle … (人均、单位面积、单车)
            ws.append(
                [
                    f"　{base['name']}{item['name']}",
                    base["unit"],
                    _num(base["quarter"]),
                    _num(base["ytd"]),
                    item["baseline_year"],
                    _num(base["baseline_ytd"]),
                    _num(base["change"]),
                ]
            )
    finish(ws, [24, 10] + [14] * (len(header) - 2))
    return workbook_bytes(wb)
