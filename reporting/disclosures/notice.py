"""The public notice (公示) PDF of a disclosure, laid out after GB/T 9704-2012 with reportlab.

A4, type area 156 × 225 mm from a 37 mm top and 28 mm left margin; title ~22 pt centred,
body 16 pt, a table of the indicators, the issuing office and a Chinese date at the end,
page numbers "— 1 —" below the type area. Each part is drawn in the TrueType face of its
GB/T 9704 role (reporting/fonts.py: title Song, body FangSong or its Kai stand-in, level-1
headings Hei, level-2 Kai, page numbers Song), each embedded as a subset so the text is
extractable; a character a face lacks (U+2212 −) is drawn in the fallback face, never as a
missing glyph.

Line breaking is our own (``wrap_cjk``): reportlab's CJK wrapping lets several full-width marks
start a line. Here no line starts with closing punctuation (a mark that would is hung at the end
of the previous line, or the previous character moves down with it) and no line ends with an
opening one.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone, translation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
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

from agencies import conventions

from .. import fonts
from .snapshot import notice_items

TOP, LEFT, TYPE_WIDTH, TYPE_HEIGHT = 37 * mm, 28 * mm, 156 * mm, 225 * mm
BOTTOM = A4[1] - TOP - TYPE_HEIGHT  # 35 mm
TITLE_SIZE, BODY_SIZE, TABLE_SIZE, PAGE_NUMBER_SIZE = 22, 16, 9, 14

# Marks that may not start a line (避头点) and that may not end one (避尾点), full-width included.
NO_LINE_START = set("，。、；：！？）］｝》〉」』】〕〗〙〛”’．,.;:!?)]}%％‰…‥—～·・ー々〻ゝゞ")
NO_LINE_END = set("（［｛《〈「『【〔〖〘〚“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-\u2212/²³×]+|\s|.", re.S)

NoticeFontMissing = fonts.NoticeFontMissing


def register_font() -> str:
    """Register the faces of every role (once per process); the body's face name, for documents
    that draw in one face."""
    return fonts.font("body")


def _width(text: str, size: float, face: str | None = None) -> float:
    return fonts.width(text, face or fonts.font("body"), size)


Token = tuple[str, str]  # (text, face)


def _tokens(segments, face: str | None) -> list[Token]:
    """Words, numbers and single characters, each with the face of its role."""
    if isinstance(segments, str):
        segments = [(face or fonts.font("body"), segments)]
    return [(t, f) for f, text in segments for t in _TOKEN.findall(text.replace("\n", ""))]


def _line_width(line: list[Token], size: float) -> float:
    return sum(_width(t, size, f) for t, f in line)


def wrap_tokens(segments, *, size: float, width: float, first_indent: float = 0, face: str | None = None):
    """Break text (a string in ``face``, or (face, text) segments) into lines of tokens of at
    most ``width`` points, with the kinsoku rules above.

    Latin words and numbers stay whole; a closing mark that would start a line hangs at the end
    of the previous one (by at most one mark); otherwise the previous token moves down with it.
    """
    lines: list[list[Token]] = [[]]
    used = first_indent
    hung = False
    for token in _tokens(segments, face):
        text = token[0]
        w = _width(text, size, token[1])
        line = lines[-1]
        if not line and text.isspace():
            continue
        if used + w <= width + 0.01 or not line:
            line.append(token)
            used += w
            continue
        if text in NO_LINE_START:
            if not hung:
                line.append(token)  # hanging punctuation (悬挂)
                used += w
                hung = True
                continue
            carried = [token]
            while line:  # move marks down until a character that may start a line comes with them
                carried.insert(0, line.pop())
                if carried[0][0] not in NO_LINE_START:
                    break
        else:
            carried = [token]
        while line and line[-1][0] in NO_LINE_END:
            carried.insert(0, line.pop())
        if not line:  # nothing left to break before: keep it on one (overlong) line
            line.extend(carried)
            used = _line_width(line, size)
            continue
        lines.append([t for t in carried if not (t[0].isspace() and t is carried[0])])
        used = _line_width(lines[-1], size)
        hung = used > width
    lines = [line for line in lines if line]
    _no_lone_character(lines)
    for line in lines:
        while line and line[-1][0].isspace():
            line.pop()
    return lines


def wrap_cjk(
    text, *, size: float, width: float, first_indent: float = 0, face: str | None = None
) -> list[str]:
    """``wrap_tokens`` as the lines' text."""
    lines = wrap_tokens(text, size=size, width=width, first_indent=first_indent, face=face)
    return ["".join(t for t, _ in line) for line in lines]


