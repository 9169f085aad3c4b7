"""PDFs in the public notice's style (GB/T 9704-2012 layout, the notice's font and line breaking):
the monthly waste display (定期公示垃圾清运量) here, and ``document_pdf`` for the spot-check
bulletin of ``campaigns``.

Every category is drawn in its colour from the shared palette (``categories.category_colour``):
the swatch column of the table and the bars of the chart.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import partial

from django.utils import translation
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
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
from reporting import fonts
from reporting.disclosures.notice import (
    BODY_SIZE,
    LEFT,
    PAGE_NUMBER_SIZE,
    TITLE_SIZE,
    TOP,
    TYPE_HEIGHT,
    TYPE_WIDTH,
    CJKParagraph,
    Signature,
    register_font,
)

from .categories import WasteCategory, hex_to_rgb
from .queries import Display

BOTTOM = A4[1] - TOP - TYPE_HEIGHT
TABLE_SIZE = 10.5  # 五号
GREY = colors.Color(0.93, 0.93, 0.93)


def rgb(colour: str) -> colors.Color:
    return colors.Color(*hex_to_rgb(colour))


def kg(value: Decimal | None) -> str:
    return conventions.number(value, 2)


def percent(value: Decimal | None) -> str:
    return conventions.percent(value, 1)


def cells(rows: Sequence[Sequence[str]], *, text_columns: Sequence[int] = (0,)) -> list[list[Flowable]]:
    """Table text as CJK paragraphs: the header centred, text columns left, numbers right."""
    return [
        [
            CJKParagraph(
                text,
                size=TABLE_SIZE,
                leading=TABLE_SIZE * 1.4,
                align="center" if i == 0 else ("left" if j in text_columns else "right"),
                role="heading1" if i == 0 else "body",
            )
            for j, text in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]


def table_style(extra: Sequence[tuple] = ()) -> TableStyle:
    return TableStyle(
        [
            (
                "FONTNAME",
                (0, 0),
                (-1, -1),
                fonts.font("body"),
            ),  # the cell style's default is Helvetica, unembedded
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, 0), GREY),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]
    )


def _page_number(canvas, doc):
    canvas.saveState()
    canvas.setFont(fonts.font("title"), PAGE_NUMBER_SIZE)
    canvas.drawCentredString(A4[0] / 2, BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8, f"— {doc.page} —")
    canvas.restoreState()


@dataclass
class Document:
    """An official document: title lines, a story of flowables, the issuing office and its date."""

    title_lines: list[str]
    story: list[Flowable]
    office: str
    day: date
    subject: str


def addressee(text: str) -> CJKParagraph:
    """The addressee line (主送机关), flush left."""
    return CJKParagraph(text, align="left")


def body(text: str) -> CJKParagraph:
    return CJKParagraph(text, indent_chars=2)


def heading(text: str) -> list[Flowable]:
    """A level-1 heading that never ends a page."""
    return [CondPageBreak(BODY_SIZE * 1.75 * 3), CJKParagraph(text, indent_chars=2, role="heading1")]


def document_pdf(document: Document) -> bytes:
    """Lay the document out on A4 in the notice's type area, pages numbered "— 1 —"; in Chinese
    (numbers, units and dates by ``agencies.conventions``) whatever the reader's language."""
    with translation.override("zh-hans"):
        return _document_pdf(document)


def _document_pdf(document: Document) -> bytes:
    register_font()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=LEFT,
        rightMargin=A4[0] - LEFT - TYPE_WIDTH,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=" ".join(document.title_lines),
        author=document.office,
        subject=document.subject,
        initialFontName=fonts.font(
            "body"
        ),  # reportlab's page preamble would otherwise name Helvetica, unembedded
    )
    frame = Frame(
        LEFT, BOTTOM, TYPE_WIDTH, TYPE_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
    )
    doc.addPageTemplates([PageTemplate(id="document", frames=[frame], onPage=_page_number)])
    story: list[Flowable] = [
        CJKParagraph(line, size=TITLE_SIZE, leading=TITLE_SIZE * 1.5, align="center", bold=True, role="title")
        for line in document.title_lines
    ]
    story.append(Spacer(1, BODY_SIZE))
    story += document.story
    # The issuing office and date never stand alone on a page: they keep the last flowable.
    signature = Signature(document.office, conventions.date_label(document.day))
    story.append(KeepTogether([story.pop(), Spacer(1, BODY_SIZE), signature]))
    doc.build(story)
    return buffer.getvalue()


