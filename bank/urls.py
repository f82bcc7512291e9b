from django.urls import path

from bank import views

urlpatterns = [
    path("", views.batch_list, name="bank_batch_list"),
    path("new/", views.batch_create, name="bank_batch_create"),
    path("<int:pk>/", views.batch_detail, name="bank_batch_detail"),
    path("<int:pk>/sent/", views.batch_mark_sent, name="bank_batch_sent"),
    path("<int:pk>/return/", views.return_import, name="bank_return_import"),
    path("<int:pk>/voucher/", views.voucher_upload, name="bank_voucher_upload"),
    path("<int:pk>/voucher/file/", views.voucher_download, name="bank_voucher_download"),
    path("cards/", views.cards_to_fix, name="bank_cards_to_fix"),
]
