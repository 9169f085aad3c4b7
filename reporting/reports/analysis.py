"""The quarterly and annual statistics and analysis report (统计汇总和分析报告) of any registered
indicator: electricity (用电消耗情况统计汇总和分析报告), water, and each ledger that registers an
``AnalysisReport`` (fuel, consumables, waste …) — one module, the same page, Excel file and PDF.

``analysis_report_build`` reads the fact table once (the report's indicator, its registered
breakdowns and its related indicators — a ratio read as its two parts — agency totals and
department rows, for the period and the same months of last year and of the baseline year), the
divisors of the indicator's target bases once and the targets' evaluation;
``analysis_report_xlsx`` and ``analysis_report_pdf`` render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agencies import conventions
from agencies.conventions import quarter_label
from agencies.models import Agency

from ..dashboards.common import HUNDRED, PLACES, chart_number, last_quarter, percent_change
from ..figures.read import monthly_values, period_value
from ..models import MonthlyFigure
from ..periods import Quarter
from ..registry import AnalysisReport, get_indicator, get_report, get_target_base, indicators
from ..targets.bases import divisors, in_base, unit_in_base
from ..targets.evaluate import TargetResult, applicable_targets, targets_evaluate

LARGEST_CHANGES = 5


@dataclass
class ReportLine:
    name: str
    value: Decimal | None = None  # this period
    previous: Decimal | None = None  # same months of last year
    baseline: Decimal | None = None  # same months of the baseline year
    share: Decimal | None = None  # % of the agency total this period
    colour: str = ""  # a breakdown's palette key (its indicator's ``colour``)

    @property
    def change_previous(self) -> Decimal | None:
        return percent_change(self.value, self.previous)

    @property
    def change_baseline(self) -> Decimal | None:
        return percent_change(self.value, self.baseline)

    @property
    def delta_previous(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


@dataclass
class BaseLine:
    """The period's figure in one of the indicator's target bases (per capita, per m², per vehicle)."""

    name: str
    unit: str
    value: Decimal | None
    divisor: Decimal | None
    divisor_text: str = ""  # 用能人数46人


@dataclass
class AnalysisReportData:
    definition: AnalysisReport
    agency: Agency
    year: int
    quarter: int | None
    baseline_year: int | None
    indicator_name: str
    unit: str
    total: ReportLine
    monthly: list[ReportLine]
    departments: list[ReportLine]
    items: list[ReportLine]
    largest_changes: list[tuple[str, ReportLine]]
    related: list[ReportLine]  # other indicators the report shows beside its own (km, L/100 km)
    bases: list[BaseLine]
    target: TargetResult | None
    breakdown_label: str = ""  # what the items are (the indicator's ``breakdown_label``); "" for 分项
    generated_at: object = field(default_factory=timezone.localtime)
    # A period not over yet is read through its last month that has ended (this year's figures
    # and last year's same months alike); None when the period is over.
    through: date | None = None

    def _through(self, period: str) -> str:
        if self.through is None:
            return period
        month = conventions.months_label(self.through.month, self.through.month, self.through.year)
        return _("%(period)s, through %(month)s") % {"period": period, "month": month}

    @property
    def title_period(self) -> str:
        if self.quarter:
            return self._through(quarter_label(self.year, self.quarter))
        return self._through(pgettext("report title", "the year %(year)s") % {"year": self.year})

    @property
    def period_label(self) -> str:
        if self.quarter:  # 2020年第四季度 (docs/conventions.md)
            return self._through(quarter_label(self.year, self.quarter))
        return self._through(_("the year %(year)s") % {"year": self.year})

    @property
    def title(self) -> str:
        return _("%(title)s, %(period)s") % {"title": self.definition.title, "period": self.title_period}

    @property
    def file_stem(self) -> str:
        period = f"{self.year}Q{self.quarter}" if self.quarter else f"{self.year}"
        return f"{self.definition.key}-{self.agency.code}-{period}"

    @property
    def baseline_columns(self) -> int | None:
        """The baseline year when it needs columns of its own (it is not simply last year)."""
        return self.baseline_year if self.baseline_year and self.baseline_year != self.year - 1 else None

    @property
    def total_lines(self) -> list[ReportLine]:
        return [self.total, *self.related]

    def analysis(self) -> list[str]:
        """The report's text: what the numbers say, in sentences (translated)."""
        t, unit = self.total, self.unit
        if t.value is None:
            return [
                _("No %(indicator)s figures have been recorded for %(period)s.")
                % {"indicator": self.indicator_name, "period": self.period_label}
            ]
        paragraphs = [
            _(
                "In %(period)s the agency's %(indicator)s was %(value)s %(unit)s, %(change)s against "
                "the same period of last year (%(previous)s %(unit)s)."
            )
            % {
                "indicator": self.indicator_name,
                "period": self.period_label,
                "value": _fmt(t.value),
                "unit": unit,
                "change": _change_words(t.change_previous),
                "previous": _fmt(t.previous),
            }
        ]
        if self.baseline_year and self.baseline_year != self.year - 1:  # else the sentence above says it
            paragraphs.append(
                _(
                    "Against the same months of the baseline year %(year)s "
                    "(%(baseline)s %(unit)s): %(change)s."
                )
                % {
                    "year": self.baseline_year,
                    "baseline": _fmt(t.baseline),
                    "unit": unit,
                    "change": _change_words(t.change_baseline),
                }
            )
        in_bases = [
            _("%(base)s %(value)s %(unit)s (%(divisor)s)")
            % {"base": b.name, "value": _fmt(b.value, 2), "unit": b.unit, "divisor": b.divisor_text}
            for b in self.bases
            if b.value is not None
        ]
        if in_bases:
            paragraphs.append(_("In its target bases: %(list)s.") % {"list": "；".join(in_bases)})
        related = [
            _("%(name)s %(value)s (%(change)s against last year)")
            % {"name": line.name, "value": _fmt(line.value, 2), "change": _signed_pct(line.change_previous)}
            for line in self.related
            if line.value is not None
        ]
        if related:
            paragraphs.append(_("Alongside: %(list)s.") % {"list": "；".join(related)})
        for kind, lines in ((_("department"), self.departments), (self.item_kind, self.items)):
            if lines and lines[0].value:
                top = lines[0]
                paragraphs.append(
                    _(
                        "The %(kind)s that used the most: %(name)s, %(value)s %(unit)s "
                        "(%(share)s%% of the total)."
                    )
                    % {
                        "kind": kind,
                        "name": top.name,
                        "value": _fmt(top.value),
                        "unit": unit,
                        "share": top.share,
                    }
                )
        if self.largest_changes:
            parts = [
                _("%(name)s %(delta)s %(unit)s (%(change)s)")
                % {
                    "name": line.name,
                    "delta": _signed(line.delta_previous),
                    "unit": unit,
                    "change": _signed_pct(line.change_previous),
                }
                for _kind, line in self.largest_changes
            ]
            paragraphs.append(
                _("The largest changes against last year: %(list)s.") % {"list": "；".join(parts)}
            )
        if self.target is not None:
            paragraphs.append(
                _(
                    "Year to date the reduction target (−%(target)s%% against %(year)s) is %(status)s: "
                    "change %(change)s."
                )
                % {
                    "target": self.target.target_percent.normalize(),
                    "year": self.target.baseline_year,
                    "status": self.target.status_label,
                    "change": _signed_pct(self.target.change_percent),
                }
            )
        return paragraphs

    def chart_data(self) -> dict:
        return {
            "monthly": [
                {
                    "key": self.definition.key,
                    "title": str(self.title),
                    "unit": self.unit,
                    "months": [line.name for line in self.monthly],
                    "series": [
                        s
                        for s in [
                            {
                                "name": str(self.year),
                                "role": "this_year",
                                "data": [chart_number(x.value) for x in self.monthly],
                            },
                            {
                                "name": str(self.year - 1),
                                "role": "previous",
                                "data": [chart_number(x.previous) for x in self.monthly],
                            },
                            self.baseline_columns
                            and {
                                "name": _("%(year)s (baseline)") % {"year": self.baseline_year},
                                "role": "baseline",
                                "data": [chart_number(x.baseline) for x in self.monthly],
                            },
                        ]
                        if s
                    ],
                }
            ],
            "departments": [self._bars("departments", self.departments)],
            "items": [self._bars("items", self.items)],
            "labels": {"this_year": str(self.year), "previous": str(self.year - 1)},
        }

    @property
    def item_kind(self) -> str:
        return self.breakdown_label or _("item")

    def _bars(self, key: str, lines: list[ReportLine]) -> dict:
        return {
            "key": key,
            "unit": self.unit,
            "names": [x.name for x in lines],
            "values": [chart_number(x.value) for x in lines],
            "previous": [chart_number(x.previous) for x in lines],
            "colours": [x.colour for x in lines],  # palette keys, "" for the ordinary colours
        }