def _no_lone_character(lines: list[list[Token]]) -> None:
    """A paragraph does not end on a line of one character (孤字, e.g. "映。"): the previous line
    gives it its last character (or two, so that the moved text starts with a character that may
    start a line and the previous line does not end with an opening mark)."""
    if len(lines) < 2:
        return
    last, previous = lines[-1], lines[-2]
    if sum(1 for t, _ in last if t not in NO_LINE_START and not t.isspace()) > 1:
        return
    for count in (1, 2):
        if len(previous) <= count + 2:
            return
        moved, kept = previous[-count:], previous[:-count]
        if moved[0][0] in NO_LINE_START or moved[0][0].isspace() or kept[-1][0] in NO_LINE_END:
            continue
        lines[-2], lines[-1] = kept, moved + last
        return


class CJKParagraph(Flowable):
    """A paragraph wrapped by ``wrap_tokens``, drawn in the face of its GB/T 9704 role (title,
    body, heading1, heading2; reporting/fonts.py) — or in (role, text) segments, e.g. a level-2
    heading run in before its paragraph; splits across pages at line boundaries."""

    def __init__(
        self, text, *, size=BODY_SIZE, leading=None, align="justify", indent_chars=0, bold=False, role="body"
    ):
        super().__init__()
        self.text, self.size, self.align, self.bold, self.role = text, size, align, bold, role
        self.leading = leading or size * 1.75
        self.indent = indent_chars * size
        self.lines: list[list[Token]] = []
        self._avail = 0

    def segments(self):
        names = fonts.register_fonts()
        if isinstance(self.text, str):
            return [(names[self.role], self.text)]
        return [(names[role], text) for role, text in self.text]

    def wrap(self, avail_width, avail_height):
        self._avail = avail_width
        self.lines = wrap_tokens(self.segments(), size=self.size, width=avail_width, first_indent=self.indent)
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
        characters = sum(len(t) for t, _ in line)
        text = canv.beginText()
        # Tc and Tr belong to the page's text state and outlive a text object: reset them per line.
        text.setCharSpace(0)
        text.setTextRenderMode(0)
        line_width = _line_width(line, p.size)
        avail = p._avail - indent
        x = indent
        if p.align == "center":
            x = (p._avail - line_width) / 2
        elif p.align == "right":
            x = p._avail - line_width
        elif p.align == "justify" and not (ends and i == len(lines) - 1) and characters > 1:
            spare = avail - line_width
            if 0 < spare < p.size * 2:
                text.setCharSpace(spare / (characters - 1))
        if p.bold:  # a faux bold (fill and stroke), for a title face without a bold weight
            canv.setLineWidth(p.size * 0.03)
            text.setTextRenderMode(2)
        text.setTextOrigin(x, y)
        for face, part in _runs_of(line):
            text.setFont(face, p.size)
            text.textOut(part)
        canv.drawText(text)
        y -= p.leading


def _runs_of(line: list[Token]) -> list[tuple[str, str]]:
    """A line's text as (face, text) runs: the characters a token's face lacks in the fallback face
    (``fonts.runs``), and the neighbouring tokens of one face joined, so that a line of one face is
    one font setting and one text operator instead of one per character. What is drawn is the
    same: the character spacing of a justified line follows every character either way."""
    out: list[tuple[str, str]] = []
    for token, face in line:
        for run_face, part in fonts.runs(token, face):
            if out and out[-1][0] == run_face:
                out[-1] = (run_face, out[-1][1] + part)
            else:
                out.append((run_face, part))
    return out


