"""Demo data of campaigns from 2019 to the demo's last month: each year's publicity and training
events (on the national days of ``fixtures/national_days.json``, lectures, a training, the Clean
Plate campaign of 附件4), two spot checks a month with their findings and rectification, and
repair requests. The last month keeps one rectification past its deadline and one repair open for
more than a week, so that the alerts have something to say. Idempotent: rows are matched by
agency and date (and section or location) and only missing ones are added.
"""

from __future__ import annotations

import hashlib
from datetime import date, time, timedelta

from agencies.demo import DEMO_FIRST_MONTH, DemoContext, register_demo
from agencies.models import Department
from waste.rules import month_add

from .creation import demo as _creation_demo  # noqa: F401 — registers the creation's seeder
from .inspections.rules import findings_for
from .models import Channel, CheckItem, Event, RepairRequest, SpotCheck, SpotCheckFinding
from .publicity.calendar import national_days

FIRST_YEAR = DEMO_FIRST_MONTH.year
INSPECTOR = "高述刚"  # 能源资源管理办公室主任 (附件1)


def _pick(key: str, modulo: int) -> int:
    return hashlib.sha256(key.encode()).digest()[0] % modulo


def _month_end(month: date) -> date:
    return month_add(month, 1) - timedelta(days=1)


# --- events ----------------------------------------------------------------------------------------

NATIONAL_TITLES = {
    "world_water_day": ("世界水日“节约用水”主题宣传", ["notice_board", "wechat"]),
    "china_water_week": ("中国水周节水知识宣传", ["notice_board", "website"]),
    "energy_week": ("全国节能宣传周主题活动", ["website", "wechat", "notice_board", "meeting"]),
    "low_carbon_day": ("全国低碳日绿色出行倡议", ["wechat", "notice_board"]),
}
OWN_EVENTS = [
    (4, 16, "lecture", "节能低碳知识讲座（悦享夜学）", ["meeting", "wechat"]),
    (9, 17, "lecture", "垃圾分类知识讲座", ["meeting"]),
    (11, 12, "training", "能源资源统计岗位培训", ["meeting"]),
]


def _events(agency, last: date, by) -> int:
    have = set(Event.objects.filter(agency=agency).values_list("date", "kind"))
    new = []
    end = _month_end(last)
    for year in range(FIRST_YEAR, last.year + 1):
        planned = []
        for day in national_days(year):
            if day.kind == "china_water_week":
                continue  # one event for World Water Day and China Water Week, which start together
            title, channels = NATIONAL_TITLES[day.kind]
            planned.append(
                (day.start, day.kind, f"{year}年{title}", channels, day.end if day.end != day.start else None)
            )
        for month, dom, kind, title, channels in OWN_EVENTS:
            planned.append((date(year, month, dom), kind, f"{year}年{title}", channels, None))
        if year >= 2020:
            # 附件4: the bureau's Clean Plate proposal, issued on 29 June 2020, renewed each year.
            planned.append(
                (
                    date(year, 6, 29),
                    "clean_plate",
                    f"{year}年“光盘行动”倡议",
                    ["wechat", "notice_board"],
                    None,
                )
            )
        for day, kind, title, channels, until in planned:
            if day > end or (day, kind) in have:
                continue
            new.append(
                Event(
                    agency=agency,
                    kind=kind,
                    date=day,
                    end_date=until if until and until <= end else None,
                    title=title,
                    channels=[c for c in Channel.values if c in channels],
                    participants=38 + _pick(f"{agency.code}{day}{kind}", 8),
                    summary=f"{title}，全体干部职工参加，通过{len(channels)}种渠道开展宣传。",
                    created_by=by,
                )
            )
    Event.objects.bulk_create(new)
    return len(new)


# --- spot checks and repairs -------------------------------------------------------------------------

ITEMS = list(CheckItem.values)


