from django.urls import path

from intake import legal_views, views

urlpatterns = [
    path("", views.contact_register, name="intake_register"),
    path("mine/", views.contact_mine, name="intake_mine"),
    path("overdue/", views.contact_overdue, name="intake_overdue"),
    path("new/", views.contact_create, name="intake_create"),
    path("online/", views.online_contact, name="online_contact"),
    path("<int:pk>/", views.contact_detail, name="intake_detail"),
    path("<int:pk>/reveal/<str:field>/", views.contact_reveal, name="intake_reveal"),
    path("<int:pk>/act/", views.contact_act, name="intake_act"),
    path("<int:pk>/close/", views.contact_close, name="intake_close"),
    path("<int:pk>/follow-up/", views.contact_follow_up, name="intake_follow_up"),
    path("<int:pk>/household/", views.contact_household, name="intake_household"),
    path("<int:pk>/application/", views.contact_application, name="intake_application"),
    path("<int:pk>/letter/", views.contact_attachment, name="intake_attachment"),
    path("legal-aid/", legal_views.legal_aid_list, name="legal_aid_list"),
    path("legal-aid/new/", legal_views.legal_aid_create, name="legal_aid_create"),
    path("legal-aid/providers/", legal_views.legal_aid_providers, name="legal_aid_providers"),
    path("legal-aid/<int:pk>/", legal_views.legal_aid_detail, name="legal_aid_detail"),
    path("legal-aid/<int:pk>/refer/", legal_views.legal_aid_refer, name="legal_aid_refer"),
    path("legal-aid/<int:pk>/conclude/", legal_views.legal_aid_conclude, name="legal_aid_conclude"),
    path(
        "legal-aid/<int:pk>/reveal/<str:field>/",
        legal_views.legal_aid_reveal,
        name="legal_aid_reveal",
    ),
    path("statistics/", legal_views.intake_statistics, name="intake_statistics"),
]
