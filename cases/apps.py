from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("申请与审批")
    demo_module = "cases.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from cases.selectors import measure_links
        from households.plans import add_measure_link_source

        # The household page's plan lists the applications that carry out each measure.
        add_measure_link_source(measure_links)
