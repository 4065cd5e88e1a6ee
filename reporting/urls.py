from django.urls import path

from reporting.annual_report import views as annual_report_views
from reporting.dashboards import views as dashboard_views
from reporting.subject_access import views as subject_access_views

app_name = "reporting"

urlpatterns = [
    path("reports/", dashboard_views.dashboard_view, name="dashboard"),
    path("reports/csv/<slug:table>/", dashboard_views.table_csv, name="table_csv"),
    path("reports/cases/", dashboard_views.drilldown, name="drilldown"),
    path("reports/annual/", annual_report_views.annual_reports, name="annual_reports"),
    path("reports/annual/<int:year>/", annual_report_views.annual_report, name="annual_report"),
    path("reports/annual/<int:year>/pdf/", annual_report_views.annual_report_pdf, name="annual_report_pdf"),
    path("subject-access/", subject_access_views.subject_access, name="subject_access"),
]
