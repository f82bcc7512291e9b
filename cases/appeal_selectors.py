"""Reads for the appeal pages and the front door's figures; each starts from the user's
scope (cases.access: the appeals on applications they may see). The appeals waiting for a
user are `appeals_to_decide`, listed and counted with the inbox (casework.selectors)."""

import datetime
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from cases import appeal_rules, rules
from cases.access import appeals_visible_to, get_appeal_for
from cases.models import Appeal, AppealDecision, Application, Decision, Objection
from hardship import access
from households.involvement import involving


def appeal_detail(user, pk) -> Appeal:
    """An appeal the user may see (else 404), with what its page and the rules read."""
    return get_appeal_for(
        user,
        pk,
        queryset=Appeal.objects.select_related(
            "application__household__union", "application__filed_by", "decision"
        ).prefetch_related(
            Prefetch(
                "decisions", queryset=AppealDecision.objects.select_related("actor", "acting_unit")
            ),
            Prefetch(
                "application__decisions",
                queryset=Decision.objects.select_related("actor", "acting_unit"),
            ),
            "application__household__members",
        ),
    )


def appeals_to_decide(user):
    """Appeals waiting at a level this user acts at, over their scope, less those they may
    not decide (cases.appeal_rules.refusal as a query): their own appeal, filing or
    household, an application they decided on or whose objection they resolved. The appeal
    list shows them first; the inbox (casework.selectors) lists and counts them."""
    conditions = [
        Q(
            state=level.state,
            application__household__union_id__in=access.unit_ids_under(
                user, [membership.unit.path]
            ),
        )
        for level in appeal_rules.APPEAL_LEVELS
        for membership in rules.memberships_acting_at(user, level)
    ]
    if not conditions:
        return Appeal.objects.none()
    took_part = Decision.objects.filter(actor=user, action__in=appeal_rules.TAKING_PART).values(
        "application"
    )
    resolved = Objection.objects.filter(resolved_by=user).values("notice__application")
    return (
        Appeal.objects.filter(reduce(or_, conditions))
        .exclude(lodged_by=user)
        .exclude(application__filed_by=user)
        .exclude(application__in=took_part)
        .exclude(application__in=resolved)
        .exclude(involving(user, "application__household"))
        .select_related("application__household__union", "lodged_by")
        .order_by("lodged_at", "pk")
    )


def appeal_list(user, state: str = ""):
    qs = appeals_visible_to(user).select_related("application__household__union", "lodged_by")
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-lodged_at", "-pk")


@dataclass(frozen=True)
class AppealPanel:
    """What the application page shows about appeals: those lodged, and whether this user
    may lodge one now (or why not, once the decision is appealable at all)."""

    appeals: list
    may_lodge: bool
    problem: str | None
    deadline: datetime.date | None


def application_appeals(user, application: Application) -> AppealPanel:
    appeals = list(application.appeals.select_related("lodged_by").order_by("lodged_at", "pk"))
    appealed = appeal_rules.appealed_decision(application)
    if appealed is None or not appeal_rules.may_lodge(user, application):
        return AppealPanel(appeals, False, None, None)
    problem = appeal_rules.lodge_problem(application)
    return AppealPanel(
        appeals, problem is None, problem, appeal_rules.deadline(application, appealed)
    )


@dataclass(frozen=True)
class AppealFigures:
    lodged: int
    pending: int
    upheld: int
    dismissed: int


def appeal_figures(
    paths: list[str], start: datetime.date, end: datetime.date | None = None
) -> AppealFigures:
    """Appeals lodged from `start` to `end` (inclusive; a year: 1 January to 31 December)
    about households of the unions under `paths`, by where they stand now: pending, upheld
    or dismissed. For the front door's statistics; the caller has settled the scope."""
    end = end or timezone.localdate()
    counts = dict(
        Appeal.objects.filter(
            access.path_q("application__household__union__path", paths),
            lodged_at__date__gte=start,
            lodged_at__date__lte=end,
        )
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    pending = sum(counts.get(state, 0) for state in Appeal.OPEN_STATES)
    upheld = counts.get(Appeal.State.UPHELD, 0)
    dismissed = counts.get(Appeal.State.DISMISSED, 0)
    return AppealFigures(pending + upheld + dismissed, pending, upheld, dismissed)
