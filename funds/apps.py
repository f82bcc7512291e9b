from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("帮扶资金")
    demo_module = "funds.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from funds.measures import measure_links
        from households.plans import add_measure_link_source

        # ... and the payments of those applications.
        add_measure_link_source(measure_links)
