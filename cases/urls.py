from django.urls import path

from cases import views

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("new/<int:household_pk>/", views.application_create, name="application_create"),
    path("medical-suggestion/", views.medical_suggestion, name="medical_suggestion"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/act/", views.application_act, name="application_act"),
    path("<int:pk>/resubmit/", views.application_resubmit, name="application_resubmit"),
    path("<int:pk>/investigation/", views.investigation_add, name="investigation_add"),
    path("<int:pk>/form/", views.application_print, name="application_print"),
    path(
        "<int:pk>/decisions/<int:decision_pk>/file/",
        views.household_snapshot,
        name="household_snapshot",
    ),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:notice_pk>/objection/", views.objection_lodge, name="objection_lodge"),
    path("objections/<int:pk>/resolve/", views.objection_resolve, name="objection_resolve"),
]
