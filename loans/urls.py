from django.urls import path

from loans import views

urlpatterns = [
    path("", views.loan_list, name="loan_list"),
    path("overdue/", views.loan_overdue, name="loan_overdue"),
    path("apply/<int:household_pk>/", views.loan_apply, name="loan_apply"),
    path("<int:pk>/", views.loan_detail, name="loan_detail"),
    path("<int:pk>/act/", views.loan_act, name="loan_act"),
    path("<int:pk>/disburse/", views.loan_disburse, name="loan_disburse"),
    path("<int:pk>/repay/", views.loan_repay, name="loan_repay"),
    path("repayments/<int:pk>/reverse/", views.repayment_reverse, name="loan_repayment_reverse"),
    path("<int:pk>/motion/", views.motion_create, name="loan_motion_create"),
    path("motions/<int:pk>/act/", views.motion_act, name="loan_motion_act"),
]
