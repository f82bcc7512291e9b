"""Casework pages keep the paths they had under households and applications."""

from django.urls import path

from casework import change_views, round_views, task_views, views

urlpatterns = [
    path("applications/inbox/", views.inbox, name="inbox"),
    path("applications/visits/new/<int:household_pk>/", views.visit_create, name="visit_create"),
    path("households/reviews/", views.review_list, name="review_list"),
    path("households/<int:pk>/review/", views.review_create, name="review_create"),
    path("households/rounds/", round_views.round_list, name="round_list"),
    path("households/rounds/new/", round_views.round_create, name="round_create"),
    path("households/rounds/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("households/changes/", change_views.change_list, name="change_list"),
    path(
        "households/<int:household_pk>/changes/new/",
        change_views.change_create,
        name="change_create",
    ),
    path("households/changes/<int:pk>/", change_views.change_detail, name="change_detail"),
    path("households/changes/<int:pk>/accept/", change_views.change_accept, name="change_accept"),
    path("households/changes/<int:pk>/reject/", change_views.change_reject, name="change_reject"),
    path(
        "households/changes/<int:pk>/exit/",
        change_views.change_exit_propose,
        name="change_exit_propose",
    ),
    path("tasks/", task_views.task_list, name="task_list"),
    path("tasks/households/", task_views.my_households, name="my_households"),
    path("notifications/", task_views.notification_list, name="notification_list"),
    path(
        "notifications/read-all/", task_views.notifications_read_all, name="notifications_read_all"
    ),
]
