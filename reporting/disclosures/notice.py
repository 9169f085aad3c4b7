"""The public notice (公示) PDF of a disclosure, laid out after GB/T 9704-2012 with reportlab.

A4, type area 156 × 225 mm from a 37 mm top and 28 mm left margin; title ~22 pt centred,
body 16 pt, a table of the indicators, the issuing office and a Chinese date at the end,
page numbers "— 1 —" below the type area. The CJK TrueType font (settings.NOTICE_FONT_PATH) is
registered once per process and embedded as a subset, so the text is extractable.

Line breaking is our own (``wrap_cjk``): reportlab's CJK wrapping lets several full-width marks
start a line. Here no line starts with closing punctuation (a mark that would is hung at the end
of the previous line, or the previous character moves down with it) and no line ends with an
opening one.
"""

from __future__ import annotations

import io
import re
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .snapshot import notice_items

FONT = "NoticeCJK"
TOP, LEFT, TYPE_WIDTH, TYPE_HEIGHT = 37 * mm, 28 * mm, 156 * mm, 225 * mm
BOTTOM = A4[1] - TOP - TYPE_HEIGHT  # 35 mm
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = 22, 16, 9, 14

# Marks that may not start a line (避头点) and that may not end one (避尾点), full-width included.
NO_LINE_START = set("，。、；：！？）］｝》〉」』】〕〗〙〛”’．,.;:!?)]}%％‰…‥—～·・ー々〻ゝゞ")
NO_LINE_END = set("（［｛《〈「『【〔〖〘〚“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-/²³×]+|\s|.", re.S)

_font_lock = threading.Lock()
_font_registered = False


class NoticeFontMissing(ImproperlyConfigured):
    pass


def register_font() -> str:
    """Register the CJK TrueType font once per process; a clear error when it is not installed."""
    global _font_registered
    if _font_registered:
        return FONT
    with _font_lock:
        if not _font_registered:
            path = Path(settings.NOTICE_FONT_PATH)
            if not path.is_file():
                raise NoticeFontMissing(
                    f"公示 PDF 需要中文 TrueType 字体，但 NOTICE_FONT_PATH={path} 不存在。"
                    "请安装 Debian 软件包 fonts-wqy-zenhei（scripts/setup.sh 会安装），"
                    "或把 NOTICE_FONT_PATH 设为一个 .ttf/.ttc 字体文件。"
                    f" (The notice PDF needs a CJK TrueType font: NOTICE_FONT_PATH={path} does not exist; "
                    "install the Debian package fonts-wqy-zenhei or point NOTICE_FONT_PATH at a .ttf/.ttc.)"
                )
            kwargs = {"subfontIndex": 0} if path.suffix.lower() == ".ttc" else {}
            pdfmetrics.registerFont(TTFont(FONT, str(path), **kwargs))
            _font_registered = True
    return FONT


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap_cjk(text: str, *, size: float, width: float, first_indent: float = 0) -> list[str]:
    """Break ``text`` into lines of at most ``width`` points, with the kinsoku rules above.

    Latin words and numbers stay whole; a closing mark that would start a line hangs at the end
    of the previous one (by at most one mark); otherwise the previous token moves down with it.
    """
    tokens = _TOKEN.findall(text.replace("\n", ""))
    lines: list[list[str]] = [[]]
    used = first_indent
    hung = False
    for token in tokens:
        w = _width(token, size)
        line = lines[-1]
        if not line and token.isspace():
            continue
        if used + w <= width + 0.01 or not line:
            line.append(token)
            used += w
            continue
        if token in NO_LINE_START:
            if not hung:
                line.append(token)  # hanging punctuation (悬挂)
                used += w
                hung = True
                continue
            carried = [token]
            while line:  # move marks down until a character that may start a line comes with them
                carried.insert(0, line.pop())
                if carried[0] not in NO_LINE_START:
                    break
        else:
            carried = [token]
        while line and line[-1] in NO_LINE_END:
            carried.insert(0, line.pop())
        if not line:  # nothing left to break before: keep it on one (overlong) line
            line.extend(carried)
            used = _width("".join(line), size)
            continue
        lines.append([t for t in carried if not (t.isspace() and t is carried[0])])
        used = _width("".join(lines[-1]), size)
        hung = used > width
    lines = [line for line in lines if line]
    _no_lone_character(lines)
    return ["".join(line).rstrip() for line in lines]


