from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报表与导入导出")
    demo_module = "reports.demo"  # seed_demo runs its seed(run): the open-books disclosures
