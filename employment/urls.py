from django.urls import path

from employment import views

urlpatterns = [
    path("", views.index, name="employment_index"),
    path("partners/new/", views.partner_create, name="partner_create"),
    path("vacancies/new/", views.vacancy_create, name="vacancy_create"),
    path("match/", views.match, name="employment_match"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/<int:pk>/", views.course_detail, name="course_detail"),
    path("households/<int:pk>/", views.household, name="employment_household"),
    path("members/<int:pk>/enrol/", views.enrol, name="enrolment_create"),
    path("members/<int:pk>/refer/", views.referral_create, name="referral_create"),
    path("enrolments/<int:pk>/", views.enrolment_result, name="enrolment_result"),
    path("enrolments/<int:pk>/certificate/", views.certificate, name="certificate_download"),
    path("referrals/<int:pk>/", views.referral_result, name="referral_result"),
    path("placements/<int:pk>/confirm/", views.placement_confirm, name="placement_confirm"),
]