def _no_lone_character(lines: list[list[str]]) -> None:
    """A paragraph does not end on a line of one character (孤字, e.g. "映。"): the previous line
    gives it its last character (or two, so that the moved text starts with a character that may
    start a line and the previous line does not end with an opening mark)."""
    if len(lines) < 2:
        return
    last, previous = lines[-1], lines[-2]
    if sum(1 for t in last if t not in NO_LINE_START and not t.isspace()) > 1:
        return
    for count in (1, 2):
        if len(previous) <= count + 2:
            return
        moved, kept = previous[-count:], previous[:-count]
        if moved[0] in NO_LINE_START or moved[0].isspace() or kept[-1] in NO_LINE_END:
            continue
        lines[-2], lines[-1] = kept, moved + last
        return


class CJKParagraph(Flowable):
    """A paragraph wrapped by ``wrap_cjk``; splits across pages at line boundaries."""

    def __init__(self, text, *, size=BODY_SIZE, leading=None, align="justify", indent_chars=0, bold=False):
        super().__init__()
        self.text, self.size, self.align, self.bold = text, size, align, bold
        self.leading = leading or size * 1.75
        self.indent = indent_chars * size
        self.lines: list[str] = []
        self._avail = 0

    def wrap(self, avail_width, avail_height):
        self._avail = avail_width
        self.lines = wrap_cjk(self.text, size=self.size, width=avail_width, first_indent=self.indent)
        self.width, self.height = avail_width, self.leading * len(self.lines)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        return _split_lines(self, self.lines, avail_height, first=True, ends=True)

    def draw(self):
        _draw_lines(self, self.lines, first=True, canv=self.canv, ends=True)


class _Lines(Flowable):
    """Some lines of a wrapped paragraph: what a page break or the signature block takes."""

    def __init__(self, parent: CJKParagraph, lines, *, first, ends):
        super().__init__()
        self.parent, self.lines, self.first, self.ends = parent, lines, first, ends
        self.leading = parent.leading

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.leading * len(self.lines)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        return _split_lines(self.parent, self.lines, avail_height, first=self.first, ends=self.ends)

    def draw(self):
        _draw_lines(self.parent, self.lines, first=self.first, canv=self.canv, ends=self.ends)


