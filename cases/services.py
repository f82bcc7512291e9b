"""Every change to an application, a notice or an objection goes through these functions.

Applications move along the chain only through the one approval engine:
`engine.decide(chain=APPLICATION_APPROVAL, ...)`, which reads the table in `cases.chain`;
nothing else decides who may act.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import chain, engine, rules
from cases.access import notices_visible_to
from cases.models import Application, Decision, Investigation, Notice, Objection
from hardship import access
from hardship import chain as hash_chain
from hardship.history import acted_by
from hardship.models import Unit
from hardship.sequences import next_value
from hardship.templatetags.money import format_yuan
from households import services as household_services
from households.models import Household
from households.plans import check_measure_link

State = Application.State
Action = Decision.Action


def _household_version(household: Household) -> int | None:
    return household.history.order_by("-history_id").values_list("history_id", flat=True).first()


def _record(
    application, *, actor, step, action, result, comment="", unit=None, level=None
) -> Decision:
    """`result` is the state this decision leaves the application in: it is chained with the
    application's kind and amount, what a payment will rely on. A decision at a `level` is
    taken through the membership that may act there (its unit is recorded)."""
    if level is not None:
        unit = rules.acting_membership(actor, application, level).unit
    decision = Decision(
        application=application,
        round=application.round,
        step=step,
        action=action,
        actor=actor,
        acting_unit=unit,
        comment=comment,
        household_version=_household_version(application.household),
        application_kind=application.kind,
        application_amount=application.amount,
        resulting_state=result,
    )
    decision.full_clean()
    hash_chain.link(Decision.CHAIN, decision)
    decision.save()
    return decision


def _check_request(household, kind, amount, self_paid):
    """Validate what an application asks for against the household and policy."""
    errors = {}
    if kind == Application.Kind.ESTABLISH and household.status != Household.Status.DRAFT:
        errors["kind"] = _("只有草稿档案可以申请建档。")
    if kind != Application.Kind.ESTABLISH and household.status != Household.Status.IN_FILE:
        errors["kind"] = _("先建档、后帮扶：该户尚未在档，不能提出此项申请。")
    if kind in Application.MONEY_KINDS:
        if amount is None:
            errors["amount"] = _("请填写申请金额。")
        else:
            cap = rules.cap_for(kind, household, timezone.localdate())
            if cap is not None and amount > cap:
                errors["amount"] = _("申请金额 %(amount)s 元超过每案上限 %(cap)s 元。") % {
                    "amount": format_yuan(amount),
                    "cap": format_yuan(cap),
                }
    elif amount is not None:
        errors["amount"] = _("此类申请不涉及金额。")
    if kind == Application.Kind.MEDICAL and self_paid is None:
        errors["self_paid"] = _("医疗救助须填写个人自付金额。")
    if errors:
        raise ValidationError(errors)


def application_file(
    *, actor, household, kind, reason, amount=None, self_paid=None, measure=None
) -> Application:
    """A worker's own application, or a caseworker's on the worker's behalf; it enters the
    chain at once. `measure`: the open measure of the household's plan it carries out."""
    if not access.can_file_for(actor, household):
        raise PermissionDenied
    with transaction.atomic():
        household = (
            Household.objects.select_for_update().select_related("union").get(pk=household.pk)
        )
        _check_request(household, kind, amount, self_paid)
        check_measure_link(household.pk, measure)
        if (
            kind in (Application.Kind.ESTABLISH, Application.Kind.EXIT, Application.Kind.CANCEL)
            and household.applications.filter(kind=kind, state__in=Application.OPEN_STATES).exists()
        ):
            raise ValidationError({"kind": _("该户已有一份同类申请在办理中。")})
        year = timezone.localdate().year
        application = Application(
            number=f"SQ{year}-{next_value(f'application-{year}'):06d}",
            household=household,
            kind=kind,
            reason=reason,
            amount=amount,
            self_paid=self_paid,
            measure=measure,
            filed_by=actor,
            state=State.SUBMITTED,
        )
        acted_by(actor, application)
        application.save()
        _record(
            application,
            actor=actor,
            step=State.SUBMITTED,
            action=Action.SUBMIT,
            result=State.SUBMITTED,
        )
    return application


