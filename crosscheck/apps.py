from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrosscheckConfig(AppConfig):
    name = "crosscheck"
    verbose_name = _("核查比对")
    demo_module = "crosscheck.demo"  # seed_demo runs its seed(run)

    def ready(self):
        # The pages below (household, application) ask for notes through the core's hook
        # (hardship.page_notes): households and cases cannot import this app.
        from crosscheck import notes
        from hardship import page_notes

        page_notes.register("household", notes.household_notes)
        page_notes.register("application", notes.application_notes)

        # The responsible person's task list (casework) lists this app's work through the
        # core's hook: casework cannot import a sibling app.
        from crosscheck import worklist
        from hardship import worklist as work

        work.register(worklist.follow_ups_assigned)
