"""The consumption statistics ledger (能源资源消费统计台账) as an Excel workbook."""

from __future__ import annotations

from collections import defaultdict

from openpyxl import Workbook
from openpyxl.styles import Font

from agencies.models import Agency, Department

from ..disclosures.exports import BOLD, finish, save
from ..models import MonthlyFigure
from ..periods import months_of_year
from ..registry import indicators


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
        finish(ws, [22, 8] + [11] * 13)

    sheet(ws, None)
    departments = Department.objects.filter(pk__in={d for d, _k in values if d is not None}).order_by(
        "sort_order", "name"
    )
    for department in departments:
        sheet(wb.create_sheet(department.name[:31]), department.pk)
    return save(wb)
