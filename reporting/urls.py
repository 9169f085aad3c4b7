from django.urls import path

from . import dashboard_views, report_views, views

app_name = "reporting"

urlpatterns = [
    path("targets/", views.targets, name="targets"),
    path("targets/save/", views.target_save, name="target_save"),
    path("targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("disclosures/", views.disclosure_list, name="disclosure_list"),
    path("disclosures/compute/", views.disclosure_compute, name="disclosure_compute"),
    path("disclosures/<int:pk>/", views.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<int:pk>/publish/", views.disclosure_publish, name="disclosure_publish"),
    path("disclosures/<int:pk>/reopen/", views.disclosure_reopen, name="disclosure_reopen"),
    path("disclosures/<int:pk>/notice.pdf", views.disclosure_pdf, name="disclosure_pdf"),
    path("disclosures/<int:pk>/export.xlsx", views.disclosure_xlsx, name="disclosure_xlsx"),
    path("ledger.xlsx", views.consumption_ledger_xlsx, name="consumption_ledger_xlsx"),
    path("public/", views.public_notices, name="public_notices"),
    path("public/<int:pk>/", views.public_notice, name="public_notice"),
    path("public/<int:pk>/notice.pdf", views.public_notice_pdf, name="public_notice_pdf"),
    # Dashboards and the electricity report (branch dashboards) — keep this block together.
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("city/", dashboard_views.city_dashboard_view, name="city_dashboard"),
    path("electricity-report/", report_views.electricity_report, name="electricity_report"),
    path("electricity-report.xlsx", report_views.electricity_report_xlsx, name="electricity_report_xlsx"),
    path("electricity-report.pdf", report_views.electricity_report_pdf, name="electricity_report_pdf"),
    # End of the dashboards block.
]
