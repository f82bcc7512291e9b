from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("来访接待与法律援助")
    demo_module = "intake.demo"  # seed_demo runs its seed(run)