class Signature(Flowable):
    """The issuing office and the date at the end of a document (GB/T 9704-2012 7.3.5).

    Without a seal (7.3.5.3, the waste display, the bulletin): the office two characters from the
    right edge, the date on the next line starting two characters right of the office's first
    character; a date longer than that ends two characters from the right edge and the office
    moves left with it.

    With a seal (7.3.5.1, the posted notice): the date four characters from the right edge, the
    office centred over the date; ``SEAL_ROOM`` above them is left blank, so that the seal (42 mm
    across) sits within one line of the text and presses on the office and the date, which lie a
    little below its centre."""

    def __init__(self, office: str, day: str, *, size: float = BODY_SIZE, seal: bool = False):
        super().__init__()
        self.office, self.day, self.size, self.leading = office, day, size, size * 1.75
        self.seal = seal

    def positions(self, width: float) -> tuple[float, float]:
        if self.seal:
            date_x = width - 4 * self.size - _width(self.day, self.size)
            office_x = date_x + (_width(self.day, self.size) - _width(self.office, self.size)) / 2
            return max(office_x, 0), date_x
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
        body = fonts.font("body")
        fonts.draw_string(self.canv, office_x, baseline, self.office, body, self.size)
        fonts.draw_string(self.canv, date_x, baseline - self.leading, self.day, body, self.size)


SEAL_DIAMETER = 42 * mm  # an agency's round seal (公章)
# Blank lines between the text and the office's line when the notice is sealed: the seal's top
# ends up within one line of the text and its centre a little above the office's line.
SEAL_ROOM = 3 * BODY_SIZE * 1.75


def chinese_date(day: date) -> str:
    with translation.override("zh-hans"):
        return conventions.date_label(day)  # 2021年1月8日


STATUS_NAMES = {"met": "达标", "at_risk": "预警", "missed": "未达标", "no_data": "无数据"}
ORDINALS = "一二三四五六七八九十"


def _ordinal(n: int) -> str:
    """一 … 十, 十一 … 九十九: the numbers of level-1 (一、) and level-2 (（一）) headings."""
    if n <= 10:
        return ORDINALS[n - 1]
    tens, ones = divmod(n, 10)
    return f"{ORDINALS[tens - 1] if tens > 1 else ''}十{ORDINALS[ones - 1] if ones else ''}"


def _number(value: str | None) -> str:
    return conventions.number(value, 2)  # 1,234.50 / −450.00 / — (docs/conventions.md)


def _change(value: str | None) -> str:
    return conventions.signed_percent(value, 2)  # +0.71% / −3.60% / —


def snapshot_unit(item: dict, base: dict | None = None) -> str:
    """The unit of a snapshot row, or of one of its bases, in the active language, as the notice
    writes it: from the unit code the snapshot froze when the conventions know it (千瓦时, 立方米/人),
    else the text frozen in that language (件, 升/辆)."""
    row = item if base is None else base
    frozen = row["unit"] if conventions.chinese() else row.get("unit_en") or row["unit"]
    return _unit(item.get("unit_en"), frozen, per=None if base is None else base.get("key"))


def snapshot_text(row: dict, field: str) -> str:
    """A frozen name of a snapshot row in the active language (``name`` / ``name_en``)."""
    if conventions.chinese():
        return row.get(field) or ""
    return row.get(f"{field}_en") or row.get(field) or ""


def _unit(code: str | None, frozen: str, *, per: str | None = None) -> str:
    """A row's unit as official documents write it (千瓦时, 立方米/人, 元) from the unit code the
    snapshot froze in English; the frozen Chinese when the conventions do not know the code."""
    if not code or code not in conventions.UNITS or (per and per not in conventions.PER):
        return frozen
    return conventions.unit_label(code, per=per)


@dataclass
class NoticeContent:
    """What the notice says; built from a disclosure's frozen snapshot and its agency's notice data."""

    title_lines: list[str]
    paragraphs: list[tuple[str, object]]  # (kind, text or (role, text) segments): heading | body | table
    table: list[list[str]]
    office: str
    day: date
    draft: bool
    document_number: str = ""
    sealed: bool = True


