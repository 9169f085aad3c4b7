from django.urls import path

from . import dashboard_views, report_views

app_name = "reporting"

urlpatterns: list = [
    # Dashboards and the electricity report (branch dashboards) — keep this block together.
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("city/", dashboard_views.city_dashboard_view, name="city_dashboard"),
    path("electricity-report/", report_views.electricity_report, name="electricity_report"),
    path("electricity-report.xlsx", report_views.electricity_report_xlsx, name="electricity_report_xlsx"),
    path("electricity-report.pdf", report_views.electricity_report_pdf, name="electricity_report_pdf"),
    # End of the dashboards block.
]
