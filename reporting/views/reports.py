"""Reports: the electricity statistics and analysis report (page, Excel, PDF) and the consumption ledger."""

from django.shortcuts import render
from django.utils import timezone

from agencies.scoping import scope_required

from ..forms import ReportPeriodForm
from ..reports.analysis import electricity_report_build
from ..reports.analysis import electricity_report_pdf as build_pdf
from ..reports.analysis import electricity_report_xlsx as build_xlsx
from ..reports.ledger_workbook import consumption_ledger_workbook
from .files import PDF, READERS, XLSX, file_response, year_param


def _report(request):
    form = ReportPeriodForm(request.GET or None)
    year, quarter = form.period()
    return form, electricity_report_build(agency=request.scope.agency, year=year, quarter=quarter)


@scope_required(*READERS)
def electricity_report(request):
    form, report = _report(request)
    context = {"form": form, "r": report, "chart_data": report.chart_data()}
    return render(request, "reporting/dashboard/electricity_report.html", context)


@scope_required(*READERS)
def electricity_report_xlsx(request):
    _form, report = _report(request)
    return file_response(build_xlsx(report=report), XLSX, f"{report.file_stem}.xlsx")


@scope_required(*READERS)
def electricity_report_pdf(request):
    _form, report = _report(request)
    return file_response(build_pdf(report=report), PDF, f"{report.file_stem}.pdf")


@scope_required(*READERS)
def consumption_ledger_xlsx(request):
    scope = request.scope
    year = year_param(request, timezone.localdate().year)
    return file_response(
        consumption_ledger_workbook(agency=scope.agency, year=year), XLSX, f"{scope.agency.code}-{year}.xlsx"
    )
