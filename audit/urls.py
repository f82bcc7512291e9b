from django.urls import path

from audit import views

urlpatterns = [
    path("", views.auditor_page, name="auditor_page"),
    path("checks/", views.checks_page, name="integrity_checks"),
    path("trail/", views.trail_page, name="audit_trail"),
]
