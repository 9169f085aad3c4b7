from django.urls import path

from .views import dashboards, disclosures, jobs, public, reports, targets

app_name = "reporting"

urlpatterns = [
    path("targets/", targets.targets, name="targets"),
    path("targets/save/", targets.target_save, name="target_save"),
    path("targets/<int:pk>/delete/", targets.target_delete, name="target_delete"),
    path("disclosures/", disclosures.disclosure_list, name="disclosure_list"),
    path("disclosures/compute/", disclosures.disclosure_compute, name="disclosure_compute"),
    path("disclosures/<int:pk>/", disclosures.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<int:pk>/publish/", disclosures.disclosure_publish, name="disclosure_publish"),
    path("disclosures/<int:pk>/reopen/", disclosures.disclosure_reopen, name="disclosure_reopen"),
    path("disclosures/<int:pk>/notice.pdf", disclosures.disclosure_pdf, name="disclosure_pdf"),
    path("disclosures/<int:pk>/export.xlsx", disclosures.disclosure_xlsx, name="disclosure_xlsx"),
    path("jobs/", jobs.job_list, name="job_list"),
    path("jobs/<int:pk>/retry/", jobs.job_retry, name="job_retry"),
    path("public/", public.public_notices, name="public_notices"),
    path("public/<int:pk>/", public.public_notice, name="public_notice"),
    path("public/<int:pk>/notice.pdf", public.public_notice_pdf, name="public_notice_pdf"),
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("city/", dashboards.city_dashboard_view, name="city_dashboard"),
    path("ledger.xlsx", reports.consumption_ledger_xlsx, name="consumption_ledger_xlsx"),
    path("reports/", reports.analysis_report, name="analysis_report"),
    path("reports/report.xlsx", reports.analysis_report_xlsx_view, name="analysis_report_xlsx"),
    path("reports/report.pdf", reports.analysis_report_pdf_view, name="analysis_report_pdf"),
]
