"""Demo data of the ledger: the bureau's meters with month-end readings from 2019 to the demo's
last month (the last complete month before today), and a few of LYSJ.

The bureau sits on floors 7–8 (east) of a shared building: its main electricity meter is the
building's, apportioned (share 0.35, CT ratio 40); sub-meters measure air conditioning, lighting
and sockets and two sections' zones. Usage falls about 5 % a year in 2020 and 2021, then less
each year, with summer and winter peaks. In October 2026 a leaking valve in the tea room shows
as an abnormal water reading the clerk confirmed and the manager has not reviewed yet.
Idempotent: meters are matched by code and only missing readings and bills are added, so a
re-run in a later month adds the months since.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from simple_history.utils import bulk_create_with_history

from agencies.demo import DEMO_FIRST_MONTH, DemoContext, DemoPeriod, register_demo
from agencies.models import Department
from reporting import writes

from .indicators import LEDGER_KEYS
from .models import Bill, Meter, Reading, ReadingSource
from .usage import month_end

# Usage of each year against the year before: the seed's 5 % in 2020 and 2021, then smaller
# steps as the easy savings are made; later years keep the last step.
YEAR_ON_YEAR = {2020: Decimal("0.95"), 2021: Decimal("0.95"), 2022: Decimal("0.97"), 2023: Decimal("0.97")}
LATER_YEARS = Decimal("0.975")
# The tea room's valve leaked in October 2026: (meter code, month, extra dial units).
LEAK = ("W-01", date(2026, 10, 1), Decimal(96))
LEAK_NOTE = "茶水间阀门漏水，已报修"
# Electricity by month: air conditioning in summer and winter, lighting longer in winter.
SEASON = [1.25, 1.1, 0.9, 0.8, 0.85, 1.1, 1.35, 1.35, 1.0, 0.8, 0.9, 1.2]
AC_SEASON = [1.6, 1.3, 0.5, 0.2, 0.4, 1.3, 2.0, 2.0, 1.0, 0.3, 0.7, 1.5]
WATER_SEASON = [0.9, 0.7, 1.0, 1.0, 1.05, 1.15, 1.2, 1.15, 1.05, 0.95, 1.0, 0.9]


def _noise(code: str, month: date) -> Decimal:
    """A fixed ±2 % wobble per meter and month, so re-running gives the same numbers."""
    digest = hashlib.sha256(f"{code}{month}".encode()).digest()[0]
    return Decimal(1) + (Decimal(digest) / 255 - Decimal("0.5")) * Decimal("0.04")


def year_factor(year: int) -> Decimal:
    """Usage of ``year`` relative to 2019 (the product of the year-on-year steps)."""
    factor = Decimal(1)
    for y in range(DEMO_FIRST_MONTH.year + 1, year + 1):
        factor *= YEAR_ON_YEAR.get(y, LATER_YEARS)
    return factor


def _monthly(code: str, base: Decimal, season: list[float], period: DemoPeriod) -> list[tuple[date, Decimal]]:
    """Dial usage per month (before multiplier and share) over the demo's period."""
    usage = []
    for month in period.months:
        factor = year_factor(month.year) * Decimal(str(season[month.month - 1])) * _noise(code, month)
        used = (base * factor).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        if (code, month) == LEAK[:2]:
            used += LEAK[2]
        usage.append((month, used))
    return usage


def _meter(agency, code: str, **fields) -> Meter:
    meter, _created = Meter.objects.update_or_create(agency=agency, code=code, defaults=fields)
    return meter


def _readings(meter: Meter, start: Decimal, monthly: list[tuple[date, Decimal]], by) -> None:
    """Month-end readings: the dial before 2019 and after each month (missing ones only).

    Once someone has entered a reading of the meter by hand (the round, a form, an import), the
    meter is theirs: the demo adds nothing more to it, so it never writes around a real reading."""
    if meter.readings.exclude(source=ReadingSource.DEMO).exists():
        return
    have = set(meter.readings.values_list("date", flat=True))
    value, rows = start, [(date(DEMO_FIRST_MONTH.year - 1, 12, 31), start)]
    for month, used in monthly:
        value += used
        rows.append((month_end(month), value))
    new = [
        Reading(meter=meter, date=day, value=v, source=ReadingSource.DEMO, created_by=by)
        for day, v in rows
        if day not in have
    ]
    for reading in new:
        if (meter.code, reading.date.replace(day=1)) == LEAK[:2]:
            reading.is_abnormal, reading.confirmed_by, reading.note = True, by, LEAK_NOTE
    if new:
        bulk_create_with_history(new, Reading, batch_size=500, default_user=by)


