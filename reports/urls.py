from django.urls import path

from reports import disclosure_views, views

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
    path("disclosures/", disclosure_views.disclosure_list, name="disclosure_list"),
    path("disclosures/new/", disclosure_views.disclosure_create, name="disclosure_create"),
    path("disclosures/<int:pk>/", disclosure_views.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<int:pk>/pdf/", disclosure_views.disclosure_pdf, name="disclosure_pdf"),
    path(
        "disclosures/<int:pk>/correct/",
        disclosure_views.disclosure_correct,
        name="disclosure_correct",
    ),
    path(
        "disclosures/<int:pk>/recompute/",
        disclosure_views.disclosure_recompute,
        name="disclosure_recompute",
    ),
    path(
        "disclosures/<int:pk>/submit/", disclosure_views.disclosure_submit, name="disclosure_submit"
    ),
    path(
        "disclosures/<int:pk>/decide/", disclosure_views.disclosure_decide, name="disclosure_decide"
    ),
    path(
        "disclosures/<int:pk>/publish/",
        disclosure_views.disclosure_publish,
        name="disclosure_publish",
    ),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
]
