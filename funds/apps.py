from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("帮扶资金")
    demo_module = "funds.demo"  # seed_demo runs its seed(run)
