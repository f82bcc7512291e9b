from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("申请与审批")
    demo_module = "cases.demo"  # seed_demo runs its seed(run)
