"""Loans in the one approval engine (`cases.engine.decide`).

A loan application goes the way of other aid: 基层工会审查 (the grassroots chair) →
公司工会复核 (the company reviewer) → 党政班子会审定 (the committee), then finance lends it.
A deferral (展期) or a write-off (核销) of a loan is one level, the committee, like a
distribution plan. The separation of duties is the chain's: the right role at the level's
tier covering the household, never the person who applied (or proposed the motion), never
the household's worker or a member, never one person at two levels of the same loan.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from cases import engine, rules
from cases.chain import Level
from hardship import chain as hash_chain
from hardship.history import acted_by
from hardship.models import Role, Unit
from loans import standing
from loans.models import Loan, LoanDecision, Motion

State = Loan.State

LOAN_CHAIN = (
    Level(
        state=State.SUBMITTED,
        role=Role.GRASSROOTS_CHAIR,
        unit_kind=Unit.Kind.GRASSROOTS,
        approve_to=State.GRASSROOTS_APPROVED,
        label=pgettext_lazy("approval level", "基层工会审查"),
    ),
    Level(
        state=State.GRASSROOTS_APPROVED,
        role=Role.COMPANY_REVIEWER,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=State.COMPANY_VERIFIED,
        label=pgettext_lazy("approval level", "公司工会复核"),
    ),
    Level(
        state=State.COMPANY_VERIFIED,
        role=Role.COMMITTEE,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=State.APPROVED,
        label=pgettext_lazy("approval level", "党政班子会审定"),
    ),
)

MOTION_CHAIN = (
    Level(
        state=Motion.State.SUBMITTED,
        role=Role.COMMITTEE,
        unit_kind=Unit.Kind.COMPANY,
        approve_to=Motion.State.APPROVED,
        label=pgettext_lazy("approval level", "党政班子会审定"),
    ),
)


def record(loan, *, actor, step, action, result, comment="", level=None, motion=None):
    """A decision on the loan (or on one of its motions) joins the loan decisions' hash
    chain with what it approves (`LoanDecision.digest_of`) and the state it leaves."""
    unit = None
    if level is not None:
        unit = rules.membership_at(actor, loan.household.union.path, level).unit
    decision = LoanDecision(
        loan=loan,
        motion=motion,
        step=step,
        action=action,
        actor=actor,
        acting_unit=unit,
        comment=comment,
        resulting_state=result,
        digest=LoanDecision.digest_of(loan, motion),
    )
    decision.full_clean()
    hash_chain.link(LoanDecision.CHAIN, decision)
    decision.save()
    return decision


def loan_refusal(user, loan, level) -> str | None:
    if level is None:
        return _("该借款当前不在审批环节。")
    if rules.membership_at(user, loan.household.union.path, level) is None:
        return _("您不是“%(level)s”环节的办理人，或该借款不在您的工作范围内。") % {
            "level": level.label
        }
    if loan.applied_by_id == user.pk:
        return _("经办人不能审批自己提交的借款申请。")
    if rules.involved_in_household(user, loan.household):
        return _("您是该户职工或家庭成员，应当回避。")
    other_steps = {
        d.step
        for d in loan.decisions.filter(actor=user)
        if d.step in {lv.state for lv in LOAN_CHAIN}
    }
    if other_steps - {level.state}:
        return _("同一人不能在同一借款的两个审批环节办理。")
    return None


def overdue_loans(household, today, *, exclude=None):
    """The household's loans overdue today."""
    lent = household.loans.filter(state=State.CURRENT).prefetch_related(
        "installments", "repayments"
    )
    return [
        loan
        for loan in lent
        if loan.pk != getattr(exclude, "pk", None) and standing.standing(loan, today).is_overdue
    ]


def loan_blockers(loan, level) -> list[str]:
    """Before the committee approves: a household with an overdue loan gets another only by
    the committee's explicit decision, asked for on the application (逾期仍借)."""
    if level.state != State.COMPANY_VERIFIED or loan.overdue_override:
        return []
    if overdue_loans(loan.household, timezone.localdate(), exclude=loan):
        return [_("该户有逾期未还的借款：须在申请中提请党政班子会特别决定，否则不能再借。")]
    return []


def _handled(obj, last) -> str:
    return _("已由 %(who)s 于 %(when)s 处理（%(action)s），当前状态：%(state)s。") % {
        **engine.when_and_who(last),
        "state": obj.get_state_display(),
    }


def _changed(obj) -> str:
    return _("状态已经改变（当前：%(s)s），请刷新页面。") % {"s": obj.get_state_display()}


LOAN_APPROVAL = engine.Chain(
    model=Loan,
    levels=LOAN_CHAIN,
    returned_state=State.RETURNED,
    rejected_state=State.REJECTED,
    refusal=loan_refusal,
    record=record,
    changed_message=_changed,
    handled_message=_handled,
    related=("household__union",),
    blockers=loan_blockers,
)


def motion_refusal(user, motion, level) -> str | None:
    loan = motion.loan
    if level is None:
        return _("该事项当前不在审批环节。")
    if rules.membership_at(user, loan.household.union.path, level) is None:
        return _("只有该户所在公司工会的党政班子成员可以审定借款展期或核销。")
    if motion.requested_by_id == user.pk:
        return _("提出人不能审定自己提出的展期或核销。")
    if rules.involved_in_household(user, loan.household):
        return _("您是该户职工或家庭成员，应当回避。")
    return None


def _record_motion(motion, *, actor, step, action, result, comment="", level=None):
    return record(
        motion.loan,
        actor=actor,
        step=step,
        action=action,
        result=result,
        comment=comment,
        level=level,
        motion=motion,
    )


def _motion_blockers(motion, level) -> list[str]:
    if motion.loan.state != State.CURRENT:
        return [_("该借款已不在还款中。")]
    return []


def _motion_takes_effect(motion) -> None:
    """An approved deferral moves the due dates of what is unpaid by its months; an approved
    write-off ends the loan with what it still owed written off."""
    if motion.state != Motion.State.APPROVED:
        return
    loan = Loan.objects.select_for_update().get(pk=motion.loan_id)
    today = timezone.localdate()
    now = standing.standing(loan, today)
    if motion.kind == Motion.Kind.DEFERRAL:
        for line in now.lines:
            if line.remaining > 0:
                installment = line.installment
                installment.due_on = standing.add_months(installment.due_on, motion.months)
                installment.save(update_fields=["due_on"])
        return
    loan.state = State.WRITTEN_OFF
    loan.written_off = now.outstanding
    loan.closed_on = today
    decider = motion.decisions.order_by("-pk").first().actor
    acted_by(decider, loan, reason=_("党政班子会审定核销"))
    loan.save(update_fields=["state", "written_off", "closed_on"])


MOTION_APPROVAL = engine.Chain(
    model=Motion,
    levels=MOTION_CHAIN,
    returned_state=Motion.State.RETURNED,
    rejected_state=Motion.State.REJECTED,
    refusal=motion_refusal,
    record=_record_motion,
    changed_message=_changed,
    handled_message=_handled,
    related=("loan__household__union",),
    blockers=_motion_blockers,
    after=_motion_takes_effect,
)
