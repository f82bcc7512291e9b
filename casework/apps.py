from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("走访与复核")
    demo_module = "casework.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from django.db import transaction
        from django.db.models.signals import post_save

        from cases.models import Application
        from casework.duties import duties_done_by_renewal, duty_for_application
        from casework.models import AnnualReview
        from casework.selectors import measure_links
        from households.models import Evidence
        from households.plans import add_measure_link_source
        from households.selectors import add_history_source

        # A household's history shows its annual reviews too.
        add_history_source(AnnualReview, "household_id", _("年度复核"))
        # The household page's plan lists the visits that carry out each measure.
        add_measure_link_source(measure_links)
        self._changes_ready()

        # New evidence renews what expires: the registry (below casework) uploads it and
        # knows nothing of duties, so the duty listens for it, in the upload's transaction.
        def renewal_uploaded(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                # Its own transaction where the upload had none (the lock needs one).
                with transaction.atomic():
                    duties_done_by_renewal(instance)

        post_save.connect(renewal_uploaded, sender=Evidence, dispatch_uid="duty_renewal")

        # A medical-aid or emergency-relief application tells of a hospitalisation or an
        # emergency: someone must visit (三必访). The chain (below casework) files it.
        def application_filed(sender, instance, created, raw=False, **kwargs):
            if created and not raw:
                duty_for_application(instance)

        post_save.connect(application_filed, sender=Application, dispatch_uid="duty_application")

    def _changes_ready(self):
        """Changes reported join the household's history; the household page (below
        casework) shows the way to report one and those pending (hardship.page_notes)."""
        from casework import change_notes
        from casework.models import ChangeReport
        from hardship import page_notes
        from households.selectors import add_history_source

        add_history_source(ChangeReport, "household_id", _("情况变更"))
        page_notes.register("household", change_notes.household_notes)