def _checks(agency, last: date, today: date, by) -> int:
    sections = list(Department.objects.filter(agency=agency).order_by("sort_order", "name"))
    if not sections:
        return 0
    have = set(SpotCheck.objects.filter(agency=agency).values_list("date", "department_id"))
    made = 0
    month, index = date(FIRST_YEAR, 1, 1), 0
    while month <= last:
        for dom, at in ((12, time(8, 45)), (24, time(17, 10))):
            day = month.replace(day=dom)
            section = sections[index % len(sections)]
            index += 1
            if (day, section.pk) in have:
                continue
            key = f"{agency.code}{day}"
            summer = month.month in (6, 7, 8, 9)
            winter = month.month in (12, 1, 2)
            mode = "cooling" if summer else "heating" if winter else "off"
            setpoint = None
            if mode == "cooling":
                setpoint = (24, 25, 26, 26)[_pick(key + "t", 4)]
            elif mode == "heating":
                setpoint = (18, 18, 20, 22)[_pick(key + "t", 4)]
            last_of_demo = month == last and dom == 24
            found_something = _pick(key + "f", 3) == 0 or last_of_demo
            ticked = [ITEMS[4 + _pick(key + "i", 4)]] if found_something else []
            findings = findings_for(ticked=ticked, mode=mode, setpoint=setpoint, at=at, day_ends=time(17, 30))
            deadline = day + timedelta(days=5) if findings else None
            closed = None
            if findings and not last_of_demo:
                closed = min(day + timedelta(days=2 + _pick(key + "c", 5)), today)
            check = SpotCheck.objects.create(
                agency=agency,
                department=section,
                date=day,
                time=at,
                inspector=INSPECTOR,
                rooms="办公室、会议室",
                ac_mode=mode,
                ac_setpoint=setpoint,
                rectify_by=deadline,
                rectified_on=closed,
                rectification="已当场整改，并张贴节约提示" if closed else "",
                notes="" if findings else "未发现问题。",
                created_by=by,
            )
            SpotCheckFinding.objects.bulk_create(
                [SpotCheckFinding(spot_check=check, item=i) for i in findings]
            )
            made += 1
        month = month_add(month, 1)
    return made


REPAIRS = [
    ("dripping_tap", "7层东侧卫生间", "洗手池水龙头滴水"),
    ("running_toilet", "8层东侧卫生间", "小便池感应冲水长流水"),
    ("light_stuck_on", "7层走廊", "走廊灯开关损坏，无法关闭"),
    ("leak", "7层茶水间", "开水器进水阀渗漏"),
]


def _repairs(agency, last: date, by) -> int:
    have = set(RepairRequest.objects.filter(agency=agency).values_list("reported_on", "location"))
    # Every other month from February 2019, and the demo's last month, whose repair is still open.
    report_months, month = [], date(FIRST_YEAR, 2, 1)
    while month < last:
        report_months.append(month)
        month = month_add(month, 2)
    made = 0
    for index, month in enumerate([*report_months, last]):
        kind, location, problem = REPAIRS[index % len(REPAIRS)]
        reported = month.replace(day=5)
        fixed = None if month == last else reported + timedelta(days=1 + _pick(f"{agency.code}{reported}", 4))
        if (reported, location) not in have:
            RepairRequest.objects.create(
                agency=agency,
                kind=kind,
                location=location,
                problem=problem,
                reported_on=reported,
                reported_to="大楼物业服务中心",
                fixed_on=fixed,
                fix_note="已维修更换" if fixed else "",
                created_by=by,
            )
            made += 1
    return made


@register_demo(order=40)
def seed_campaigns(ctx: DemoContext) -> None:
    last, today = ctx.period.last, ctx.period.today
    bureau, manager = ctx.agencies["LYYB"], ctx.users.get("manager")
    events = _events(bureau, last, manager)
    checks = _checks(bureau, last, today, manager)
    repairs = _repairs(bureau, last, ctx.users.get("clerk"))
    ctx.notes.append(
        f"Campaigns of {bureau.code} to {last:%Y-%m}: {events} events, {checks} spot checks, "
        f"{repairs} repair requests added."
    )