def application_resubmit(*, actor, application, reason, amount=None, self_paid=None) -> Application:
    """The filer corrects a returned application; the chain starts again, the trail stays."""
    with transaction.atomic():
        application = (
            Application.objects.select_for_update()
            .select_related("household__union")
            .get(pk=application.pk)
        )
        if application.filed_by_id != actor.pk:
            raise PermissionDenied
        if application.state != State.RETURNED:
            raise ValidationError(_("只有被退回的申请可以修改后重新提交。"))
        _check_request(application.household, application.kind, amount, self_paid)
        application.reason, application.amount, application.self_paid = reason, amount, self_paid
        application.round += 1
        application.state = State.SUBMITTED
        acted_by(actor, application)
        application.save()
        _record(
            application,
            actor=actor,
            step=State.SUBMITTED,
            action=Action.RESUBMIT,
            result=State.SUBMITTED,
        )
    return application


def _handled_message(application, last) -> str:
    return _("该申请已由 %(who)s 于 %(when)s 处理（%(action)s），当前环节：%(state)s。") % {
        **engine.when_and_who(last),
        "state": application.get_state_display(),
    }


def _after_decision(application) -> None:
    if application.kind == Application.Kind.ESTABLISH:
        household_services.filing_approval_note(
            household=application.household,
            begun=application.state in chain.PAST_FIRST_LEVEL,
        )
    if application.state == State.IN_NOTICE:
        _open_notice(application)


# Applications in the one approval engine: the table in cases.chain, the separation of
# duties in cases.rules, a notice opened when the committee approves.
APPLICATION_APPROVAL = engine.Chain(
    model=Application,
    levels=chain.CHAIN,
    returned_state=State.RETURNED,
    rejected_state=State.REJECTED,
    refusal=rules.refusal,
    record=_record,
    changed_message=lambda application: _("该申请的状态已经改变，请刷新页面。"),
    handled_message=_handled_message,
    related=("household__union",),
    update_fields=("state", "updated_at"),
    blockers=rules.approval_blockers,
    after=lambda application: _after_decision(application),
)


def _notice_unit(household) -> Unit:
    """Notices are posted at the company union above the household's grassroots union."""
    ancestors = access.ancestor_ids(household.union.path)
    units = Unit.objects.filter(pk__in=ancestors, kind=Unit.Kind.COMPANY)
    return units.first() or household.union


def _open_notice(application) -> Notice:
    unit = _notice_unit(application.household)
    today = timezone.localdate()
    days = rules.notice_days(unit, today)
    notice, _created = Notice.objects.update_or_create(
        application=application,
        defaults={
            "unit": unit,
            "starts_on": today,
            "ends_on": today + datetime.timedelta(days=days - 1),
            "closed_on": None,
        },
    )
    return notice


def investigation_record(
    *, actor, application, method, visited_on, investigators, findings
) -> Investigation:
    """Only someone who may act at the level that requires an investigation records one."""
    level = chain.level_for(application.state)
    if level is None or chain.NEEDS_INVESTIGATION not in level.requires:
        raise ValidationError(_("该申请当前环节不需要登记调查。"))
    problem = rules.refusal(actor, application, level)
    if problem:
        raise PermissionDenied(problem)
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("调查日期不能晚于今天。")})
    investigation = Investigation(
        application=application,
        method=method,
        visited_on=visited_on,
        investigators=investigators,
        findings=findings,
        recorded_by=actor,
    )
    acted_by(actor, investigation)
    with transaction.atomic():
        investigation.full_clean()
        investigation.save()
    return investigation


def objection_lodge(*, actor, notice, reason) -> Objection:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写异议理由。")})
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("application").get(pk=notice.pk)
        if not notices_visible_to(actor).filter(pk=notice.pk).exists():
            raise PermissionDenied
        if not rules.may_lodge_objection(actor, notice):
            raise PermissionDenied(_("审计只能查看，不能提出异议。"))
        today = timezone.localdate()
        if notice.closed_on or not (notice.starts_on <= today <= notice.ends_on):
            raise ValidationError(_("只能在公示期内提出异议。"))
        objection = Objection(notice=notice, reason=reason, lodged_by=actor)
        acted_by(actor, objection)
        objection.save()
    return objection


