"""Demo data: the seed's bureau, two more agencies and one user per role.

Each app that has demo data provides a ``demo.py`` that registers a seeder here; ``seed_demo``
discovers them and runs them in order. Every seeder must be idempotent (re-running adds nothing).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model

from .models import Agency, AgencyYear, Department, Membership, Role

DEMO_PASSWORD = "linyi-demo-2020"  # demo only; printed by seed_demo


@dataclass
class DemoContext:
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # lines printed at the end


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
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.first_name = full_name
    user.set_password(DEMO_PASSWORD)
    for key, value in extra.items():
        setattr(user, key, value)
    user.save()
    Membership.objects.update_or_create(
        user=user, agency=agency, defaults={"role": role, "department": department}
    )
    ctx.users[username] = user
    return user


@register_demo(order=0)
def seed_agencies(ctx: DemoContext) -> None:
    bureau = _agency("LYYB", "临沂市医疗保障局", "市医保局")
    ctx.agencies["LYYB"] = bureau
    office = None
    for i, name in enumerate(BUREAU_SECTIONS):
        department = _department(bureau, name, i)
        office = office or department
    centre = _department(bureau, CENTRE, 10)
    for i, name in enumerate(CENTRE_SECTIONS):
        _department(bureau, name, 11 + i, parent=centre)
    # 45 staff in 2020 (the seed); building 1942.42 m², office 1024 m² on floors 7–8 east.
    for year, headcount in [(2019, 46), (2020, 45), (2021, 45)]:
        _year(bureau, year, headcount, "1942.42", "1024.00")

    for code, (name, sections, headcount, building, office_area) in OTHER_AGENCIES.items():
        agency = _agency(code, name)
        ctx.agencies[code] = agency
        for i, section in enumerate(sections):
            _department(agency, section, i)
        for year in (2019, 2020, 2021):
            _year(agency, year, headcount, building, office_area)

    city_office = _agency("LYJGSW", "临沂市委机关事务管理办公室", "市机关事务办")
    ctx.agencies["LYJGSW"] = city_office
    _department(city_office, "节能科", 0)

    _user(ctx, "clerk", "李鑫", bureau, Role.CLERK, department=office)
    _user(ctx, "manager", "高述刚", bureau, Role.MANAGER)
    _user(ctx, "leader", "张洪岭", bureau, Role.LEADER)
    _user(ctx, "city", "市机关事务办核查员", city_office, Role.CITY)
    _user(ctx, "audit_manager", "审计局能源管理员", ctx.agencies["LYSJ"], Role.MANAGER)
    _user(ctx, "admin", "系统管理员", city_office, Role.CITY, is_staff=True, is_superuser=True)
