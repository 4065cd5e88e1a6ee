from django.urls import path

from reporting import report_views, views
from reporting.subject_access import views as subject_access_views

app_name = "reporting"

urlpatterns = [
    path("reports/", views.dashboard_view, name="dashboard"),
    path("reports/csv/<slug:table>/", views.table_csv, name="table_csv"),
    path("reports/cases/", views.drilldown, name="drilldown"),
    path("reports/annual/", report_views.annual_reports, name="annual_reports"),
    path("reports/annual/<int:year>/", report_views.annual_report, name="annual_report"),
    path("reports/annual/<int:year>/pdf/", report_views.annual_report_pdf, name="annual_report_pdf"),
    path("subject-access/", subject_access_views.subject_access, name="subject_access"),
]
