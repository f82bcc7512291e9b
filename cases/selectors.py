"""Reads for application and notice pages; each starts from the user's visible scope."""

from dataclasses import dataclass, fields

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import appeal_selectors, chain, rules
from cases.access import applications_visible_to, get_application_for, notices_visible_to
from cases.models import Application, Decision, Objection
from hardship import access
from hardship.models import Role
from households.assessment import assess
from households.models import Household, Member
from households.plans import MeasureLink
from households.selectors import HISTORY_SOURCES, household_history


def application_list(user, filters: dict):
    qs = applications_visible_to(user).select_related("household__union", "filed_by")
    for field in ("state", "kind"):
        if filters.get(field):
            qs = qs.filter(**{field: filters[field]})
    q = (filters.get("q") or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(household__worker_name__contains=q))
    return qs.order_by("-filed_at", "-pk")


def application_detail(user, pk) -> Application:
    """The application with what its page, the rules and the assessment read, fetched once
    from the user's scope (404 outside it)."""
    queryset = Application.objects.select_related(
        "household__union", "filed_by", "notice"
    ).prefetch_related(
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
    return get_application_for(user, pk, queryset=queryset)


def notices_for(user, *, current_only=True):
    qs = (
        notices_visible_to(user)
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


@dataclass
class ApplicationPage:
    """Everything the application page decides for this user, from one fetched application."""

    application: Application
    household: Household
    assessment: object  # households.assessment.Assessment
    level: object  # cases.chain.Level, or None at the end of the chain
    chain: tuple
    can_act: bool
    refusal: str | None  # why not, shown only to someone acting at this level
    blockers: list
    needs_investigation: bool
    missing_evidence: list
    required_evidence: list
    suggestion: object
    changed_after_signoff: list
    can_upload: bool
    show_health: bool
    can_resubmit: bool
    resolvable_objections: set[int]
    payments: list
    can_pay: bool
    appeal_panel: object  # cases.appeal_selectors.AppealPanel

    def context(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _resolvable_objections(user, application) -> set[int]:
    """Open objections on the application's notice that this user may settle."""
    notice = getattr(application, "notice", None)
    if notice is None or not access.may_resolve_objections(user, application.household):
        return set()
    return {
        o.pk
        for o in notice.objections.all()
        if o.status == Objection.Status.OPEN and rules.objection_refusal(user, o) is None
    }


def application_page(user, pk) -> ApplicationPage:
    """The application page for `user`: the application fetched once from their scope (404
    outside it), and what they may do with it."""
    application = application_detail(user, pk)
    level = chain.level_for(application.state)
    refusal = rules.refusal(user, application, level) if level else None
    can_act = level is not None and refusal is None
    household = application.household
    payments = list(application.payments.select_related("fund").order_by("posted_on", "pk"))
    return ApplicationPage(
        application=application,
        household=household,
        assessment=assess(household),
        level=level,
        chain=chain.CHAIN,
        can_act=can_act,
        refusal=refusal if level and rules.acting_membership(user, application, level) else None,
        blockers=rules.approval_blockers(application, level) if can_act else [],
        needs_investigation=can_act and chain.NEEDS_INVESTIGATION in level.requires,
        missing_evidence=rules.missing_evidence(application),
        required_evidence=rules.required_evidence(application),
        suggestion=rules.medical_suggestion(application.self_paid, household=household)
        if application.self_paid
        else None,
        changed_after_signoff=changed_after_signoff(application),
        can_upload=bool(access.can_add_evidence(user, household) and household.causes.all()),
        show_health=access.can_see_health(user, household),
        can_resubmit=application.state == Application.State.RETURNED
        and application.filed_by_id == user.pk,
        resolvable_objections=_resolvable_objections(user, application),
        payments=payments,
        can_pay=application.state == Application.State.EFFECTIVE
        and application.asks_money
        and sum(-p.amount for p in payments) < application.amount
        and access.covers(user, {Role.FINANCE}, household.union.path),
        appeal_panel=appeal_selectors.application_appeals(user, application),
    )


def measure_links(user, measure_ids):
    """Applications that carry out the given measures of the aid plan (households.plans
    link source); the household page that asks shows the household's applications."""
    for a in Application.objects.filter(measure_id__in=measure_ids).order_by("filed_at"):
        yield MeasureLink(
            a.measure_id,
            _("申请"),
            f"{a.number} {a.get_kind_display()}（{a.get_state_display()}）",
            a.get_absolute_url(),
        )
