from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("走访与复核")
    demo_module = "casework.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from casework.models import AnnualReview
        from casework.selectors import measure_links
        from households.plans import add_measure_link_source
        from households.selectors import add_history_source

        # A household's history shows its annual reviews too.
        add_history_source(AnnualReview, "household_id", _("年度复核"))
        # The household page's plan lists the visits that carry out each measure.
        add_measure_link_source(measure_links)
