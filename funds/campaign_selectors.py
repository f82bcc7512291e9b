"""Reads of a campaign for its pages: the rules in words, the adjustments, which required
rules select nobody, the notice and its objections as the user may act on them."""

from decimal import Decimal

from django.db.models import Count, F, Sum
from django.http import Http404
from django.utils import timezone

from funds import campaign_services, campaigns, plans, worklist
from funds.models import DistributionPlan, PlanNotice
from hardship.access import notice_paths, path_q


def plan_page(user, plan, total) -> dict:
    """`total`: the plan's total, as the page already read it."""
    editable = plan.state in campaign_services.EDITABLE
    rules = list(plan.rules.select_related("tag"))
    adjustments = list(plan.adjustments.select_related("household__union", "created_by"))
    # Which required rules select nobody: worth the work only while the plan can change.
    empty_rules = []
    if rules and (editable or not plan.lines.exists()):
        if any(rule.selects_nobody is None for rule in rules):  # a list built before they were kept
            empty_rules = campaigns.select(plan, plans.plan_households(plan)).empty_rules
        else:
            empty_rules = [rule for rule in rules if rule.selects_nobody]
    notice = PlanNotice.objects.filter(plan=plan).select_related("unit").first()
    objections = (
        list(notice.objections.select_related("household__union", "lodged_by", "resolved_by"))
        if notice
        else []
    )
    return {
        "rules": [(rule, campaigns.describe(rule)) for rule in rules],
        "adjustments": adjustments,
        "empty_rules": [campaigns.describe(rule) for rule in empty_rules],
        "over_budget": total - plan.budget if plan.budget and total > plan.budget else None,
        "notice": notice,
        "objections": objections,
        "may_object": notice is not None
        and notice.closed_on is None
        and notice.starts_on <= timezone.localdate() <= notice.ends_on
        and campaign_services.may_lodge_objection(user, notice),
        # One query: the open objections the inbox offers the user are those they may settle.
        "may_resolve": set(
            worklist.objections_to_settle(user).filter(notice=notice).values_list("pk", flat=True)
        )
        if notice
        else set(),
    }


def plan_notices_for(user):
    """Campaign notices posted to the user's company trees (as application notices are),
    open ones first."""
    return (
        PlanNotice.objects.filter(path_q("unit__path", notice_paths(user)))
        .filter(plan__state__in=[DistributionPlan.State.APPROVED, DistributionPlan.State.POSTED])
        .select_related("plan__unit", "unit")
        .order_by(F("closed_on").asc(nulls_first=True), "-starts_on", "-pk")
    )


def get_plan_notice_for(user, pk) -> PlanNotice:
    try:
        return plan_notices_for(user).get(pk=pk)
    except (PlanNotice.DoesNotExist, ValueError):
        raise Http404 from None


# A list's page on the plan and notice pages: a company's plan can name tens of thousands of
# households, more than a page should draw; the roster exports hold the whole list.
LINES_PER_PAGE = 50


def list_size(plan) -> tuple[int, Decimal]:
    """How many households the plan lists and their total, in one pass over its lines."""
    figures = plan.lines.aggregate(n=Count("pk"), total=Sum("amount"))
    return figures["n"], figures["total"] or Decimal("0")


def listed_lines(plan):
    """The plan's lines as its pages list them: in the order the list was built, by union
    and then file number (funds.plans.rebuild_lines), which is also the order posting pays
    them. Ordered by key, a page is a walk of the (plan, id) index, not a sort of the list."""
    return plan.lines.select_related("household__union").order_by("pk")