def _fmt(value, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{Decimal(value):,.{places}f}"


def _signed(value) -> str:
    if value is None:
        return "–"
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{_fmt(abs(value))}"


def _signed_pct(value) -> str:
    return "–" if value is None else f"{_signed_number(value)}%"


def _signed_number(value: Decimal) -> str:
    return f"{'+' if value > 0 else '−' if value < 0 else '±'}{abs(value):.2f}"


def _change_words(change: Decimal | None) -> str:
    if change is None:
        return _("no comparison possible")
    if change < 0:
        return _("down %(pct)s%%") % {"pct": f"{abs(change):.2f}"}
    if change > 0:
        return _("up %(pct)s%%") % {"pct": f"{change:.2f}"}
    return pgettext("change", "unchanged")


def _default_period(agency: Agency, key: str) -> tuple[int, int | None]:
    """The quarter of the latest figures, unless it has not ended yet: then the last one that has
    (its months still to come would be compared with the whole quarter of last year)."""
    latest = MonthlyFigure.objects.filter(agency=agency, indicator=key, department=None).aggregate(
        m=Max("month")
    )["m"]
    today = timezone.localdate()
    quarter = min(Quarter.containing(latest or today), last_quarter(today))
    return quarter.year, quarter.number


def _divisor_text(base, divisor) -> str:
    """用能人数46人, 建筑面积1,942.42平方米 (the base's ``divisor_text``), else ÷ 46."""
    if divisor is None:
        return ""
    number = _fmt(divisor, 0 if Decimal(divisor) % 1 == 0 else 2)
    return str(base.divisor_text) % {"n": number} if base.divisor_text else f"÷ {number}"


def _baseline_year(agency: Agency, year: int, key: str) -> int | None:
    target = applicable_targets(agency_ids=[agency.pk], year=year).get((agency.pk, key))
    if target:
        return target.baseline_year
    default = getattr(settings, "REPORTING_BASELINE_YEAR", 2019)
    return default if default < year else None


def analysis_report_build(
    *, agency: Agency, key: str, year: int | None = None, quarter: int | None = None
) -> AnalysisReportData:
    """The report ``key`` of ``quarter`` of ``year`` (or the whole year); defaults to the latest
    quarter with figures that has ended (``_default_period``). A period not over yet is read
    through its last ended month, every year's same months. ``LookupError`` for a report that is
    not registered."""
    definition = get_report(key)
    indicator = get_indicator(definition.indicator)
    main = indicator.key
    if year is None:
        year, quarter = _default_period(agency, main)
    months = Quarter(year, quarter).months if quarter else [date(year, m, 1) for m in range(1, 13)]
    ended = [m for m in months if m < timezone.localdate().replace(day=1)]
    through = ended[-1] if ended and len(ended) < len(months) else None
    numbers = [m.month for m in (ended if through else months)]  # last year's: the same months
    baseline_year = _baseline_year(agency, year, main)
    years: dict[int, list[str]] = {year: ["value"], year - 1: ["previous"]}
    if baseline_year:
        years.setdefault(baseline_year, []).append("baseline")
    children = {i.key: i for i in indicators() if i.parent == main and not i.is_ratio}
    unit = conventions.unit_label(indicator.unit)  # 千瓦时 (docs/conventions.md)

    rows = MonthlyFigure.objects.filter(
        agency=agency,
        indicator__in=[main, *children],
        month__in=[date(y, n, 1) for y in years for n in numbers],
    ).values_list(
        "indicator", "department_id", "department__name", "department__sort_order", "month", "value"
    )

    total = ReportLine(_("Agency total"))
    monthly = {n: ReportLine(_("Month %(m)s") % {"m": n}) for n in numbers}
    departments: dict[int, tuple[int, ReportLine]] = {}
    items = {key: ReportLine(str(child.name), colour=child.colour) for key, child in children.items()}
    for row_key, department_id, department_name, sort_order, month, value in rows:
        if row_key == main and department_id is None:
            lines = [total, monthly[month.month]]
        elif row_key == main:
            _order, line = departments.setdefault(department_id, (sort_order, ReportLine(department_name)))
            lines = [line]
        elif department_id is None:
            lines = [items[row_key]]
        else:
            continue  # an item's department rows are not part of this report
        for line in lines:
            for attr in years[month.year]:
                setattr(line, attr, (getattr(line, attr) or Decimal(0)) + value)

    for line in [*(line for _o, line in departments.values()), *items.values(), *monthly.values()]:
        if line.value is not None and total.value:
            line.share = (line.value / total.value * HUNDRED).quantize(PLACES)
    department_lines = _ranked([line for _o, line in sorted(departments.values(), key=lambda p: p[0])])
    item_lines = _ranked(
        [line for line in items.values() if line.value is not None or line.previous is not None]
    )
    breakdown_label = str(indicator.breakdown_label) if indicator.breakdown_label else ""
    changes = [(_("department"), line) for line in department_lines] + [
        (breakdown_label or _("item"), line) for line in item_lines
    ]
    changes = [pair for pair in changes if pair[1].delta_previous]
    changes.sort(key=lambda pair: -abs(pair[1].delta_previous))

    related = _related_lines(agency, definition.related, years, numbers)
    found = divisors(bases=indicator.bases, agency_ids=[agency.pk], years=[year])
    bases = [
        BaseLine(
            name=str(get_target_base(b).name),
            unit=unit_in_base(unit, b),
            value=in_base(total.value, found.get((b, agency.pk, year))),
            divisor=found.get((b, agency.pk, year)),
            divisor_text=_divisor_text(get_target_base(b), found.get((b, agency.pk, year))),
        )
        for b in indicator.bases
    ]
    evaluation = [
        r
        for r in targets_evaluate(agency_ids=[agency.pk], year=year, as_of_month=numbers[-1])
        if r.indicator == main
    ]
    return AnalysisReportData(
        definition=definition,
        agency=agency,
        year=year,
        quarter=quarter,
        baseline_year=baseline_year,
        indicator_name=str(indicator.name),
        unit=unit,
        total=total,
        monthly=[monthly[n] for n in numbers],
        departments=department_lines,
        items=item_lines,
        largest_changes=changes[:LARGEST_CHANGES],
        related=related,
        bases=bases,
        target=evaluation[0] if evaluation else None,
        breakdown_label=breakdown_label,
        through=through,
    )


def _related_lines(agency: Agency, keys, years: dict[int, list[str]], numbers: list[int]) -> list[ReportLine]:
    """The related indicators over the period and the same months of the other years; a ratio
    divides its parts' sums (one query for all of them)."""
    if not keys:
        return []
    months = [date(y, n, 1) for y in years for n in numbers]
    values = monthly_values(agency_ids=[agency.pk], keys=keys, months=months)
    monthly = {(k, m): v for (_a, _d, k, m), v in values.items()}
    lines = []
    for key in keys:
        related = get_indicator(key)
        line = ReportLine(f"{related.name}（{conventions.unit_label(related.unit)}）")
        for y, attrs in years.items():
            value = period_value(related, monthly, [date(y, n, 1) for n in numbers])
            for attr in attrs:
                setattr(line, attr, value)
        lines.append(line)
    return lines


def _ranked(lines: list[ReportLine]) -> list[ReportLine]:
    return sorted(lines, key=lambda line: (line.value is None, -(line.value or 0)))


# --- Excel --------------------------------------------------------------------------------------


def _line_headers(first: str, report: AnalysisReportData) -> list[str]:
    headers = [first, _("This period (%(unit)s)") % {"unit": report.unit}, _("Same period last year")]
    headers.append(_("Change against last year (%)"))
    if report.baseline_columns:
        headers += [
            _("Baseline year %(year)s") % {"year": report.baseline_year},
            _("Change against baseline (%)"),
        ]
    headers.append(_("Share of the total (%)"))
    return headers


def _line_cells(line: ReportLine, report: AnalysisReportData) -> list:
    cells = [line.name, line.value, line.previous, line.change_previous]
    if report.baseline_columns:
        cells += [line.baseline, line.change_baseline]
    cells.append(line.share)
    return cells


def report_tables(report: AnalysisReportData) -> list[tuple[str, list[str], list[list]]]:
    """The report's tables (title, headers, rows) — shared by the Excel file and the PDF."""
    summary = [_line_cells(line, report) for line in [report.total, *report.related]]
    tables = [
        (_("Report summary"), _line_headers(_("Item"), report), summary),
        (_("By month"), _line_headers(_("Month"), report), [_line_cells(x, report) for x in report.monthly]),
        (
            _("By department"),
            _line_headers(_("Department"), report),
            [_line_cells(x, report) for x in report.departments],
        ),
        (
            _("By %(label)s") % {"label": report.breakdown_label} if report.breakdown_label else _("By item"),
            _line_headers(report.breakdown_label or _("Sub-meter item"), report),
            [_line_cells(x, report) for x in report.items],
        ),
        (
            _("Largest changes"),
            [
                pgettext("breakdown", "Kind"),
                _("Name"),
                _("This period"),
                _("Same period last year"),
                _("Difference"),
                _("Year-on-year change (%)"),
            ],
            [
                [kind, x.name, x.value, x.previous, x.delta_previous, x.change_previous]
                for kind, x in report.largest_changes
            ],
        ),
    ]
    return tables


def analysis_report_xlsx(*, report: AnalysisReportData) -> bytes:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from ..spreadsheets import new_workbook, sheet_title, workbook_bytes

    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = sheet_title(_("Analysis"))
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([report.agency.name])
    for paragraph in report.analysis():
        sheet.append([paragraph])
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 120
    for title, headers, rows in report_tables(report):
        ws = workbook.create_sheet(sheet_title(title, workbook.sheetnames))
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for index, _header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(index)].width = 18 if index > 1 else 24
        ws.freeze_panes = "A2"
    return workbook_bytes(workbook)


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_cell(value) -> str:
    if value is None or isinstance(value, Decimal):
        return conventions.number(value, 2)  # 1,234.50 / −450.00 / —
    return str(value)


