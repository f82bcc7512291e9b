"""Casework pages keep the paths they had under households and applications."""

from django.urls import path

from casework import task_views, views

urlpatterns = [
    path("applications/inbox/", views.inbox, name="inbox"),
    path("applications/visits/new/<int:household_pk>/", views.visit_create, name="visit_create"),
    path("households/reviews/", views.review_list, name="review_list"),
    path("households/<int:pk>/review/", views.review_create, name="review_create"),
    path("tasks/", task_views.task_list, name="task_list"),
    path("tasks/households/", task_views.my_households, name="my_households"),
    path("notifications/", task_views.notification_list, name="notification_list"),
    path(
        "notifications/read-all/", task_views.notifications_read_all, name="notifications_read_all"
    ),
]
