from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def record_login_time(sender, user, **kwargs):
    """Django's own receiver saves the user, and every save is a history row: each sign-in
    would put an empty "change" on the audit trail. The time is written without a save."""
    from django.utils import timezone

    user.last_login = timezone.now()
    type(user).objects.filter(pk=user.pk).update(last_login=user.last_login)


class HardshipConfig(AppConfig):
    name = "hardship"
    verbose_name = _("组织与人员")
    demo_module = "hardship.demo"  # seed_demo runs its seed(run)

    def ready(self):
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(record_login_time, dispatch_uid="record_login_time")

        from hardship.display import use_choice_labels
        from hardship.formtools import use_project_wording

        use_project_wording()
        use_choice_labels()
