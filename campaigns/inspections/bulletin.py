"""The monthly bulletin of spot checks (节能抽查情况通报): findings by section, as a page and a PDF
in the public notice's style (附件2 一、2: 不定期对各科室电器管理情况进行抽查，并进行通报)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Prefetch

from agencies.models import Agency, Department

from .models import CheckItem, SpotCheck, SpotCheckFinding
from .rules import Rectification, rectification_state

# How the bulletin names each finding (short, as a 通报 lists them).
SHORT_ZH = {
    CheckItem.AC_TEMPERATURE: "空调温度设置不符合要求",
    CheckItem.AC_WINDOWS_OPEN: "开空调时开门窗",
    CheckItem.AC_NOBODY: "无人时开空调",
    CheckItem.AC_OFF_HOURS: "上午9:00前或下班前半小时开空调",
    CheckItem.LIGHTS_DAYLIGHT: "光线充足时开灯（白昼灯）",
    CheckItem.LIGHTS_EMPTY: "人走灯未灭（长明灯）",
    CheckItem.DEVICES_STANDBY: "下班后办公设备待机未断电",
    CheckItem.PRIVATE_APPLIANCE: "私自使用大功率电器",
}


@dataclass
class SectionRow:
    department: Department
    checks: int = 0
    findings: Counter = field(default_factory=Counter)  # item -> count
    states: Counter = field(default_factory=Counter)  # rectification key -> checks

    @property
    def total(self) -> int:
        return sum(self.findings.values())

    @property
    def items(self) -> list[tuple[str, str, int]]:
        """(item, label, count) in the checklist's order."""
        return [(i.value, str(i.label), self.findings[i.value]) for i in CheckItem if self.findings[i.value]]


class CheckLine(NamedTuple):
    check: SpotCheck
    findings: list[str]  # labels
    state: Rectification


@dataclass
class Bulletin:
    agency: Agency
    month: date
    as_of: date
    checks: list[CheckLine]
    sections: list[SectionRow]
    item_totals: list[tuple[str, str, int]]  # (item, label, count), most frequent first

    @property
    def checks_count(self) -> int:
        return len(self.checks)

    @property
    def findings_total(self) -> int:
        return sum(row.total for row in self.sections)

    @property
    def clean_sections(self) -> list[Department]:
        return [row.department for row in self.sections if row.checks and not row.total]

    def count_state(self, key: str) -> int:
        return sum(row.states[key] for row in self.sections)

    @property
    def overdue_sections(self) -> list[Department]:
        return [row.department for row in self.sections if row.states["overdue"]]


def bulletin_build(*, agency: Agency, month: date, as_of: date) -> Bulletin:
    """The bulletin of ``month``: every check of the month, by section (two queries)."""
    month = month.replace(day=1)
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    checks = list(
        SpotCheck.objects.filter(agency=agency, date__gte=month, date__lt=following)
        .select_related("department")
        .prefetch_related(Prefetch("findings", queryset=SpotCheckFinding.objects.order_by("item")))
        .order_by("department__sort_order", "department__name", "date", "time")
    )
    rows: dict[int, SectionRow] = {}
    totals: Counter = Counter()
    lines = []
    for check in checks:
        row = rows.setdefault(check.department_id, SectionRow(check.department))
        row.checks += 1
        items = [f.item for f in check.findings.all()]
        row.findings.update(items)
        totals.update(items)
        state = rectification_state(
            has_findings=bool(items),
            rectify_by=check.rectify_by,
            rectified_on=check.rectified_on,
            today=as_of,
        )
        row.states[state.key] += 1
        lines.append(CheckLine(check, [str(CheckItem(i).label) for i in items], state))
    order = {item.value: i for i, item in enumerate(CheckItem)}
    item_totals = sorted(
        ((item, str(CheckItem(item).label), count) for item, count in totals.items()),
        key=lambda t: (-t[2], order[t[0]]),
    )
    return Bulletin(agency, month, as_of, lines, list(rows.values()), item_totals)


def _findings_text(row: SectionRow) -> str:
    return "、".join(f"{SHORT_ZH[item]}{count}处" for item, _label, count in row.items) or "未发现问题"


def _state_text(row: SectionRow) -> str:
    parts = []
    for key, words in (
        ("closed", "已整改"),
        ("closed_late", "逾期后整改"),
        ("open", "整改中"),
        ("overdue", "逾期未整改"),
    ):
        if row.states[key]:
            parts.append(f"{words}{row.states[key]}次")
    return "，".join(parts) or "—"


def bulletin_pdf(bulletin: Bulletin) -> bytes:
    """The bulletin as a document in the notice's style (the waste display's ``document_pdf``)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table

    from waste.pdf import BODY_SIZE, Document, addressee, body, cells, document_pdf, heading, table_style

    month = f"{bulletin.month.year}年{bulletin.month.month}月"
    office = f"{bulletin.agency.name}能源资源管理办公室"
    story = [addressee("各科室：")]
    if not bulletin.checks:
        story.append(body(f"{month}，能源资源管理办公室未开展节能抽查。"))
    else:
        sections = len(bulletin.sections)
        story.append(
            body(
                f"根据《节约制度》要求，能源资源管理办公室于{month}对{sections}个科室的空调、照明、"
                f"办公设备使用情况进行了{bulletin.checks_count}次不定期抽查，"
                f"共发现问题{bulletin.findings_total}处。现将抽查情况通报如下。"
            )
        )
        story += heading("一、抽查情况")
        rows = [["科室", "抽查次数", "发现问题", "整改情况"]]
        rows += [
            [row.department.name, str(row.checks), _findings_text(row), _state_text(row)]
            for row in bulletin.sections
        ]
        table = Table(
            cells(rows, text_columns=(0, 2, 3)), colWidths=[36 * mm, 18 * mm, 66 * mm, 36 * mm], repeatRows=1
        )
        table.setStyle(table_style())
        story += [table, Spacer(1, BODY_SIZE * 0.5)]
        if bulletin.item_totals:
            listed = "；".join(f"{SHORT_ZH[item]}{count}处" for item, _label, count in bulletin.item_totals)
            story.append(body(f"问题类型：{listed}。"))
        story += heading("二、整改要求")
        if bulletin.findings_total:
            story.append(
                body(
                    "对抽查发现的问题，已通知有关科室限期整改。截至通报日，"
                    f"已整改{bulletin.count_state('closed') + bulletin.count_state('closed_late')}次，"
                    f"整改中{bulletin.count_state('open')}次，逾期未整改{bulletin.count_state('overdue')}次"
                    + (
                        f"（{'、'.join(d.name for d in bulletin.overdue_sections)}）"
                        if bulletin.overdue_sections
                        else ""
                    )
                    + "。请有关科室抓紧整改，并将整改情况报能源资源管理办公室。"
                )
            )
        if bulletin.clean_sections:
            story.append(
                body(f"{'、'.join(d.name for d in bulletin.clean_sections)}抽查中未发现问题，予以通报表扬。")
            )
        story.append(
            body(
                "请各科室严格执行节约制度：夏季空调温度不低于26℃、冬季不高于18℃，上午9:00前和下班前半小时"
                "不开空调，无人时不开空调，开空调时不开门窗；白天充分利用自然光，人走灯灭；办公设备下班后"
                "切断电源；办公室内严禁私自使用大功率电器。"
            )
        )
    document = Document(
        title_lines=[f"关于{month}节能抽查情况的通报"],
        story=story,
        office=office,
        day=bulletin.as_of,
        subject="节能抽查情况通报",
    )
    return document_pdf(document)
