from django.urls import path

from funds import campaign_views, views

urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("new/", views.fund_create, name="fund_create"),
    path("<int:pk>/", views.fund_detail, name="fund_detail"),
    path("<int:pk>/receipt/", views.receipt_add, name="receipt_add"),
    path("<int:pk>/close-year/", views.fund_close_year, name="fund_close_year"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("pay/<int:application_pk>/", views.payment_create, name="payment_create"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:pk>/act/", views.plan_act, name="plan_act"),
    path("plans/<int:pk>/post/", views.plan_post, name="plan_post"),
    path("plans/<int:pk>/adjust/", campaign_views.plan_adjust, name="plan_adjust"),
    path(
        "plans/<int:pk>/adjustments/<int:adjustment_pk>/undo/",
        campaign_views.plan_adjustment_undo,
        name="plan_adjustment_undo",
    ),
    path(
        "plans/<int:pk>/objections/<int:objection_pk>/resolve/",
        campaign_views.plan_objection_resolve,
        name="plan_objection_resolve",
    ),
    path("plan-notices/", campaign_views.plan_notice_list, name="plan_notice_list"),
    path("plan-notices/<int:pk>/", campaign_views.plan_notice_detail, name="plan_notice_detail"),
    path(
        "plan-notices/<int:pk>/objection/",
        campaign_views.plan_objection_lodge,
        name="plan_objection_lodge",
    ),
]