# --- the monthly waste display ---------------------------------------------------------------------


def _month_label(month: date) -> str:
    return f"{month.year}年{month.month}月"


def _category_table(display: Display) -> Table:
    with_kg = partial(conventions.with_unit, unit="kg")
    rows = [["", "类别", with_kg("本月"), "占本月", with_kg("本年累计"), with_kg("上年同月")]]
    for row in display.rows:
        rows.append(
            [
                "",
                row.label,
                kg(row.month),
                percent(row.month_share),
                kg(row.year_to_date),
                kg(row.last_year_month),
            ]
        )
    rows.append(
        ["", "合计", kg(display.total_month), percent(Decimal(100) if display.total_month else None),
         kg(display.total_year_to_date), kg(display.total_last_year_month)]
    )  # fmt: skip
    widths = [6 * mm, 30 * mm, 28 * mm, 20 * mm, 36 * mm, 36 * mm]
    table = Table(cells(rows, text_columns=(1,)), colWidths=widths, repeatRows=1)
    swatches = [("BACKGROUND", (0, i + 1), (0, i + 1), rgb(row.colour)) for i, row in enumerate(display.rows)]
    table.setStyle(table_style(swatches))
    return table


def _trend_chart(display: Display) -> Drawing:
    """Stacked bars of the last 12 months, one colour per category, with a legend."""
    width, height = TYPE_WIDTH, 58 * mm
    drawing = Drawing(width, height)
    drawing.initialFontName = fonts.font("body")  # the drawing's state would otherwise start in Helvetica
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 14 * mm, 16 * mm, width - 20 * mm, height - 26 * mm
    chart.data = [[float(v) for v in display.trend[row.key]] for row in display.rows]
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.categoryNames = [f"{m.month}月" for m in display.trend_months]
    chart.categoryAxis.labels.fontName = fonts.font("body")
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = fonts.font("body")
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.barSpacing = 1
    for i, row in enumerate(display.rows):
        chart.bars[i].fillColor = rgb(row.colour)
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 14 * mm, height - 2 * mm
    legend.fontName, legend.fontSize = fonts.font("body"), 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 32 * mm
    legend.colorNamePairs = [(rgb(row.colour), row.label) for row in display.rows]
    drawing.add(legend)
    drawing.add(
        String(
            2 * mm, height - 12 * mm, conventions.unit_label("kg"), fontName=fonts.font("body"), fontSize=7
        )
    )
    return drawing


def display_pdf(
    *, display: Display, office: str, handovers: Sequence[tuple[str, str]] = (), day: date
) -> bytes:
    """定期公示垃圾清运量: the month's collected amounts by category, in the category colours.

    ``handovers`` are the month's hazardous hand-overs as (disposer, manifest number). The
    document is in Chinese whatever the reader's language, like the public notice.
    """
    with translation.override("zh-hans"):
        names = {c.value: str(c.label) for c in WasteCategory}
        display = replace(display, rows=[replace(row, label=names[row.key]) for row in display.rows])
        return document_pdf(_display_document(display, office=office, handovers=handovers, day=day))


def _display_document(display: Display, *, office: str, handovers, day: date) -> Document:
    month, unit = _month_label(display.month), conventions.unit_label("kg")
    if handovers:
        listed = "；".join(f"{company}（转移联单{manifest}）" for company, manifest in handovers)
        hazardous = f"有害垃圾单独存放，交由有资质的危险废物处置单位处置：{listed}。"
    else:
        hazardous = "本月无有害垃圾移交，有害垃圾在暂存点单独存放。"
    story: list[Flowable] = [
        body(
            f"根据节约型机关创建工作要求，现将{month}生活垃圾分类清运情况公示如下"
            "（重量以清运单位过磅数为准）。如有疑问，请向本单位能源资源管理办公室反映。"
        ),
        *heading("一、分类清运量"),
        _category_table(display),
        Spacer(1, BODY_SIZE * 0.5),
        body(
            f"本月清运{display.records_month}次，共{kg(display.total_month)}{unit}，"
            f"其中可回收物占{percent(display.recyclable_share_month)}；"
            f"本年累计{kg(display.total_year_to_date)}{unit}，"
            f"可回收物占{percent(display.recyclable_share_year)}。{hazardous}"
        ),
        KeepTogether([*heading("二、近12个月清运量"), _trend_chart(display)]),
    ]
    return Document(
        title_lines=[office, f"{month}垃圾分类清运量公示"],
        story=story,
        office=office,
        day=day,
        subject="垃圾分类清运量公示",
    )
