from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosscheckConfig(AppConfig):
    name = "crosscheck"
    verbose_name = _("核查比对")

    def ready(self):
        # The pages below (household, application) ask for notes through the core's hook;
        # seed_demo runs this app's demo step the same way (hardship.page_notes, hardship.demo).
        from crosscheck import demo, notes
        from hardship import demo as hardship_demo
        from hardship import page_notes

        page_notes.register("household", notes.household_notes)
        page_notes.register("application", notes.application_notes)
        hardship_demo.register_step(demo.seed)
