from django.urls import path

from reports import views

urlpatterns = [
    path("annual/", views.annual_report_page, name="annual_report"),
    path("annual/xlsx/", views.annual_report_xlsx, name="annual_report_xlsx"),
    path("annual/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path("roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("notices.pdf", views.notice_pdf, name="notice_pdf"),
    path("applications/<int:pk>.pdf", views.application_pdf, name="application_pdf"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
