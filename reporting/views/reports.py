"""Reports: the statistics and analysis report of any registered indicator (page, Excel, PDF) and
the consumption statistics ledger."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.scoping import scope_required

from ..forms import ReportPeriodForm
from ..registry import reports
from ..reports.analysis import analysis_report_build, analysis_report_pdf, analysis_report_xlsx
from ..reports.ledger_workbook import consumption_ledger_workbook
from .files import PDF, READERS, XLSX, file_response, year_param


def _report(request):
    """``?report=water&year=2020&quarter=4``: the registered report (the first one by default)."""
    form = ReportPeriodForm(request.GET or None)
    year, quarter = form.period()
    registered = reports()
    key = request.GET.get("report") or (registered[0].key if registered else "")
    try:
        report = analysis_report_build(agency=request.scope.agency, key=key, year=year, quarter=quarter)
    except LookupError:
        raise Http404(_("No report of this name is registered.")) from None
    return form, report


@scope_required(*READERS)
def analysis_report(request):
    form, report = _report(request)
    context = {"form": form, "r": report, "chart_data": report.chart_data(), "reports": reports()}
    return render(request, "reporting/dashboard/analysis_report.html", context)


@scope_required(*READERS)
def analysis_report_xlsx_view(request):
    _form, report = _report(request)
    return file_response(analysis_report_xlsx(report=report), XLSX, f"{report.file_stem}.xlsx")


@scope_required(*READERS)
def analysis_report_pdf_view(request):
    _form, report = _report(request)
    return file_response(analysis_report_pdf(report=report), PDF, f"{report.file_stem}.pdf")


@scope_required(*READERS)
def consumption_ledger_xlsx(request):
    scope = request.scope
    year = year_param(request, timezone.localdate().year)
    return file_response(
        consumption_ledger_workbook(agency=scope.agency, year=year), XLSX, f"{scope.agency.code}-{year}.xlsx"
    )
