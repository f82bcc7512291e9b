from django.urls import path

from crosscheck import verification_views, views

urlpatterns = [
    path("", views.list_index, name="crosscheck_lists"),
    path("import/", views.list_import, name="crosscheck_import"),
    path("lists/<int:pk>/", views.list_detail, name="crosscheck_list_detail"),
    path("lines/<int:pk>/", views.line_act, name="crosscheck_line_act"),
    path("duplicates/", views.duplicates, name="crosscheck_duplicates"),
    path("duplicates/<int:pk>/decide/", views.duplicate_decide, name="crosscheck_duplicate_decide"),
    path("watchlist/", views.watchlist, name="crosscheck_watchlist"),
    path("follow-ups/", views.follow_ups, name="crosscheck_follow_ups"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="crosscheck_follow_up_close"),
    path("verifications/", verification_views.verification_list, name="verification_list"),
    path("verifications/new/", verification_views.verification_create, name="verification_create"),
    path(
        "verifications/<int:pk>/",
        verification_views.verification_detail,
        name="verification_detail",
    ),
    path(
        "verifications/items/<int:pk>/",
        verification_views.verification_record,
        name="verification_record",
    ),
]