def _quarterly_bills(meter: Meter, monthly: list[tuple[date, Decimal]], price: Decimal, by) -> None:
    """The utility's quarterly bills of the complete quarters: quantity from the readings ×
    multiplier × share, at ``price`` (missing quarters only)."""
    have = set(meter.bills.values_list("period_start", flat=True))
    factor = meter.multiplier * meter.share
    bills = []
    for first in range(0, len(monthly), 3):
        quarter = monthly[first : first + 3]
        if len(quarter) < 3 or quarter[0][0] in have:
            continue
        quantity = sum((used for _m, used in quarter), Decimal(0)) * factor
        bills.append(
            Bill(
                meter=meter,
                period_start=quarter[0][0],
                period_end=month_end(quarter[-1][0]),
                quantity=quantity.quantize(Decimal("0.001")),
                amount=(quantity * price).quantize(Decimal("0.01")),
                invoice_number=f"{meter.code}-{quarter[0][0]:%Y%m}",
                created_by=by,
            )
        )
    if bills:
        bulk_create_with_history(bills, Bill, batch_size=100, default_user=by)


def _bureau(ctx: DemoContext) -> None:
    bureau, period = ctx.agencies["LYYB"], ctx.period
    clerk = ctx.users.get("clerk")
    office = Department.objects.get(agency=bureau, name="办公室")
    finance = Department.objects.get(agency=bureau, name="规划财务科")
    # About 120,000 kWh a year for the bureau: 10,000 kWh a month ≈ 714 dial units × 40 × 0.35.
    main = _meter(
        bureau,
        "E-01",
        name="7-8层东侧电总表（楼宇分摊）",
        kind="electricity",
        location="7-8层东侧",
        multiplier=Decimal(40),
        share=Decimal("0.35"),
        dial_digits=6,
        installed_on=date(2015, 6, 1),
    )
    ac = _meter(
        bureau,
        "E-01-AC",
        name="空调分表",
        kind="electricity",
        parent=main,
        item="air_conditioning",
        location="7-8层空调机房",
        multiplier=Decimal(10),
        dial_digits=6,
        installed_on=date(2018, 1, 1),
    )
    lights = _meter(
        bureau,
        "E-01-LS",
        name="照明插座分表",
        kind="electricity",
        parent=main,
        item="lighting_sockets",
        location="7-8层配电箱",
        dial_digits=6,
        installed_on=date(2018, 1, 1),
    )
    office_zone = _meter(
        bureau,
        "E-01-BGS",
        name="办公室分区表",
        kind="electricity",
        parent=main,
        department=office,
        location="7层东",
        dial_digits=6,
        installed_on=date(2018, 1, 1),
    )
    finance_zone = _meter(
        bureau,
        "E-01-CW",
        name="规划财务科分区表",
        kind="electricity",
        parent=main,
        department=finance,
        location="8层东",
        dial_digits=6,
        installed_on=date(2018, 1, 1),
    )
    water = _meter(
        bureau,
        "W-01",
        name="7-8层水表",
        kind="water",
        location="7层茶水间",
        department=office,
        dial_digits=5,
        installed_on=date(2015, 6, 1),
    )
    main_usage = _monthly(main.code, Decimal(714), SEASON, period)
    _readings(main, Decimal("182340"), main_usage, clerk)
    _readings(ac, Decimal("30210"), _monthly(ac.code, Decimal(400), AC_SEASON, period), clerk)
    _readings(lights, Decimal("51200"), _monthly(lights.code, Decimal(3500), SEASON, period), clerk)
    _readings(office_zone, Decimal("12050"), _monthly(office_zone.code, Decimal(1300), SEASON, period), clerk)
    _readings(
        finance_zone, Decimal("9080"), _monthly(finance_zone.code, Decimal(1050), SEASON, period), clerk
    )
    water_usage = _monthly(water.code, Decimal(62), WATER_SEASON, period)
    _readings(water, Decimal("4520"), water_usage, clerk)
    _quarterly_bills(main, main_usage, Decimal("0.7650"), clerk)
    _quarterly_bills(water, water_usage, Decimal("4.40"), clerk)


def _audit_bureau(ctx: DemoContext) -> None:
    agency, period = ctx.agencies["LYSJ"], ctx.period
    main = _meter(
        agency,
        "E-1",
        name="审计局电总表",
        kind="electricity",
        location="办公楼",
        dial_digits=6,
        multiplier=Decimal(20),
        installed_on=date(2016, 1, 1),
    )
    water = _meter(
        agency,
        "W-1",
        name="审计局水表",
        kind="water",
        location="办公楼",
        dial_digits=5,
        installed_on=date(2016, 1, 1),
    )
    _readings(main, Decimal("80400"), _monthly(main.code, Decimal(430), SEASON, period), None)
    _readings(water, Decimal("2210"), _monthly(water.code, Decimal(48), WATER_SEASON, period), None)


@register_demo(order=20)
def seed_ledger(ctx: DemoContext) -> None:
    _bureau(ctx)
    _audit_bureau(ctx)
    agencies = [ctx.agencies["LYYB"].pk, ctx.agencies["LYSJ"].pk]
    written = writes.refresh_now(agency_ids=agencies, months=ctx.period.months, indicators=LEDGER_KEYS)
    ctx.notes.append(
        f"Ledger: {Meter.objects.filter(agency_id__in=agencies).count()} meters, "
        f"{written} monthly figures for {ctx.period}."
    )


# Office consumables register their demo seeder in their own module.
from .consumables import demo as consumables_demo  # noqa: E402, F401