def objection_resolve(*, actor, objection, uphold: bool, resolution) -> Objection:
    """A company reviewer who had no part in the application dismisses an objection (the
    notice goes on) or upholds it: the application goes back to company verification. No
    one rejects it here: a rejection is the committee's decision, taken in the chain."""
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("请填写处理意见。")})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != Objection.Status.OPEN:
            raise ValidationError(_("该异议已经处理。"))
        notice = Notice.objects.select_for_update().get(pk=objection.notice_id)
        application = (
            Application.objects.select_for_update()
            .select_related("household__union")
            .get(pk=notice.application_id)
        )
        problem = rules.objection_refusal(actor, objection)
        if problem:
            raise PermissionDenied(problem)
        objection.status = Objection.Status.UPHELD if uphold else Objection.Status.DISMISSED
        objection.resolution = resolution
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        acted_by(actor, objection)
        objection.save()
        if uphold:
            _record(
                application,
                actor=actor,
                step=State.IN_NOTICE,
                action=Action.OBJECTION_UPHELD,
                comment=resolution,
                result=chain.VERIFICATION_STATE,
            )
            application.state = chain.VERIFICATION_STATE
            acted_by(actor, application)
            application.save(update_fields=["state", "updated_at"])
            notice.closed_on = timezone.localdate()
            notice.save(update_fields=["closed_on"])
            # The notice is over: any other open objection is settled by the same decision.
            for other in notice.objections.filter(status=Objection.Status.OPEN).exclude(
                pk=objection.pk
            ):
                other.status = Objection.Status.UPHELD
                other.resolution = _("随同另一异议一并处理：%(r)s") % {"r": resolution}
                other.resolved_by = actor
                other.resolved_at = objection.resolved_at
                acted_by(actor, other)
                other.save()
    return objection


def _take_effect(application, on: datetime.date) -> None:
    """Apply what a notice that ran its course decides. No person acts here: the household's
    history records the application number as the reason for the change."""
    household, because = application.household, application.number
    reason = application.reason[:200]
    if application.kind == Application.Kind.ESTABLISH:
        household_services.household_establish(
            actor=None, household=household, on=on, because=because
        )
    elif application.kind in (Application.Kind.EXIT, Application.Kind.CANCEL):
        status = (
            Household.Status.EXITED
            if application.kind == Application.Kind.EXIT
            else Household.Status.CANCELLED
        )
        household_services.household_end(
            actor=None, household=household, status=status, on=on, reason=reason, because=because
        )
    # Aid applications become approved entitlements that finance can pay: the state is it.


def close_due_notices(today: datetime.date | None = None):
    """Make effective every application whose notice period ended before `today` with no
    open objection. Returns (applications made effective, [(notice, why held back)])."""
    today = today or timezone.localdate()
    done, held = [], []
    due = Notice.objects.filter(closed_on__isnull=True, ends_on__lt=today).values_list(
        "pk", flat=True
    )
    for pk in due:
        with transaction.atomic():
            notice = Notice.objects.select_for_update().get(pk=pk)
            application = (
                Application.objects.select_for_update()
                .select_related("household__union")
                .get(pk=notice.application_id)
            )
            if notice.closed_on or application.state != State.IN_NOTICE:
                continue
            if notice.objections.filter(status=Objection.Status.OPEN).exists():
                held.append((notice, _("有未处理的异议。")))
                continue
            try:
                with transaction.atomic():
                    _take_effect(application, today)
            except ValidationError as error:
                # e.g. the worker was put in file elsewhere meanwhile: leave it for a person.
                held.append((notice, " ".join(error.messages)))
                continue
            _record(
                application,
                actor=None,
                step=State.IN_NOTICE,
                action=Action.EFFECTIVE,
                result=State.EFFECTIVE,
            )
            application.state = State.EFFECTIVE
            application.effective_on = today
            application.save(update_fields=["state", "effective_on", "updated_at"])
            notice.closed_on = today
            notice.save(update_fields=["closed_on"])
            done.append(application)
    return done, held
