from django import template
from django.utils.translation import gettext as _

from cases import chain
from cases.models import Application, Decision

register = template.Library()


@register.filter
def step_label(decision: Decision) -> str:
    """Name a trail entry by its level (基层工会审查, …) rather than by the waiting state."""
    if decision.action in (Decision.Action.SUBMIT, Decision.Action.RESUBMIT):
        return _("申请")
    if decision.step == Application.State.IN_NOTICE:
        return _("公示")
    level = chain.level_for(decision.step)
    return str(level.label) if level else decision.get_step_display()
