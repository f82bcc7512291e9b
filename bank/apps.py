from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankConfig(AppConfig):
    name = "bank"
    verbose_name = _("银行代发")
    demo_module = "bank.demo"  # seed_demo runs its seed(run)
