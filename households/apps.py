from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("困难职工档案")
    demo_module = "households.demo"  # seed_demo runs its seed(run)