def notice_table(data: dict, *, year: int) -> list[list[str]]:
    """The notice's table. Each row carries its own baseline year: one year for every row is
    named in the header, otherwise each row says its own. When every row's baseline is last
    year, the last-year columns would repeat the baseline columns and are left out."""
    with translation.override("zh-hans"):
        return _notice_table(data, year=year)


def _notice_table(data: dict, *, year: int) -> list[list[str]]:
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
        unit = _unit(item.get("unit_en"), item["unit"])
        row = [
            f"{prefix}{item['name']}（{unit}{own_year}）",
            _number(item["quarter"]),
            _number(item["ytd"]),
            _number(item["baseline_ytd"]),
            _change(item["change_ytd_vs_baseline"]),
        ]
        if last_year_columns:
            row += [_number(item["last_year_ytd"]), _change(item["change_ytd_vs_last_year"])]
        table.append(row)
        for base in item.get("bases", []):  # per capita, per m², per vehicle …
            base_unit = _unit(item.get("unit_en"), base["unit"], per=base.get("key"))
            row = [
                f"　{base['name']}{item['name']}（{base_unit}）",
                _number(base["quarter"]),
                _number(base["ytd"]),
                _number(base["baseline_ytd"]),
                _change(base["change"]),
            ]
            table.append(row + (["—", "—"] if last_year_columns else []))
    return table


def notice_content(disclosure) -> NoticeContent:
    """The notice in Chinese whatever the reader's language (docs/reporting.md, "The notice")."""
    with translation.override("zh-hans"):
        return _notice_content(disclosure)


def _basis(agency) -> str:
    """根据《…实施方案》（临医保字〔2020〕30号）要求: the agency's creation plan, when it has one."""
    if not agency.plan_title:
        return "根据节约型机关创建工作要求"
    title = agency.plan_title.strip().strip("《》")
    number = f"（{agency.plan_number.strip()}）" if agency.plan_number.strip() else ""
    return f"根据《{title}》{number}要求"


def _objections(agency, day: date) -> str:
    """The posting period (公示期) and whom to tell of an objection."""
    last = day + timedelta(days=max(agency.notice_days, 1) - 1)
    contact = "，".join(
        part
        for part in (
            f"联系人：{agency.notice_contact.strip()}" if agency.notice_contact.strip() else "",
            f"联系电话：{agency.notice_phone.strip()}" if agency.notice_phone.strip() else "",
        )
        if part
    )
    return (
        f"公示期为{conventions.date_label(day)}至{conventions.date_label(last)}。"
        "公示期内如有异议，请向本单位能源资源管理办公室反映" + (f"（{contact}）" if contact else "") + "。"
    )


