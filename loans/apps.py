from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "loans"
    verbose_name = _("小额借款")
    demo_module = "loans.demo"  # seed_demo runs its seed(run)

    def ready(self):
        # The responsible person's task list (casework) lists this app's work through the
        # core's hook: casework cannot import a sibling app.
        from hardship import worklist as work
        from loans import selectors, worklist

        work.register(worklist.overdue_repayments)
        work.register_decisions(worklist.loans_to_decide, selectors.to_decide_count)
