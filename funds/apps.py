from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundsConfig(AppConfig):
    name = "funds"
    verbose_name = _("帮扶资金")
    demo_module = "funds.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from funds import worklist
        from funds.measures import measure_links
        from hardship import worklist as work
        from households.plans import add_measure_link_source

        # Objections to a campaign list's notice, in the inbox of who may settle them.
        work.register_decisions(worklist.plan_objections_to_settle, worklist.plan_objections_count)

        # ... and the payments of those applications.
        add_measure_link_source(measure_links)