def _notice_content(disclosure) -> NoticeContent:
    data, agency = disclosure.data, disclosure.agency
    office = data.get("agency") or agency.name
    quarter = conventions.quarter_label(disclosure.year, disclosure.quarter)  # 2020年第四季度
    first, last = disclosure.quarter * 3 - 2, disclosure.quarter * 3
    table = notice_table(data, year=disclosure.year)
    headcount = data.get("headcount")
    paragraphs: list[tuple[str, object]] = [
        (
            "body",
            f"{_basis(agency)}，现将{office}{quarter}（{conventions.months_label(first, last)}）"
            "能源资源消耗情况公示如下。"
            f"本年累计数为{conventions.months_label(1, last)}的合计"
            + (f"，人均数按当年用能人数{headcount}人计算。" if headcount else "。"),
        ),
        ("heading", "一、能源资源消耗情况"),
        ("table", ""),
        ("heading", "二、节约目标完成情况"),
    ]
    targets = [i for i in notice_items(data) if i.get("target")]
    for n, item in enumerate(targets, start=1):
        t = item["target"]
        what = f"{t.get('basis_name') or ''}{item['name']}"
        paragraphs.append(
            (
                "body",
                [
                    ("heading2", f"（{_ordinal(n)}）{what}。"),  # a level-2 heading run in, in Kai
                    (
                        "body",
                        f"{conventions.months_label(1, last)}较{item['baseline_year']}年同期"
                        f"{conventions.change_phrase(t['change'])}，"
                        f"年度目标为{conventions.reduction_target(t['percent'])}，"
                        f"评价为“{STATUS_NAMES.get(t['status'], t['status'])}”。",
                    ),
                ],
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
    day = (
        timezone.localtime(disclosure.published_at).date()
        if disclosure.published_at
        else timezone.localdate()
    )
    paragraphs.append(("body", _objections(agency, day)))
    title = [office, f"{quarter}能源资源消耗情况公示"]
    return NoticeContent(
        title,
        paragraphs,
        table,
        office,
        day,
        draft=not disclosure.is_published,
        document_number=disclosure.document_number,
    )


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(fonts.font("title"), PAGE_NUMBER_SIZE)  # 4号半角宋体阿拉伯数字 (GB/T 9704 7.5)
    canvas.drawCentredString(A4[0] / 2, BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8, f"— {doc.page} —")
    canvas.restoreState()


def _table(rows: list[list[str]]) -> Table:
    widths = [40 * mm, 20 * mm, 22 * mm, 22 * mm, 15 * mm, 22 * mm, 15 * mm]
    if len(rows[0]) == 5:  # no last-year columns (the baseline is last year): the name gets the room
        widths = [62 * mm, 22 * mm, 24 * mm, 28 * mm, 20 * mm]
    cells = [
        [CJKParagraph(c.lstrip("　"), size=TABLE_SIZE, leading=TABLE_SIZE * 1.4,
                      align="center" if i == 0 and j else "left" if j == 0 else "right",
                      indent_chars=len(c) - len(c.lstrip("　")),  # a sub-row is indented by its
                      role="heading1" if i == 0 else "body")  # the header row in Hei
         for j, c in enumerate(row)]
        for i, row in enumerate(rows)
    ]  # fmt: skip
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                (
                    "FONTNAME",
                    (0, 0),
                    (-1, -1),
                    fonts.font("body"),
                ),  # the cell style's default is Helvetica, unembedded
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
        initialFontName=fonts.font(
            "body"
        ),  # reportlab's page preamble would otherwise name Helvetica, unembedded
    )
    frame = Frame(
        LEFT, BOTTOM, TYPE_WIDTH, TYPE_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc.addPageTemplates([PageTemplate(id="notice", frames=[frame], onPage=_page_number)])
    story: list[Flowable] = []
    for line in content.title_lines:
        story.append(
            CJKParagraph(
                line, size=TITLE_SIZE, leading=TITLE_SIZE * 1.5, align="center", bold=True, role="title"
            )
        )
    if content.document_number:  # 发文字号, centred under the title
        story.append(CJKParagraph(content.document_number, size=BODY_SIZE, align="center"))
    if content.draft:
        story.append(CJKParagraph("（草稿，未发布）", size=BODY_SIZE, align="center"))
    story.append(Spacer(1, BODY_SIZE))
    for kind, text in content.paragraphs:
        if kind == "table":
            story += [_table(content.table), Spacer(1, BODY_SIZE * 0.5)]
        elif kind == "heading":  # a heading never ends a page: it needs room for two more lines
            story += [
                CondPageBreak(BODY_SIZE * 1.75 * 3),
                CJKParagraph(text, indent_chars=2, role="heading1"),
            ]
        else:
            story.append(CJKParagraph(text, indent_chars=2))
    # The issuing office and date never stand alone on a page: they keep the last two lines.
    last = story.pop()
    last.wrap(TYPE_WIDTH, TYPE_HEIGHT)
    tail: list[Flowable] = [last]
    if len(last.lines) > 2:
        story.append(_Lines(last, last.lines[:-2], first=True, ends=False))
        tail = [_Lines(last, last.lines[-2:], first=False, ends=True)]
    room = SEAL_ROOM if content.sealed else BODY_SIZE * 1.75  # room for the seal over office and date
    signature = [Spacer(1, room), Signature(content.office, chinese_date(content.day), seal=content.sealed)]
    story.append(KeepTogether(tail + signature))
    doc.build(story)
    return buffer.getvalue()


def notice_render(*, disclosure) -> bytes:
    """The notice PDF of a disclosure (a draft is marked as such)."""
    return build_pdf(notice_content(disclosure))