def analysis_report_pdf(*, report: AnalysisReportData) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from .. import fonts
    from ..disclosures.notice import CJKParagraph, register_font

    font = register_font()  # the notice's embedded CJK TrueType font, once per process
    title_style = ParagraphStyle("title", fontName=font, fontSize=18, leading=26, alignment=TA_CENTER)
    sub_style = ParagraphStyle("sub", fontName=font, fontSize=11, leading=16, alignment=TA_CENTER)
    heading = ParagraphStyle("h", fontName=font, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11, wordWrap="CJK")

    def page_number(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, f"— {doc.page} —")
        canvas.restoreState()

    story = [
        Paragraph(fonts.markup(report.title, font), title_style),
        Paragraph(fonts.markup(f"{report.agency.name} · {report.generated_at:%Y-%m-%d}", font), sub_style),
        Spacer(1, 6 * mm),
        Paragraph(_("Analysis"), heading),
        *[CJKParagraph(p, size=11, leading=18, indent_chars=2) for p in report.analysis()],
    ]
    width = A4[0] - 40 * mm
    for title, headers, rows in report_tables(report):
        if not rows:
            continue
        # markup: a character the face lacks (− U+2212) is drawn in the fallback face
        data = [[Paragraph(fonts.markup(h, font), cell) for h in headers]]
        data += [[Paragraph(fonts.markup(_pdf_cell(v), font), cell) for v in r] for r in rows]
        first = width * 0.24
        rest = (width - first) / (len(headers) - 1)
        table = Table(data, colWidths=[first] + [rest] * (len(headers) - 1), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),  # the cell style's default: Helvetica
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f0ea")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        story += [Paragraph(fonts.markup(title, font), heading), table]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=report.title,
        author=report.agency.name,
        initialFontName=font,  # reportlab's page preamble would otherwise name Helvetica, unembedded
    )
    document.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return buffer.getvalue()
