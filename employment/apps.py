from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("就业帮扶")
    demo_module = "employment.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from employment.selectors import measure_links
        from households.plans import add_measure_link_source

        # ... and the trainings and referrals.
        add_measure_link_source(measure_links)
