"""Demo data: the seed's bureau, two more agencies and one user per role.

Each app that has demo data provides a ``demo.py`` that registers a seeder here; ``seed_demo``
discovers them and runs them in order. Every seeder must be idempotent (re-running adds nothing)
and covers ``ctx.period``: from the seed's 2019 baseline to the last complete month before
today, so that re-running the demo in a later month extends every ledger up to that month.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from .models import Agency, AgencyYear, Department, Membership, Role

DEMO_PASSWORD = "linyi-demo-2020"  # demo only; printed by seed_demo
DEMO_FIRST_MONTH = date(2019, 1, 1)  # the seed's baseline year (2019 year-end statistics)


@dataclass(frozen=True)
class DemoPeriod:
    """The months the demo covers: 2019-01 up to the last complete month before ``today``.

    Every app's demo seeder uses it (``ctx.period``) so that all ledgers stop at the same month:
    on 2026-11-30 that is 2026-10, and this month (2026-11) is left for the user's own round.
    """

    today: date
    first: date = DEMO_FIRST_MONTH

    @property
    def last(self) -> date:
        """The first day of the last complete month (the month before ``today``'s)."""
        return (
            date(self.today.year - 1, 12, 1)
            if self.today.month == 1
            else self.today.replace(month=self.today.month - 1, day=1)
        )

    @property
    def last_day(self) -> date:
        """The last day of the last complete month (a month-end reading's date)."""
        return self.last.replace(day=calendar.monthrange(self.last.year, self.last.month)[1])

    @property
    def current_month(self) -> date:
        """The first day of ``today``'s month: the month whose work is still to be done."""
        return self.today.replace(day=1)

    @property
    def months(self) -> list[date]:
        """First-of-month dates from ``first`` to ``last``, oldest first."""
        months, month = [], self.first
        while month <= self.last:
            months.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return months

    @property
    def years(self) -> list[int]:
        """Every year the period touches, the last one possibly incomplete."""
        return list(range(self.first.year, self.last.year + 1))

    @property
    def complete_years(self) -> list[int]:
        return [y for y in self.years if date(y, 12, 1) <= self.last]

    def months_of(self, year: int) -> list[date]:
        return [m for m in self.months if m.year == year]

    @property
    def last_complete_quarter(self) -> tuple[int, int]:
        """(year, number) of the last quarter whose three months are all in the period."""
        year, number = self.last.year, self.last.month // 3
        return (year - 1, 4) if number == 0 else (year, number)

    def __str__(self) -> str:
        return f"{self.first:%Y-%m}–{self.last:%Y-%m}"


def demo_period(today: date | None = None) -> DemoPeriod:
    """The demo's period as of ``today`` (default: today in the project's time zone)."""
    today = today or timezone.localdate()
    if today < date(DEMO_FIRST_MONTH.year + 1, 1, 1):
        raise ValueError(f"The demo needs a 'today' after {DEMO_FIRST_MONTH.year}, not {today}.")
    return DemoPeriod(today=today)


def demo_last_month(today: date | None = None) -> date:
    """The first day of the demo's last month: the last complete month before ``today``."""
    return demo_period(today).last


@dataclass
class DemoContext:
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines printed at the end
    period: DemoPeriod = field(default_factory=demo_period)
    password_hash: str = field(default="", repr=False)


Seeder = Callable[[DemoContext], None]
_SEEDERS: list[tuple[int, str, Seeder]] = []


def register_demo(order: int) -> Callable[[Seeder], Seeder]:
    def decorator(func: Seeder) -> Seeder:
        key = f"{func.__module__}.{func.__qualname__}"
        if all(existing != key for _o, existing, _f in _SEEDERS):
            _SEEDERS.append((order, key, func))
        return func

    return decorator


def demo_seeders() -> list[Seeder]:
    return [func for _order, _key, func in sorted(_SEEDERS, key=lambda s: (s[0], s[1]))]


# The seed document (临医保字〔2020〕30号): the bureau's six sections and the Centre's five.
BUREAU_SECTIONS = ["办公室", "党建工作科", "规划财务科", "待遇保障科", "基金监管科", "医药价格和招采科"]
CENTRE = "市医疗保险事业中心"
CENTRE_SECTIONS = ["基金管理科", "信息统计科", "基金稽核与协议管理科", "待遇结算科", "个人账户与关系转移科"]

OTHER_AGENCIES = {
    "LYSJ": ("临沂市审计局", ["办公室", "财政审计科", "经济责任审计科"], 38, "1650.00", "860.00"),
    "LYTJ": ("临沂市统计局", ["办公室", "综合科", "普查中心"], 52, "2210.50", "1180.00"),
}


def _agency(code: str, name: str, short_name: str = "") -> Agency:
    agency, _created = Agency.objects.update_or_create(
        code=code, defaults={"name": name, "short_name": short_name, "is_active": True}
    )
    return agency


def _department(agency: Agency, name: str, order: int, parent: Department | None = None) -> Department:
    department, _created = Department.objects.update_or_create(
        agency=agency, name=name, defaults={"sort_order": order, "parent": parent}
    )
    return department


def _year(agency: Agency, year: int, headcount: int, building: str, office: str) -> None:
    AgencyYear.objects.update_or_create(
        agency=agency,
        year=year,
        defaults={
            "headcount": headcount,
            "building_area": Decimal(building),
            "office_area": Decimal(office),
        },
    )


def _user(
    ctx: DemoContext, username: str, full_name: str, agency: Agency, role: str, department=None, **extra
):
    user, created = get_user_model().objects.get_or_create(username=username)
    user.first_name = full_name
    if created or not user.has_usable_password():
        # One hash for every demo user: the same password, and hashing is the slow part of a run.
        ctx.password_hash = ctx.password_hash or make_password(DEMO_PASSWORD)
        user.password = ctx.password_hash
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    Membership.objects.update_or_create(
        user=user, agency=agency, defaults={"role": role, "department": department}
    )
    ctx.users[username] = user
    return user


# 用能人数 of the bureau by year: 46 in 2019 and 45 in 2020 (the seed), then as staff came and went.
BUREAU_HEADCOUNT = {2019: 46, 2020: 45, 2021: 45, 2022: 45, 2023: 46}


def headcount_of(headcounts: dict[int, int], year: int) -> int:
    """The year's headcount, or the latest known one for the years after the table."""
    known = [y for y in headcounts if y <= year]
    return headcounts[max(known)] if known else headcounts[min(headcounts)]


@register_demo(order=0)
def seed_agencies(ctx: DemoContext) -> None:
    bureau = _agency("LYYB", "临沂市医疗保障局", "市医保局")
    # What its notices name: the seed's plan as their basis, the energy office's contact.
    Agency.objects.filter(pk=bureau.pk).update(
        plan_title="临沂市医疗保障局节约型机关创建工作实施方案",
        plan_number="临医保字〔2020〕30号",
        notice_contact="高述刚",
        notice_phone="0539-0000000",  # a placeholder, not a real number
    )
    bureau.refresh_from_db()
    ctx.agencies["LYYB"] = bureau
    office = None
    for i, name in enumerate(BUREAU_SECTIONS):
        department = _department(bureau, name, i)
        office = office or department
    centre = _department(bureau, CENTRE, 10)
    for i, name in enumerate(CENTRE_SECTIONS):
        _department(bureau, name, 11 + i, parent=centre)
    # 45 staff in 2020 (the seed); building 1942.42 m², office 1024 m² on floors 7–8 east.
    # Facts of every year up to this one (in January this year's too: its targets divide by them).
    facts_years = range(ctx.period.first.year, ctx.period.today.year + 1)
    for year in facts_years:
        _year(bureau, year, headcount_of(BUREAU_HEADCOUNT, year), "1942.42", "1024.00")

    for code, (name, sections, headcount, building, office_area) in OTHER_AGENCIES.items():
        agency = _agency(code, name)
        ctx.agencies[code] = agency
        for i, section in enumerate(sections):
            _department(agency, section, i)
        for year in facts_years:
            _year(agency, year, headcount, building, office_area)

    city_office = _agency("LYJGSW", "临沂市委机关事务管理办公室", "市机关事务办")
    Agency.objects.filter(pk=city_office.pk).update(in_programme=False)  # it verifies, it is not verified
    ctx.agencies["LYJGSW"] = city_office
    _department(city_office, "节能科", 0)

    _user(ctx, "clerk", "李鑫", bureau, Role.CLERK, department=office)
    _user(ctx, "manager", "高述刚", bureau, Role.MANAGER)
    _user(ctx, "leader", "张洪岭", bureau, Role.LEADER)
    _user(ctx, "city", "市机关事务办核查员", city_office, Role.CITY)
    _user(ctx, "audit_manager", "审计局能源管理员", ctx.agencies["LYSJ"], Role.MANAGER)
    _user(ctx, "admin", "系统管理员", city_office, Role.CITY, is_staff=True, is_superuser=True)
