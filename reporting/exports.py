"""Excel exports (openpyxl, Chinese headers): a disclosure and the consumption statistics ledger."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from agencies.models import Agency, Department

from .models import Disclosure, MonthlyFigure
from .notice import STATUS_NAMES
from .periods import months_of_year
from .registry import indicators

BOLD = Font(bold=True)


def _num(value):
    return None if value is None else Decimal(value)


def _finish(ws, widths):
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    for cell in ws[ws.min_row + 1 if ws.max_row > 1 else 1]:
        cell.alignment = Alignment(wrap_text=True)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def disclosure_workbook(*, disclosure: Disclosure) -> bytes:
    data = disclosure.data
    wb = Workbook()
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
    header = [
        "指标", "单位", "本季度", "本年累计", "基准年", "基准年同期累计", "较基准年(%)", "上年同期本季度",
        "上年同期累计", "较上年(%)", "人均本年累计", "人均较基准年(%)", "单位面积本年累计", "目标降幅(%)",
        "目标评价",
    ]  # fmt: skip
    ws.append(header)
    for cell in ws[3]:
        cell.font = BOLD
    for item in data.get("indicators", []):
        pc, pa, target = item.get("per_capita") or {}, item.get("per_area") or {}, item.get("target") or {}
        ws.append(
            [
                ("　" if item.get("parent") else "") + item["name"],
                item["unit"],
                _num(item["quarter"]),
                _num(item["ytd"]),
                item["baseline_year"],
                _num(item["baseline_ytd"]),
                _num(item["change_ytd_vs_baseline"]),
                _num(item["last_year_quarter"]),
                _num(item["last_year_ytd"]),
                _num(item["change_ytd_vs_last_year"]),
                _num(pc.get("ytd")),
                _num(pc.get("change")),
                _num(pa.get("ytd")),
                _num(target.get("percent")),
                STATUS_NAMES.get(target.get("status"), ""),
            ]
        )
    _finish(ws, [22, 8] + [14] * 13)
    return _save(wb)


def consumption_ledger_workbook(*, agency: Agency, year: int) -> bytes:
    """能源资源消费统计台账: per indicator and month, agency totals, then by department."""
    registered = indicators()
    months = months_of_year(year)
    rows = MonthlyFigure.objects.filter(
        agency=agency, month__in=months, indicator__in=[i.key for i in registered]
    ).values_list("department_id", "indicator", "month", "value")
    values: dict[tuple, dict] = defaultdict(dict)
    for department_id, key, month, value in rows:
        values[(department_id, key)][month] = value
    wb = Workbook()
    ws = wb.active
    ws.title = "全局合计"
    title = f"{agency.name} {year}年能源资源消费统计台账"
    header = ["指标", "单位", *[f"{m.month}月" for m in months], "全年合计"]

    def sheet(ws, department_id):
        ws.append([title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append(header)
        for cell in ws[2]:
            cell.font = BOLD
        for indicator in registered:
            series = values.get((department_id, indicator.key), {})
            if department_id is not None and not series:
                continue
            cells = [series.get(m) for m in months]
            present = [v for v in cells if v is not None]
            name = ("　" if indicator.parent else "") + str(indicator.name)
            ws.append([name, str(indicator.unit), *cells, sum(present) if present else None])
        _finish(ws, [22, 8] + [11] * 13)

    sheet(ws, None)
    departments = Department.objects.filter(pk__in={d for d, _k in values if d is not None}).order_by(
        "sort_order", "name"
    )
    for department in departments:
        sheet(wb.create_sheet(department.name[:31]), department.pk)
    return _save(wb)
