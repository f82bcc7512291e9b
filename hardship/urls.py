from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hardship import twofactor, views

urlpatterns = [
    # The dashboard counts the registry and reads applications: it lives in reports.
    path("", include("reports.dashboard")),
    path("healthz", views.healthz, name="healthz"),
    path("households/", include("households.urls")),
    path("applications/", include("cases.urls")),
    path("funds/", include("funds.urls")),
    path("", include("casework.urls")),
    path("intake/", include("intake.urls")),
    path("bank/", include("bank.urls")),
    path("loans/", include("loans.urls")),
    path("employment/", include("employment.urls")),
    path("crosscheck/", include("crosscheck.urls")),
    path("reports/", include("reports.urls")),
    path("reports/import/", include("reports.import_urls")),
    path("audit/", include("audit.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/2fa/", twofactor.status, name="twofactor_status"),
    path("accounts/2fa/setup/", twofactor.setup, name="twofactor_setup"),
    path("accounts/2fa/verify/", twofactor.verify, name="twofactor_verify"),
    path(
        "accounts/2fa/recovery-codes/",
        twofactor.new_recovery_codes,
        name="twofactor_recovery_codes",
    ),
    path("accounts/2fa/disable/", twofactor.disable, name="twofactor_disable"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
