"""Demo data of the creation workflow: the bureau's organisation (附件1) for every demo year, with
the seed's posts and placeholder names, and its 2020 application, left for the user to assess;
the other two agencies' 2020 creations, one verified and one awaiting verification, so that the
city's view has something to show. Idempotent: rows are matched by agency, year (and post)."""

from __future__ import annotations

from datetime import date

from agencies.demo import DemoContext, register_demo

from .models import (
    Body,
    Creation,
    EvaluationScheme,
    ItemScore,
    ItemVerdict,
    ManagementOffice,
    OrganisationMember,
    Position,
    Result,
    Stage,
    Verdict,
    Verification,
)

# 附件1: the posts of the leadership group (节约型机关创建工作领导小组成员名单), the people's names replaced.
GROUP = [
    (Position.LEADER, "市医疗保障局党组书记、局长"),
    (Position.DEPUTY, "市医疗保障局党组成员、副局长"),
    (Position.DEPUTY, "市医疗保障局四级调研员"),
    (Position.DEPUTY, "市医疗保障局四级调研员"),
    (Position.MEMBER, "市医疗保障局一级主任科员"),
    (Position.MEMBER, "市医疗保障局办公室主任"),
    (Position.MEMBER, "市医疗保障局党建工作科科长"),
    (Position.MEMBER, "市医疗保障局规划财务科科长"),
    (Position.MEMBER, "市医疗保障局待遇保障科科长"),
    (Position.MEMBER, "市医疗保障局基金监管科科长"),
    (Position.MEMBER, "市医疗保障局规划财务科二级主任科员"),
    (Position.MEMBER, "市医疗保障局医药价格和招采科二级主任科员"),
    (Position.MEMBER, "市医疗保险事业中心主任、一级主任科员"),
    (Position.MEMBER, "市医疗保险事业中心基金管理科科长、一级主任科员"),
    (Position.MEMBER, "市医疗保险事业中心信息统计科科长"),
    (Position.MEMBER, "市医疗保险事业中心基金稽核与协议管理科科长"),
    (Position.MEMBER, "市医疗保险事业中心待遇结算科科长"),
    (Position.MEMBER, "市医疗保险事业中心个人账户与关系转移科科长"),
]
# The office: headed by one of the deputies (a 四级调研员), with the office director and one more.
OFFICE = [
    (Position.HEAD, "市医疗保障局四级调研员", 2),
    (Position.MEMBER, "市医疗保障局办公室主任", 5),
    (Position.MEMBER, "", None),
]
DUTIES = (
    "在领导小组领导下，负责编制创建节约型机关实施方案；建立完善节约机关创建工作的规章制度；"
    "定期检查创建工作推进情况和效果；做好单位能源资源的综合管理工作；建立能源资源消耗台账，"
    "协调解决创建中存在的困难和问题。"
)
PLAN_TITLE = "关于深入开展创建节约型机关实施方案（临医保字〔2020〕30号）"
FIRST_YEAR = 2020  # the seed's plan starts the creation in 2020
NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"


def placeholder(index: int) -> str:
    """示例人员甲, 示例人员乙 …: the demo keeps the seed's posts, not its people's names."""
    return f"示例人员{NAMES[index % len(NAMES)]}" + (str(index // len(NAMES)) if index >= len(NAMES) else "")


def seed_organisation(agency, year: int) -> None:
    names = {}
    for order, (position, post) in enumerate(GROUP):
        names[order] = placeholder(order)
        OrganisationMember.objects.update_or_create(
            agency=agency,
            year=year,
            body=Body.GROUP,
            order=order,
            defaults={"position": position, "post": post, "name": names[order]},
        )
    for order, (position, post, same_as) in enumerate(OFFICE):
        name = names[same_as] if same_as is not None else placeholder(len(GROUP) + order)
        OrganisationMember.objects.update_or_create(
            agency=agency,
            year=year,
            body=Body.OFFICE,
            order=order,
            defaults={"position": position, "post": post, "name": name},
        )
    ManagementOffice.objects.update_or_create(agency=agency, year=year, defaults={"duties": DUTIES})


@register_demo(order=60)
def seed_creation(ctx: DemoContext) -> None:
    bureau = ctx.agencies["LYYB"]
    years = [y for y in ctx.period.years if y >= FIRST_YEAR]
    for year in years:
        seed_organisation(bureau, year)
    scheme = EvaluationScheme.for_year(FIRST_YEAR)
    if scheme is None or FIRST_YEAR not in years:
        return
    Creation.objects.get_or_create(
        agency=bureau,
        year=FIRST_YEAR,
        defaults={
            "scheme": scheme,
            "plan_title": PLAN_TITLE,
            "applied_on": date(FIRST_YEAR, 6, 29),
            "created_by": ctx.users.get("manager"),
        },
    )
    city = ctx.users.get("city")
    _assessed(ctx.agencies["LYSJ"], scheme, verified_by=city)
    _assessed(ctx.agencies["LYTJ"], scheme, verified_by=None)
    ctx.notes.append(
        f"Creation: {bureau.code}'s organisation for {years[0]}–{years[-1]} and its {FIRST_YEAR} application "
        "(self-assessment left to do); "
        "LYSJ's 2020 verified as meeting the requirements, LYTJ's submitted and awaiting verification."
    )


# Two points short on publicity for the audit office, a full mark elsewhere; all items marked.
SHORT = {"publicity": 2, "green-office": 1}


def _assessed(agency, scheme, *, verified_by) -> None:
    """A 2020 creation self-assessed in January 2021; verified in March when ``verified_by``."""
    creation, created = Creation.objects.get_or_create(
        agency=agency,
        year=FIRST_YEAR,
        defaults={
            "scheme": scheme,
            "plan_title": "节约型机关创建实施方案",
            "applied_on": date(FIRST_YEAR, 6, 20),
            "stage": Stage.ASSESSED,
            "assessed_on": date(FIRST_YEAR + 1, 1, 15),
        },
    )
    if not created:
        return
    items = list(scheme.items.all())
    ItemScore.objects.bulk_create(
        [
            ItemScore(
                creation=creation,
                item=item,
                points=None if item.is_pass_fail else item.points - SHORT.get(item.code, 0),
                passed=True if item.is_pass_fail else None,
                evidence="见台账和佐证材料",
            )
            for item in items
        ]
    )
    if verified_by is None:
        return
    verification = Verification.objects.create(
        creation=creation,
        result=Result.MEETS,
        comment="资料齐全，台账规范。",
        verified_on=date(FIRST_YEAR + 1, 3, 10),
        verified_by=verified_by,
    )
    ItemVerdict.objects.bulk_create(
        [
            ItemVerdict(
                verification=verification,
                item=item,
                verdict=Verdict.CONFIRMED,
                points=None if item.is_pass_fail else item.points - SHORT.get(item.code, 0),
                passed=True if item.is_pass_fail else None,
            )
            for item in items
        ]
    )
