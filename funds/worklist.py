"""Campaign work in the inbox (待我处理) through the core's worklist hook
(hardship.worklist): objections to a campaign list's notice that the user, a company
reviewer with no part in the plan, may settle."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from cases.models import Decision
from funds.models import PlanDecision, PlanObjection
from hardship.access import path_q, scope_paths
from hardship.models import Role
from hardship.worklist import WorkItem
from households.involvement import involving


def objections_to_settle(user):
    """The open objections campaign_services.objection_refusal would let the user settle."""
    paths = scope_paths(user, {Role.COMPANY_REVIEWER})
    if not paths:
        return PlanObjection.objects.none()
    decided = PlanDecision.objects.filter(plan=OuterRef("notice__plan"), actor=user).exclude(
        action=Decision.Action.OBJECTION_UPHELD
    )
    lodged = PlanObjection.objects.filter(notice=OuterRef("notice"), lodged_by=user)
    objections = (
        PlanObjection.objects.filter(status=PlanObjection.Status.OPEN)
        .filter(path_q("notice__plan__unit__path", paths))
        .exclude(notice__plan__created_by=user)
        .exclude(Exists(decided))
        .exclude(Exists(lodged))
        .exclude(involving(user, "household"))
    )
    return objections


def plan_objections_count(user) -> int:
    return objections_to_settle(user).count()


def plan_objections_to_settle(user) -> list[WorkItem]:
    objections = (
        objections_to_settle(user).select_related("notice__plan").order_by("lodged_at", "pk")
    )
    return [
        WorkItem(
            source=_("发放名单异议"),
            subject=o.notice.plan.name,
            detail=o.reason[:60],
            url=o.notice.plan.get_absolute_url(),
            action=_("处理异议"),
        )
        for o in objections
    ]
