"""Reads for application and notice pages; each starts from the user's visible scope."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from cases.models import Application, Decision, Objection
from hardship import access
from households.models import Household, Member
from households.selectors import HISTORY_SOURCES, household_history


def application_list(user, filters: dict):
    qs = access.applications_visible_to(user).select_related("household__union", "filed_by")
    for field in ("state", "kind"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(household__worker_name__contains=q))
    return qs.order_by("-filed_at", "-pk")


def application_detail(user, pk) -> Application:
    application = access.get_application_for(user, pk)
    # Prefetch what the page, the rules and the assessment read.
    return (
        Application.objects.select_related("household__union", "filed_by", "notice")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.select_related("actor", "acting_unit")),
            "investigations__recorded_by",
            "household__members",
            "household__income_items",
            "household__causes",
            "household__evidence",
            Prefetch(
                "notice__objections",
                queryset=Objection.objects.select_related("lodged_by", "resolved_by"),
            ),
        )
        .get(pk=application.pk)
    )


def notices_for(user, *, current_only=True):
    qs = (
        access.notices_visible_to(user)
        .select_related("unit", "application__household__union")
        .prefetch_related("objections")
    )
    if current_only:
        today = timezone.localdate()
        qs = qs.filter(closed_on__isnull=True, starts_on__lte=today)
    return qs.order_by("ends_on", "pk")


@dataclass
class Snapshot:
    household: object  # a HistoricalHousehold row
    members: list
    changes_since: list  # households.selectors.Change rows after the decision
    decision: Decision


def household_at_decision(application: Application, decision: Decision) -> Snapshot | None:
    """The household file exactly as the decider saw it, and what changed since."""
    if decision.household_version is None:
        return None
    record = Household.history.filter(history_id=decision.household_version).first()
    if record is None:
        return None
    members = list(
        Member.history.as_of(decision.created_at).filter(household_id=application.household_id)
    )
    changes = [c for c in household_history(application.household) if c.when > decision.created_at]
    return Snapshot(record, members, changes, decision)


def changed_after_signoff(application: Application) -> list:
    """Changes to the household file after the committee signed the application off."""
    signoff = next(
        (
            d
            for d in reversed(list(application.decisions.all()))
            if d.step == Application.State.COMPANY_VERIFIED and d.action == Decision.Action.APPROVE
        ),
        None,
    )
    if signoff is None:
        return []
    # Most files are not touched after sign-off: ask that cheaply before building the history.
    touched = any(
        model.history.filter(
            **{key: application.household_id}, history_date__gt=signoff.created_at
        ).exists()
        for model, key, _label in HISTORY_SOURCES
    )
    if not touched:
        return []
    # The change this application itself made when it took effect (建档, 脱困, 注销: its
    # number is the history's change reason) is what was signed off, not an edit.
    own_effect = set(
        Household.history.filter(
            id=application.household_id, history_change_reason=application.number
        ).values_list("history_date", flat=True)
    )
    return [
        c
        for c in household_history(application.household)
        if c.when > signoff.created_at and c.when not in own_effect
    ]
