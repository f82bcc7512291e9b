from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计与完整性")

    def ready(self):
        from django.db.models.signals import post_save

        from audit import chain
        from audit.registry import installed_chains

        # Once a chained row is saved, its chain's head records the row's id.
        for spec in installed_chains():

            def saved(sender, instance, created, raw=False, name=spec.name, **kwargs):
                if created and not raw and instance.row_hash:
                    chain.record_saved(name, instance)

            post_save.connect(saved, sender=spec.model_class, weak=False, dispatch_uid=spec.name)
