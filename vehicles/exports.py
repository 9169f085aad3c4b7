"""The monthly fuel accounting of every vehicle a user may see, as an .xlsx: one row per vehicle and
month of a year, with the year's total per vehicle. Text cells (plates, sections, makes) go
through the one spreadsheet helper (``reporting.spreadsheets``), so that none is read as a formula."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .accounting import account, monthly
from .queries import accounted_fills, log_rows, vehicle_rows


def _number(value: Decimal | None, places: int) -> float | None:
    return None if value is None else float(round(value, places))


def accounting_workbook(vehicles, year: int, *, departments: dict[int, str]) -> bytes:
    """``vehicles``: a scoped Vehicle queryset."""
    from reporting.spreadsheets import new_workbook, workbook_bytes

    rows = vehicle_rows(vehicles)
    months = [date(year, m, 1) for m in range(1, 13)]
    logs = log_rows([v.pk for v in rows], upto=date(year, 12, 31))
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = f"{year}"
    sheet.append([_("Fuel accounting per vehicle") + f" {year}"])
    sheet.append(
        [
            _("vehicle"),
            _("department"),
            _("month"),
            _("kilometres"),
            _("fuel of the spans"),
            _("per 100 km"),
            _("standard"),
            _("over standard") + " %",
            _("fuel bought"),
            _("cost (yuan)"),
            _("partial fills carried"),
        ]
    )
    for vehicle in rows:
        fills = accounted_fills(vehicle, logs.get(vehicle.pk, []))
        department = departments.get(vehicle.department_id, "")
        by_month = monthly(fills, months, standard=vehicle.standard)
        for month in months:
            a = by_month[month]
            sheet.append(_row(vehicle.plate, department, f"{month:%Y-%m}", a, vehicle.standard))
        sheet.append(
            _row(
                vehicle.plate,
                department,
                str(year),
                account(fills, months, standard=vehicle.standard),
                vehicle.standard,
            )
        )
    return workbook_bytes(workbook)


def _row(plate: str, department: str, period: str, a, standard: Decimal) -> list:
    return [
        plate,
        department,
        period,
        _number(a.distance, 1),
        _number(a.quantity, 2),
        _number(a.rate, 2),
        _number(standard, 2),
        _number(a.over, 1),
        _number(a.bought, 2),
        _number(a.cost, 2),
        a.partial_fills,
    ]
