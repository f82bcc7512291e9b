"""Casework pages keep the paths they had under households and applications."""

from django.urls import path

from casework import views

urlpatterns = [
    path("applications/inbox/", views.inbox, name="inbox"),
]
