from django.urls import path

from reports import views

urlpatterns = [
    path("annual/", views.annual_report_page, name="annual_report"),
    path("annual/xlsx/", views.annual_report_xlsx, name="annual_report_xlsx"),
    path("annual/pdf/", views.annual_report_pdf, name="annual_report_pdf"),
    path("roster.xlsx", views.roster_xlsx, name="roster_xlsx"),
    path("notices.pdf", views.notice_pdf, name="notice_pdf"),
    path("applications/<int:pk>.pdf", views.application_pdf, name="application_pdf"),
    path("bank/<int:pk>/file/", views.bank_batch_file, name="bank_batch_file"),
    path("bank/<int:pk>/roster.pdf", views.bank_roster, {"kind": "pdf"}, name="bank_roster_pdf"),
    path("bank/<int:pk>/roster.xlsx", views.bank_roster, {"kind": "xlsx"}, name="bank_roster_xlsx"),
    path("plans/<int:pk>/roster.pdf", views.plan_roster, {"kind": "pdf"}, name="plan_roster_pdf"),
    path(
        "plans/<int:pk>/roster.xlsx", views.plan_roster, {"kind": "xlsx"}, name="plan_roster_xlsx"
    ),
    path("statistics/", views.statistics_page, name="statistics"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
