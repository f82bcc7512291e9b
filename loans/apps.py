from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("小额借款")
    demo_module = "loans.demo"  # seed_demo runs its seed(run)
