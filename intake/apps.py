from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("来访接待与法律援助")
    demo_module = "intake.demo"  # seed_demo runs its seed(run)

    def ready(self):
        # The responsible person's task list (casework) lists this app's work through the
        # core's hook: casework cannot import a sibling app.
        from hardship import worklist as work
        from intake import worklist

        work.register(worklist.contacts_to_handle)

        # Complaints found elsewhere (payment verification) land on this register.
        from hardship import complaints
        from intake.services import complaint_from_finding

        complaints.register(complaint_from_finding)
