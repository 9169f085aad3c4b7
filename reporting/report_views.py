"""The electricity statistics and analysis report (用电消耗情况统计汇总和分析报告): page, Excel, PDF."""

from django.http import HttpResponse
from django.shortcuts import render

from agencies.models import Role
from agencies.scoping import scope_required

from .dashboard_forms import ReportPeriodForm
from .electricity_report import electricity_report_build
from .electricity_report import electricity_report_pdf as build_pdf
from .electricity_report import electricity_report_xlsx as build_xlsx

REPORT_ROLES = (Role.LEADER, Role.MANAGER, Role.CITY)


def _report(request):
    form = ReportPeriodForm(request.GET or None)
    year, quarter = form.period()
    return form, electricity_report_build(agency=request.scope.agency, year=year, quarter=quarter)


@scope_required(*REPORT_ROLES)
def electricity_report(request):
    form, report = _report(request)
    context = {"form": form, "r": report, "chart_data": report.chart_data()}
    return render(request, "reporting/dashboard/electricity_report.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@scope_required(*REPORT_ROLES)
def electricity_report_xlsx(request):
    _form, report = _report(request)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(build_xlsx(report=report), content_type, f"{report.file_stem}.xlsx")


@scope_required(*REPORT_ROLES)
def electricity_report_pdf(request):
    _form, report = _report(request)
    return _download(build_pdf(report=report), "application/pdf", f"{report.file_stem}.pdf")
