"""Open-books disclosures (账务公开): drawn up by finance (or the company union's reviewer),
submitted, decided by the committee through the one approval engine, published, and
corrected only by a new version.

Each state change is one function here, in one transaction, with the right checked again
inside. The figures come from `reports.disclosure_figures`: frozen when drawn up, computed
again before submitting and publishing, and a figure that no longer agrees with the ledger
stops both, named.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cases import engine, rules
from cases.chain import Level
from hardship import access
from hardship import chain as hash_chain
from hardship.history import acted_by
from hardship.models import Role, Unit
from hardship.worklist import WorkItem
from reports import disclosure_figures as figures
from reports.disclosure_models import Disclosure, DisclosureDecision

State = Disclosure.State
Action = DisclosureDecision.Action
DRAFTERS = frozenset({Role.FINANCE, Role.COMPANY_REVIEWER})
# Differences named in one refusal before the rest are only counted.
NAMED_DIFFERENCES = 5


def may_draw_up(user, unit) -> bool:
    """Finance or the company union's reviewer, for a union in their subtree (a federation
    holds no funds of its own: its companies disclose)."""
    return unit.kind != Unit.Kind.FEDERATION and access.covers(user, DRAFTERS, unit.path)


def drafting_units(user):
    return Unit.objects.filter(access.path_q("path", access.scope_paths(user, DRAFTERS))).exclude(
        kind=Unit.Kind.FEDERATION
    )


def _record(disclosure, *, actor, step, action, result, comment="", level=None):
    decision = DisclosureDecision(
        disclosure=disclosure,
        step=step,
        action=action,
        actor=actor,
        comment=comment,
        resulting_state=result,
        snapshot_digest=disclosure.digest,
    )
    hash_chain.link(DisclosureDecision.CHAIN, decision)
    decision.save()
    return decision


def drafted_by(user, disclosure) -> bool:
    """Who drew the figures up, recomputed them or submitted them: none of them decides."""
    return disclosure.created_by_id == user.pk or any(
        d.actor_id == user.pk and d.action in (Action.SUBMIT, Action.RECOMPUTE)
        for d in disclosure.decisions.all()
    )


def refusal(user, disclosure, level: Level | None) -> str | None:
    """The separation of duties: the committee of the company union above, never whoever
    drew the disclosure up."""
    if level is None:
        return _("该账务公开当前不在审批环节。")
    if rules.membership_at(user, disclosure.unit.path, level) is None:
        return _("您不是“%(level)s”环节的办理人，或该账务公开不在您的工作范围内。") % {
            "level": level.label
        }
    if drafted_by(user, disclosure):
        return _("账务公开的编制人不能审定自己编制或提交的账务公开。")
    return None


def takes_part(user, disclosure) -> bool:
    """Whether the user sits on the committee that decides this disclosure (asked before a
    form is read: anyone else's decision is refused whatever it says)."""
    return any(rules.membership_at(user, disclosure.unit.path, level) for level in DISCLOSURE_CHAIN)


def _handled_message(disclosure, last) -> str:
    return _("该账务公开已由 %(who)s 于 %(when)s 处理（%(action)s），当前状态：%(state)s。") % {
        **engine.when_and_who(last),
        "state": disclosure.get_state_display(),
    }


DISCLOSURE_CHAIN = (
    Level(
        state=State.SUBMITTED,
        role=Role.COMMITTEE,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=State.APPROVED,
        label=pgettext_lazy("approval level", "党政班子会审定"),
    ),
)

DISCLOSURE_APPROVAL = engine.Chain(
    model=Disclosure,
    levels=DISCLOSURE_CHAIN,
    returned_state=State.RETURNED,
    rejected_state=State.REJECTED,
    refusal=refusal,
    record=_record,
    changed_message=lambda d: (
        _("该账务公开的状态已经改变（当前：%(s)s），请刷新页面。") % {"s": d.get_state_display()}
    ),
    handled_message=_handled_message,
    related=("unit",),
    # The committee approves figures that still agree with the ledger, as publishing will.
    blockers=lambda disclosure, level: [
        problem for problem in [reconciliation_refusal(disclosure)] if problem
    ],
)


def default_period_end(year: int) -> datetime.date:
    """The year's last day, or today for the year in course."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def _check_period(year: int, period_end: datetime.date) -> None:
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("不能公开尚未开始的年度。")})
    if period_end.year != year:
        raise ValidationError({"period_end": _("截止日期须在 %(y)s 年之内。") % {"y": year}})
    if period_end > today:
        raise ValidationError({"period_end": _("截止日期不能晚于今天：之后的账还没有记。")})


def _seal(disclosure) -> None:
    snapshot = figures.compute(disclosure.unit, disclosure.year, disclosure.period_end)
    if not figures.adds_up(snapshot):  # a ledger that does not add up is a fault, not input
        raise ValidationError(_("台账收支与余额对不上，请先运行完整性检查。"))
    disclosure.snapshot = snapshot
    disclosure.digest = figures.digest(snapshot)
    disclosure.computed_at = timezone.now()


def disclosure_draw_up(
    *, actor, unit, year: int, period_end=None, correction_note: str = ""
) -> Disclosure:
    """A new disclosure with its figures computed now. A unit and year already published
    gets the next version, which supersedes the newest published one and says why."""
    if not may_draw_up(actor, unit):
        raise PermissionDenied(_("只有财务人员和公司工会复核可以编制账务公开。"))
    period_end = period_end or default_period_end(year)
    _check_period(year, period_end)
    correction_note = (correction_note or "").strip()
    with transaction.atomic():
        # One writer per unit at a time: the open-disclosure check and the version number.
        Unit.objects.select_for_update().get(pk=unit.pk)
        mine = Disclosure.objects.filter(unit=unit, year=year)
        if mine.filter(state__in=Disclosure.OPEN_STATES).exists():
            raise ValidationError(
                _("%(y)s 年度已有一份尚未公布的账务公开，请在那份上继续办理。") % {"y": year}
            )
        latest = mine.filter(state=State.PUBLISHED).order_by("-version").first()
        if latest is not None and not correction_note:
            raise ValidationError(
                {
                    "correction_note": _("该年度已公布第 %(v)s 版：更正须说明更正了什么、为什么。")
                    % {"v": latest.version}
                }
            )
        disclosure = Disclosure(
            unit=unit,
            year=year,
            period_end=period_end,
            version=latest.version + 1 if latest else 1,
            supersedes=latest,
            correction_note=correction_note if latest else "",
            created_by=actor,
        )
        _seal(disclosure)
        disclosure.full_clean()
        disclosure.save()
    return disclosure


def _locked(disclosure) -> Disclosure:
    return Disclosure.objects.select_for_update().select_related("unit").get(pk=disclosure.pk)


def _require_drafter(actor, disclosure) -> None:
    if not may_draw_up(actor, disclosure.unit):
        raise PermissionDenied(_("只有财务人员和公司工会复核可以办理账务公开的编制和公布。"))


def _state_refusal(disclosure, allowed, message) -> None:
    if disclosure.state == State.PUBLISHED:
        raise ValidationError(_("账务公开已公布，不能再改动；如需更正，请编制新版本。"))
    if disclosure.state not in allowed:
        raise ValidationError(message % {"s": disclosure.get_state_display()})


def disclosure_recompute(*, actor, disclosure) -> Disclosure:
    """Compute the figures again from the ledger (a payment posted after drawing up). An
    approved disclosure goes back to draft: the committee approved other figures."""
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require_drafter(actor, disclosure)
        _state_refusal(
            disclosure,
            (State.DRAFT, State.RETURNED, State.APPROVED),
            _("状态为“%(s)s”的账务公开不能重新计算。"),
        )
        step = disclosure.state
        _seal(disclosure)
        disclosure.state = State.DRAFT if step == State.APPROVED else step
        acted_by(actor, disclosure)
        disclosure.save(update_fields=["snapshot", "digest", "computed_at", "state"])
        _record(
            disclosure, actor=actor, step=step, action=Action.RECOMPUTE, result=disclosure.state
        )
    return disclosure


def reconciliation_refusal(disclosure) -> str | None:
    """Why the disclosure's figures no longer agree with the ledger, naming them, or None."""
    if figures.digest(disclosure.snapshot) != disclosure.digest:
        return _("公开数据与编制时的校验值不一致（数据被改动），不能继续办理。")
    current = figures.compute(disclosure.unit, disclosure.year, disclosure.period_end)
    lines = figures.differences(disclosure.snapshot, current)
    if not lines:
        return None
    named = _("；").join(lines[:NAMED_DIFFERENCES])
    if len(lines) > NAMED_DIFFERENCES:
        named += _("；另有 %(n)d 项不一致") % {"n": len(lines) - NAMED_DIFFERENCES}
    return _("公开数据与台账不一致：%(lines)s。请按台账重新计算后重新报审。") % {"lines": named}


def disclosure_submit(*, actor, disclosure) -> Disclosure:
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require_drafter(actor, disclosure)
        _state_refusal(
            disclosure, (State.DRAFT, State.RETURNED), _("状态为“%(s)s”的账务公开不能提交。")
        )
        problem = reconciliation_refusal(disclosure)
        if problem:
            raise ValidationError(problem)
        step = disclosure.state
        disclosure.state = State.SUBMITTED
        acted_by(actor, disclosure)
        disclosure.save(update_fields=["state"])
        _record(disclosure, actor=actor, step=step, action=Action.SUBMIT, result=State.SUBMITTED)
    return disclosure


def disclosure_decide(*, actor, disclosure, action, expected_state, comment="") -> Disclosure:
    """Approve, return or reject at the committee's level (the one approval engine)."""
    return engine.decide(
        chain=DISCLOSURE_APPROVAL,
        obj=disclosure,
        actor=actor,
        action=action,
        expected_state=expected_state,
        comment=comment,
    )


def disclosure_publish(*, actor, disclosure) -> Disclosure:
    """Publish an approved disclosure after computing every figure again from the ledger: a
    figure that differs stops it, named. From then on the row never changes."""
    with transaction.atomic():
        disclosure = _locked(disclosure)
        _require_drafter(actor, disclosure)
        _state_refusal(
            disclosure,
            (State.APPROVED,),
            _("状态为“%(s)s”的账务公开不能公布：须经党政班子会审定。"),
        )
        approved = disclosure.decisions.filter(action=Action.APPROVE).order_by("-pk").first()
        if approved is None or approved.snapshot_digest != disclosure.digest:
            raise ValidationError(_("公开数据不是党政班子会审定的那一份，不能公布。"))
        problem = reconciliation_refusal(disclosure)
        if problem:
            raise ValidationError(problem)
        disclosure.state = State.PUBLISHED
        disclosure.published_at = timezone.now()
        disclosure.published_by = actor
        acted_by(actor, disclosure)
        _record(
            disclosure,
            actor=actor,
            step=State.APPROVED,
            action=Action.PUBLISH,
            result=State.PUBLISHED,
        )
        disclosure.save(update_fields=["state", "published_at", "published_by"])
    return disclosure


def disclosures_to_decide(user) -> list:
    """The inbox's (待我处理) disclosures waiting for the user's decision: submitted, in the
    subtree of a committee the user sits on, not drawn up or submitted by the user."""
    paths = [
        m.unit.path for level in DISCLOSURE_CHAIN for m in rules.memberships_acting_at(user, level)
    ]
    if not paths:
        return []
    waiting = (
        Disclosure.objects.filter(access.path_q("unit__path", paths), state=State.SUBMITTED)
        .select_related("unit")
        .prefetch_related("decisions")
        .order_by("year", "unit__path")
    )
    return [
        WorkItem(
            source=_("账务公开审定"),
            subject=str(disclosure),
            detail=disclosure.get_state_display(),
            url=disclosure.get_absolute_url(),
            action=_("审定"),
        )
        for disclosure in waiting
        if not drafted_by(user, disclosure)
    ]
