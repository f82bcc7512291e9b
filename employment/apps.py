from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("就业帮扶")

    def seed_demo(self, pdf) -> int:
        """The demo step `seed_demo` runs for this app (employment.demo): the core's command
        calls it by app label, so the core imports nothing from this layer."""
        from employment import demo

        return demo.seed_employment(pdf)
