from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("报表与导入导出")
    demo_module = "reports.demo"  # seed_demo runs its seed(run): the open-books disclosures

    def ready(self):
        # The committee's inbox (casework) lists the disclosures waiting for it through the
        # core's hook: casework sits below reports.
        from hardship import worklist
        from reports.disclosures import disclosures_to_decide

        worklist.register_decisions(disclosures_to_decide)
