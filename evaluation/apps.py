from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("绩效评价")
    demo_module = "evaluation.demo"  # seed_demo runs its seed(run)