def _split_lines(parent: CJKParagraph, lines, avail_height, *, first, ends):
    fit = int(avail_height // parent.leading)
    if fit <= 0:
        return []
    if fit >= len(lines):
        return [_Lines(parent, lines, first=first, ends=ends)]
    return [
        _Lines(parent, lines[:fit], first=first, ends=False),
        _Lines(parent, lines[fit:], first=False, ends=ends),
    ]


def _draw_lines(p: CJKParagraph, lines, *, first, canv, ends):
    y = p.leading * len(lines) - p.size * 1.15
    for i, line in enumerate(lines):
        indent = p.indent if first and i == 0 else 0
        text = canv.beginText()
        text.setFont(FONT, p.size)
        # Tc and Tr belong to the page's text state and outlive a text object: reset them per line.
        text.setCharSpace(0)
        text.setTextRenderMode(0)
        line_width = _width(line, p.size)
        avail = p._avail - indent
        x = indent
        if p.align == "center":
            x = (p._avail - line_width) / 2
        elif p.align == "right":
            x = p._avail - line_width
        elif p.align == "justify" and not (ends and i == len(lines) - 1) and len(line) > 1:
            spare = avail - line_width
            if 0 < spare < p.size * 2:
                text.setCharSpace(spare / (len(line) - 1))
        if p.bold:  # a faux bold (fill and stroke) for the title: the one font has no bold face
            canv.setLineWidth(p.size * 0.03)
            text.setTextRenderMode(2)
        text.setTextOrigin(x, y)
        text.textOut(line)
        canv.drawText(text)
        y -= p.leading


class Signature(Flowable):
    """The issuing office and the date of a notice without a seal (GB/T 9704-2012 7.3.5.3): the
    office two characters from the right edge, the date on the next line starting two characters
    right of the office's first character; a date longer than that ends two characters from the
    right edge and the office moves left with it."""

    def __init__(self, office: str, day: str, *, size: float = BODY_SIZE):
        super().__init__()
        self.office, self.day, self.size, self.leading = office, day, size, size * 1.75

    def positions(self, width: float) -> tuple[float, float]:
        right = width - 2 * self.size
        office_x = right - _width(self.office, self.size)
        date_x = office_x + 2 * self.size
        if date_x + _width(self.day, self.size) > right:
            date_x = right - _width(self.day, self.size)
            office_x = date_x - 2 * self.size
        return office_x, date_x

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, self.leading * 2
        return self.width, self.height

    def draw(self):
        office_x, date_x = self.positions(self.width)
        baseline = self.leading * 2 - self.size * 1.15
        self.canv.setFont(FONT, self.size)
        self.canv.drawString(office_x, baseline, self.office)
        self.canv.drawString(date_x, baseline - self.leading, self.day)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


QUARTER_NAMES = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
STATUS_NAMES = {"met": "达标", "at_risk": "预警", "missed": "未达标", "no_data": "无数据"}


def _number(value: str | None) -> str:
    if value is None:
        return "—"
    return f"{Decimal(value):,.2f}"


def _change(value: str | None) -> str:
    if value is None:
        return "—"
    d = Decimal(value)
    return f"{'+' if d > 0 else ''}{d:.2f}%"


@dataclass
class NoticeContent:
    """What the notice says; built from a disclosure's frozen snapshot."""

    title_lines: list[str]
    paragraphs: list[tuple[str, str]]  # (kind, text): "heading" | "body" | "table"
    table: list[list[str]]
    office: str
    day: date
    draft: bool


def notice_table(data: dict, *, year: int) -> list[list[str]]:
    """The notice's table. Each row carries its own baseline year: one year for every row is
    named in the header, otherwise each row says its own. When every row's baseline is last
    year, the last-year columns would repeat the baseline columns and are left out."""
    items = notice_items(data)
    years = {item["baseline_year"] for item in items}
    same_year = years.pop() if len(years) == 1 else None
    last_year_columns = any(item["baseline_year"] != year - 1 for item in items)
    baseline_header = f"{same_year}年同期" if same_year else "基准年同期"
    table = [["指标（单位）", "本季度", "本年累计", baseline_header, "较基准年"]]
    if last_year_columns:
        table[0] += ["上年同期", "较上年"]
    for item in items:
        prefix = "　其中：" if item.get("parent") else ""
        own_year = "" if same_year else f"，基准年{item['baseline_year']}年"
        row = [
            f"{prefix}{item['name']}（{item['unit']}{own_year}）",
            _number(item["quarter"]),
            _number(item["ytd"]),
            _number(item["baseline_ytd"]),
            _change(item["change_ytd_vs_baseline"]),
        ]
        if last_year_columns:
            row += [_number(item["last_year_ytd"]), _change(item["change_ytd_vs_last_year"])]
        table.append(row)
        for base in item.get("bases", []):  # per capita, per m², per vehicle …
            row = [
                f"　{base['name']}{item['name']}（{base['unit']}）",
                _number(base["quarter"]),
                _number(base["ytd"]),
                _number(base["baseline_ytd"]),
                _change(base["change"]),
            ]
            table.append(row + (["—", "—"] if last_year_columns else []))
    return table


def notice_content(disclosure) -> NoticeContent:
    data = disclosure.data
    office = data.get("agency") or disclosure.agency.name
    quarter = f"{disclosure.year}年{QUARTER_NAMES[disclosure.quarter]}"
    first, last = disclosure.quarter * 3 - 2, disclosure.quarter * 3
    table = notice_table(data, year=disclosure.year)
    paragraphs = [
        (
            "body",
            f"根据节约型机关创建工作要求，现将{office}{quarter}（{first}月至{last}月）能源资源消耗情况"
            "公示如下。本年累计数为1月至本季度末的合计，人均数按当年用能人数"
            f"{data.get('headcount') or '—'}人计算。",
        ),
        ("heading", "一、能源资源消耗情况"),
        ("table", ""),
        ("heading", "二、节约目标完成情况"),
    ]
    targets = [i for i in notice_items(data) if i.get("target")]
    for item in targets:
        t = item["target"]
        what = f"{t.get('basis_name') or ''}{item['name']}"
        change = Decimal(t["change"]) if t["change"] is not None else None
        moved = "—" if change is None else (f"下降{-change:.2f}%" if change <= 0 else f"上升{change:.2f}%")
        paragraphs.append(
            (
                "body",
                f"{what}：1月至{last}月较{item['baseline_year']}年同期{moved}，"
                f"年度目标为下降{Decimal(t['percent']).normalize():f}%，"
                f"评价为“{STATUS_NAMES.get(t['status'], t['status'])}”。",
            )
        )
    if not targets:
        paragraphs.append(("body", "本年度尚未设定节约能源资源目标。"))
    if disclosure.version > 1:
        changes = "；".join(
            f"{c['name']}{'本季度' if c['field'] == 'quarter' else '本年累计'}"
            f"由{_number(c['old'])}更正为{_number(c['new'])}"
            for c in data.get("corrections", [])
        )
        paragraphs += [
            ("heading", "三、更正说明"),
            (
                "body",
                f"本公示为第{disclosure.version}版，"
                f"更正第{data.get('corrects_version', disclosure.version - 1)}版公示。"
                f"更正原因：{disclosure.correction or '—'}。" + (f"更正内容：{changes}。" if changes else ""),
            ),
        ]
    paragraphs.append(("body", "如有疑问，请向本单位能源资源管理办公室反映。"))
    day = (
        timezone.localtime(disclosure.published_at).date()
        if disclosure.published_at
        else timezone.localdate()
    )
    title = [office, f"{quarter}能源资源消耗情况公示"]
    return NoticeContent(title, paragraphs, table, office, day, draft=not disclosure.is_published)


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(FONT, PAGE_NUMBER_SIZE)
    canvas.drawCentredString(A4[0] / 2, BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8, f"— {doc.page} —")
    canvas.restoreState()


def _table(rows: list[list[str]]) -> Table:
    widths = [40 * mm, 20 * mm, 22 * mm, 22 * mm, 15 * mm, 22 * mm, 15 * mm]
    if len(rows[0]) == 5:  # no last-year columns (the baseline is last year): the name gets the room
        widths = [62 * mm, 22 * mm, 24 * mm, 28 * mm, 20 * mm]
    cells = [
        [CJKParagraph(c.lstrip("　"), size=TABLE_SIZE, leading=TABLE_SIZE * 1.4,
                      align="center" if i == 0 and j else "left" if j == 0 else "right",
                      indent_chars=len(c) - len(c.lstrip("　")))  # a sub-row is indented by its
         for j, c in enumerate(row)]
        for i, row in enumerate(rows)
    ]  # fmt: skip
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.93, 0.93, 0.93)),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def build_pdf(content: NoticeContent) -> bytes:
    """Lay out a notice; ``content.paragraphs`` may be any length (pages follow)."""
    register_font()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=A4[0] - LEFT - TYPE_WIDTH,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=" ".join(content.title_lines),
        author=content.office,
        subject="能源资源消耗情况公示",
    )
    frame = Frame(
        LEFT, BOTTOM, TYPE_WIDTH, TYPE_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc.addPageTemplates([PageTemplate(id="notice", frames=[frame], onPage=_page_number)])
    story: list[Flowable] = []
    for line in content.title_lines:
        story.append(CJKParagraph(line, size=TITLE_SIZE, leading=TITLE_SIZE * 1.5, align="center", bold=True))
    if content.draft:
        story.append(CJKParagraph("（草稿，未发布）", size=BODY_SIZE, align="center"))
    story.append(Spacer(1, BODY_SIZE))
    for kind, text in content.paragraphs:
        if kind == "table":
            story += [_table(content.table), Spacer(1, BODY_SIZE * 0.5)]
        elif kind == "heading":  # a heading never ends a page: it needs room for two more lines
            story += [CondPageBreak(BODY_SIZE * 1.75 * 3), CJKParagraph(text, indent_chars=2, bold=True)]
        else:
            story.append(CJKParagraph(text, indent_chars=2))
    # The issuing office and date never stand alone on a page: they keep the last two lines.
    last = story.pop()
    last.wrap(TYPE_WIDTH, TYPE_HEIGHT)
    tail: list[Flowable] = [last]
    if len(last.lines) > 2:
        story.append(_Lines(last, last.lines[:-2], first=True, ends=False))
        tail = [_Lines(last, last.lines[-2:], first=False, ends=True)]
    signature = [Spacer(1, BODY_SIZE * 1.75), Signature(content.office, chinese_date(content.day))]
    story.append(KeepTogether(tail + signature))
    doc.build(story)
    return buffer.getvalue()


def notice_render(*, disclosure) -> bytes:
    """The notice PDF of a disclosure (a draft is marked as such)."""
    return build_pdf(notice_content(disclosure))
