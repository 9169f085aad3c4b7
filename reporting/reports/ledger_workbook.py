"""The consumption statistics ledger (能源资源消费统计台账) as an Excel workbook."""

from __future__ import annotations

from collections import defaultdict

from agencies import conventions
from agencies.models import Agency, Department

from ..figures.read import monthly_values, period_value
from ..periods import months_of_year
from ..registry import indicators
from ..spreadsheets import CellStyle, Table, sheet_title, table_workbook_bytes

TITLE = CellStyle(bold=True, size=14)
HEADER = CellStyle(bold=True, wrap=True)
WIDTHS = [22, 8] + [11] * 13


def consumption_ledger_workbook(*, agency: Agency, year: int) -> bytes:
    """能源资源消费统计台账: per indicator and month, agency totals, then by department."""
    registered = indicators()
    months = months_of_year(year)
    rows = monthly_values(
        agency_ids=[agency.pk], keys=[i.key for i in registered], months=months, departments=True
    )
    values: dict[int | None, dict] = defaultdict(dict)  # department → {(indicator, month): value}
    for (_agency, department_id, key, month), value in rows.items():
        values[department_id][(key, month)] = value
    title = f"{agency.name} {year}年能源资源消费统计台账"
    header = ["指标", "单位", *[f"{m.month}月" for m in months], "全年合计"]

    def table(name: str, department_id: int | None) -> Table:
        lines: list[list] = [[title], header]
        monthly = values.get(department_id, {})
        for indicator in registered:
            cells = [monthly.get((indicator.key, m)) for m in months]
            if department_id is not None and all(v is None for v in cells):
                continue
            label = ("　" if indicator.parent else "") + str(indicator.name)
            # the year of a ratio (L/100 km, a share) divides the year's sums, never adds months
            year_value = period_value(indicator, monthly, months)
            lines.append([label, conventions.unit_label(indicator.unit), *cells, year_value])
        return Table(name, lines, row_styles={0: TITLE, 1: HEADER}, widths=WIDTHS)

    tables = [table("全局合计", None)]
    departments = Department.objects.filter(pk__in={d for d in values if d is not None}).order_by(
        "sort_order", "name"
    )
    for department in departments:
        tables.append(table(sheet_title(department.name, [t.title for t in tables]), department.pk))
    return table_workbook_bytes(tables)
