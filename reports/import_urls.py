"""Importing household rosters; included under reports/import/."""

from django.urls import path

from reports import import_views

urlpatterns = [
    path("", import_views.roster_import, name="roster_import"),
    path("template.xlsx", import_views.roster_import_template, name="roster_import_template"),
    path("errors.xlsx", import_views.roster_import_errors, name="roster_import_errors"),
    path("commit/", import_views.roster_import_commit, name="roster_import_commit"),
]
