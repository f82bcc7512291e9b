"""Appeals (申诉): lodged by the worker (or a caseworker for them) against a rejection or a
cancellation, decided through the one approval engine (`cases.engine.decide` on
`APPEAL_REVIEW`) one tier above the level that decided, by someone who took no part in it.

Each step is an `AppealDecision` in its own hash chain (`appeal_decisions`), and the
application's trail gets a decision too: the appeal lodged, then upheld (the application
goes back to the level the decider names; a cancelled file is put back in file) or
dismissed (the original decision stands).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import appeal_rules, engine, rules, services
from cases.access import applications_visible_to
from cases.models import Appeal, AppealDecision, Application, Decision
from hardship import chain as hash_chain
from hardship.history import acted_by
from households import services as household_services

Action = AppealDecision.Action


def _record(appeal, *, actor, step, action, result, comment="", level=None) -> AppealDecision:
    """A step of the appeal's trail, chained with the state it leaves the appeal in and the
    level an upheld appeal sends the application back to. A decision at a `level` names the
    unit of the membership through which the decider acted."""
    unit = None
    if level is not None:
        unit = rules.membership_at(actor, appeal.application.household.union.path, level).unit
    decision = AppealDecision(
        appeal=appeal,
        step=step,
        action=action,
        actor=actor,
        acting_unit=unit,
        comment=comment,
        resulting_state=result,
        send_back_to=appeal.send_back_to,
    )
    decision.full_clean()
    hash_chain.link(AppealDecision.CHAIN, decision)
    decision.save()
    return decision


def _apply_outcome(appeal) -> None:
    """The appeal's outcome on the application, in the same transaction as the decision: a
    decision on the application's trail, and, upheld, the application back at the level
    named (a cancelled file back in file first)."""
    decided = appeal.decisions.select_related("actor", "acting_unit").order_by("-pk").first()
    application = (
        Application.objects.select_for_update()
        .select_related("household__union")
        .get(pk=appeal.application_id)
    )
    was = application.state
    if was not in (Application.State.REJECTED, Application.State.EFFECTIVE):
        raise ValidationError(_("该申请的状态已经改变，请刷新页面。"))
    upheld = appeal.state == Appeal.State.UPHELD
    if upheld:
        if application.kind == Application.Kind.CANCEL and was == Application.State.EFFECTIVE:
            household_services.household_reinstate(
                actor=decided.actor,
                household=application.household,
                reason=_("申诉成立，撤销注销：%(c)s") % {"c": decided.comment[:150]},
                because=application.number,
            )
        application.state = appeal.send_back_to
        application.effective_on = None
    services._record(
        application,
        actor=decided.actor,
        step=was,
        action=Decision.Action.APPEAL_UPHELD if upheld else Decision.Action.APPEAL_DISMISSED,
        result=application.state,
        comment=decided.comment,
        unit=decided.acting_unit,
    )
    if upheld:
        acted_by(decided.actor, application)
        application.save(update_fields=["state", "effective_on", "updated_at"])


def _handled_message(appeal, last) -> str:
    return _("该申诉已由 %(who)s 于 %(when)s 处理（%(action)s），当前状态：%(state)s。") % {
        **engine.when_and_who(last),
        "state": appeal.get_state_display(),
    }


# Appeals in the one approval engine: the levels and the separation of duties in
# cases.appeal_rules, upheld (approve) or dismissed (reject), never returned.
APPEAL_REVIEW = engine.Chain(
    model=Appeal,
    levels=appeal_rules.APPEAL_LEVELS,
    returned_state=Appeal.State.DISMISSED,  # not reachable: `actions` has no return
    rejected_state=Appeal.State.DISMISSED,
    refusal=appeal_rules.refusal,
    record=_record,
    changed_message=lambda appeal: _("该申诉的状态已经改变，请刷新页面。"),
    handled_message=_handled_message,
    related=("application__household__union",),
    update_fields=("state", "updated_at"),
    blockers=appeal_rules.blockers,
    after=_apply_outcome,
    actions=(Action.APPROVE, Action.REJECT),
)


def appeal_lodge(*, actor, application, reason) -> Appeal:
    """Lodge an appeal against the application's rejection or cancellation: the worker's
    own, or a caseworker's on the worker's behalf, within the appeal period, once per
    decision. It waits at the level above the one that decided."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写申诉理由。")})
    with transaction.atomic():
        application = (
            applications_visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("household__union")
            .filter(pk=application.pk)
            .first()
        )
        if application is None or not appeal_rules.may_lodge(actor, application):
            raise PermissionDenied(_("只有职工本人，或该户所在工会的帮扶专干可以提出申诉。"))
        problem = appeal_rules.lodge_problem(application)
        if problem:
            raise ValidationError(problem)
        appealed = appeal_rules.appealed_decision(application)
        appeal = Appeal(
            application=application,
            decision=appealed.decision,
            reason=reason,
            lodged_by=actor,
            state=appealed.appeal_level.state,
        )
        acted_by(actor, appeal)
        try:
            with transaction.atomic():
                appeal.save()
        except IntegrityError as error:
            raise ValidationError(_("对该决定已经提出过申诉，不能重复申诉。")) from error
        _record(
            appeal,
            actor=actor,
            step=appeal.state,
            action=Action.LODGE,
            result=appeal.state,
            comment=reason,
        )
        services._record(
            application,
            actor=actor,
            step=application.state,
            action=Decision.Action.APPEAL,
            result=application.state,
            comment=reason,
        )
    return appeal


def appeal_decide(
    *, actor, appeal, uphold: bool, expected_state, comment, send_back_to=""
) -> Appeal:
    """Uphold or dismiss an appeal at its level: `engine.decide` on `APPEAL_REVIEW`
    (AlreadyHandled names who decided first). Upheld, `send_back_to` names the level of the
    application's chain that takes it up again."""
    comment = (comment or "").strip()
    errors = {}
    if not comment:
        errors["comment"] = _("请填写复查意见。")
    if uphold and not send_back_to:
        errors["send_back_to"] = _("申诉成立时须选择退回的环节。")
    if errors:
        raise ValidationError(errors)
    return engine.decide(
        chain=APPEAL_REVIEW,
        obj=appeal,
        actor=actor,
        action=Action.APPROVE if uphold else Action.REJECT,
        expected_state=expected_state,
        comment=comment,
        changes={"send_back_to": send_back_to if uphold else "", "decided_at": timezone.now()},
    )
