from django.urls import path

from households import duty_views, plan_views, views

urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("<int:pk>/aid-plan/", plan_views.aid_plan_edit, name="aid_plan_edit"),
    path("<int:pk>/aid-plan/progress/", plan_views.measure_progress, name="measure_progress"),
    path("<int:pk>/card/confirm/", views.card_confirm, name="card_confirm"),
    path("<int:pk>/reveal/<slug:field>/", views.household_reveal, name="household_reveal"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("evidence/expiring/", duty_views.evidence_expiring, name="evidence_expiring"),
    path("responsible/unmatched/", duty_views.responsible_unmatched, name="responsible_unmatched"),
    path("<int:pk>/responsible/", duty_views.responsible_assign, name="responsible_assign"),
]
