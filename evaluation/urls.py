from django.urls import path

from evaluation import views

urlpatterns = [
    path("", views.evaluation_index, name="evaluation_index"),
    path("units/<int:pk>/", views.evaluation_sheet, name="evaluation_sheet"),
    path("units/<int:pk>/targets/", views.target_edit, name="target_edit"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/items/<int:pk>/answer/", views.survey_answer, name="survey_answer"),
]
