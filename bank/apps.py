from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BankConfig(AppConfig):
    name = "bank"
    verbose_name = _("银行代发")
    demo_module = "bank.demo"  # seed_demo runs its seed(run)

    def ready(self):
        # The responsible person's task list (casework) lists this app's work through the
        # core's hook: casework cannot import a sibling app.
        from bank import worklist
        from hardship import worklist as work

        work.register(worklist.cards_to_fix)
