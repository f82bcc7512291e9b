"""Policy reads for applications: caps, the medical-aid suggestion, required evidence, who
may act. Nothing here writes."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import chain
from cases.models import Application, EvidenceRequirement, MedicalAidTier
from hardship import access
from hardship.models import PolicyParameter, Role, Unit
from hardship.policy import case_cap, policy_value
from households import assessment
from households.involvement import involved_in_household
from households.models import Cause, Evidence

CENT = Decimal("0.01")
DEFAULT_NOTICE_DAYS = 5


def cap_for(kind: str, household, on: datetime.date) -> Decimal | None:
    """The per-case cap of an application kind (the table is hardship.policy.CASE_CAP_KEYS)."""
    return case_cap(kind, household.union, on)


def notice_days(unit, on: datetime.date) -> int:
    value = policy_value(PolicyParameter.Key.NOTICE_DAYS, unit, on)
    return int(value) if value is not None else DEFAULT_NOTICE_DAYS


@dataclass
class MedicalSuggestion:
    amount: Decimal
    lines: list  # (lower, upper, rate, portion, aid)
    # The household's ill or disabled people, the worker first (households.assessment.Patient);
    # None when the suggestion was asked for without a household.
    patients: list | None = None


def medical_suggestion(
    self_paid: Decimal, on: datetime.date | None = None, household=None
) -> MedicalSuggestion:
    """Aid on the self-paid amount by the tiers in force: each band's portion at its rate.
    With a household, the suggestion also names who in it is ill (the worker included)."""
    on = on or timezone.localdate()
    tiers = MedicalAidTier.objects.filter(valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    lines, total = [], Decimal("0")
    for tier in sorted(tiers, key=lambda t: t.lower):
        top = self_paid if tier.upper is None else min(self_paid, tier.upper)
        portion = top - tier.lower
        if portion <= 0:
            continue
        aid = (portion * tier.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        lines.append((tier.lower, tier.upper, tier.rate, portion, aid))
        total += aid
    ill = None if household is None else assessment.patients(household)
    return MedicalSuggestion(total, lines, ill)


def required_evidence(application: Application) -> list[tuple[str, str]]:
    """(cause, evidence kind) pairs this application needs; cause is "" for requirements
    of the application kind itself. An establishment needs the evidence of every cause."""
    household = application.household
    causes = {c.cause for c in household.causes.all()}
    rows = EvidenceRequirement.objects.filter(
        Q(application_kind=application.kind, cause="")
        | Q(
            application_kind="",
            cause__in=causes if application.kind == Application.Kind.ESTABLISH else [],
        )
        | Q(application_kind=application.kind, cause__in=causes)
    )
    return sorted({(row.cause, row.evidence_kind) for row in rows})


def missing_evidence(application: Application) -> list[str]:
    """Human-readable names of the documents still missing."""
    present = {(e.cause, e.kind) for e in application.household.evidence.all()}
    present_kinds = {kind for _cause, kind in present}
    missing = []
    for cause, kind in required_evidence(application):
        found = (cause, kind) in present if cause else kind in present_kinds
        if not found:
            label = Evidence.Kind(kind).label
            if cause:
                label = _("%(cause)s：%(kind)s") % {"cause": Cause(cause).label, "kind": label}
            missing.append(str(label))
    return missing


def acting_membership(user, application: Application, level: chain.Level):
    """The membership through which `user` may act at `level` on this application, if any."""
    return membership_at(user, application.household.union.path, level)


def memberships_acting_at(user, level: chain.Level) -> list:
    """The one test of which memberships may act at an approval level: the level's role, held
    at the level's tier (a grassroots chair acts at the grassroots level, not above). Where
    they may act is the membership unit's subtree; the decision pages, the inbox and the
    plan list all ask here."""
    return [
        membership
        for membership in access.memberships_of(user)
        if membership.role == level.role and membership.unit.kind == level.unit_kind
    ]


def membership_at(user, unit_path: str, level: chain.Level):
    """A membership that may act at `level` and covers `unit_path`, if any."""
    for membership in memberships_acting_at(user, level):
        if unit_path.startswith(membership.unit.path):
            return membership
    return None


def refusal(user, application: Application, level: chain.Level | None) -> str | None:
    """Why `user` may not act on `application` at `level` now, or None if they may."""
    if level is None:
        return _("该申请当前不在审批环节。")
    if acting_membership(user, application, level) is None:
        return _("您不是“%(level)s”环节的办理人，或该申请不在您的工作范围内。") % {
            "level": level.label
        }
    if application.filed_by_id == user.pk:
        return _("申请人（经办人）不能审批自己提交的申请。")
    if involved_in_household(user, application.household):
        return _("您是该户职工或家庭成员，应当回避。")
    other_steps = {
        d.step
        for d in application.decisions.all()
        if d.actor_id == user.pk and d.step in chain.LEVEL_AT
    }
    if other_steps - {level.state}:
        return _("同一人不能在同一申请的两个审批环节办理。")
    return None


def takes_part_refusal(user, application: Application, levels=chain.CHAIN) -> str | None:
    """Why `user` has no part in deciding this application at any of `levels` (asked before
    a form is read: an auditor's or a caseworker's decision is refused whatever it says)."""
    if any(acting_membership(user, application, level) for level in levels):
        return None
    return _("您在该申请的审批环节中没有办理职责。")


def approval_blockers(application: Application, level: chain.Level) -> list[str]:
    """What must be done before approving at this level."""
    blockers = []
    if chain.NEEDS_INVESTIGATION in level.requires and not application.investigations.exists():
        blockers.append(_("复核前须先登记入户调查或走访调查情况。"))
    if chain.NEEDS_EVIDENCE in level.requires:
        missing = missing_evidence(application)
        if missing:
            blockers.append(_("缺少证明材料：%(list)s。") % {"list": _("、").join(missing)})
    return blockers


def may_lodge_objection(user, notice) -> bool:
    """Anyone the notice is posted to may object, except through an auditor's role: the
    auditor reads everything and changes nothing (administrators do not read cases)."""
    union_path = notice.application.household.union.path
    for membership in access.memberships_of(user):
        if membership.role in (Role.AUDITOR, Role.ADMINISTRATOR):
            continue
        unit = membership.unit
        # Notices go to the whole company: a grassroots role sees its company's notices.
        path = (
            unit.path.rsplit("/", 2)[0] + "/"
            if unit.kind == Unit.Kind.GRASSROOTS and unit.parent_id
            else unit.path
        )
        if union_path.startswith(path):
            return True
    return False


def objection_refusal(user, objection) -> str | None:
    """Why `user` may not resolve `objection`, or None if they may.

    An upheld objection overturns what the levels signed, so it is settled by a company
    reviewer who had no part in it: not whoever lodged an objection on the notice, not the
    filer or anyone who acted at a level of the chain on the application, not the family."""
    application = objection.notice.application
    household = application.household
    if not access.may_resolve_objections(user, household):
        return _("只有该户所在公司工会的复核人员可以处理公示异议。")
    if objection.notice.objections.filter(lodged_by=user).exists():
        return _("提出异议的人不能处理该公示的异议。")
    if involved_in_household(user, household):
        return _("您是该户职工或家庭成员，应当回避。")
    acted = application.filed_by_id == user.pk or any(
        d.actor_id == user.pk and d.step != Application.State.IN_NOTICE
        for d in application.decisions.all()
    )
    if acted:
        return _("您办理过该申请的前面环节，不能处理对它的异议。")
    return None


def plan_refusal(user, plan, level: chain.Level | None) -> str | None:
    """The same separation of duties for a distribution plan: the right role at the right
    level and scope, and never the person who drew the plan up."""
    if level is None:
        return _("该方案当前不在审批环节。")
    if membership_at(user, plan.unit.path, level) is None:
        return _("您不是“%(level)s”环节的办理人，或该方案不在您的工作范围内。") % {
            "level": level.label
        }
    if plan.created_by_id == user.pk:
        return _("方案制定人不能审批自己制定的方案。")
    return None
