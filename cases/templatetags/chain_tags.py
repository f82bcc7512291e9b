from django import template
from django.utils.translation import gettext as _

from cases import chain
from cases.models import Application, Decision

register = template.Library()

APPEAL_ACTIONS = (
    Decision.Action.APPEAL,
    Decision.Action.APPEAL_UPHELD,
    Decision.Action.APPEAL_DISMISSED,
)


@register.filter
def appeals_of(applications) -> list:
    """The appeals on these applications (prefetched with them), in the applications' order."""
    return [appeal for application in applications for appeal in application.appeals.all()]


@register.filter
def step_label(decision: Decision) -> str:
    """Name a trail entry by its level (基层工会审查, …) rather than by the waiting state."""
    if decision.action in (Decision.Action.SUBMIT, Decision.Action.RESUBMIT):
        return _("申请")
    if decision.action in APPEAL_ACTIONS:
        return _("申诉")
    if decision.step == Application.State.IN_NOTICE:
        return _("公示")
    level = chain.level_for(decision.step)
    return str(level.label) if level else decision.get_step_display()
