"""Every change to a loan: applying, lending, repayments, and proposing a deferral or a
write-off. Decisions on a loan or a motion go through `cases.engine.decide` with the chains
of `loans.approval`. Each function checks the actor's right again inside its transaction."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cases.models import Decision
from funds import loan_ledger
from hardship import access, validators
from hardship.history import acted_by
from hardship.models import PolicyParameter, Role
from hardship.policy import policy_value_or_default
from hardship.sequences import next_value
from hardship.templatetags.money import format_yuan
from households.models import Household
from loans import approval, standing
from loans.models import Installment, Loan, Motion, Repayment

State = Loan.State


def loan_terms(household, on: datetime.date) -> dict:
    """The policy in force for the household's union: the cap, the longest term, the rate."""
    key = PolicyParameter.Key
    return {
        "cap": policy_value_or_default(key.LOAN_CAP, household.union, on),
        "term": int(policy_value_or_default(key.LOAN_TERM_MONTHS, household.union, on)),
        "rate": policy_value_or_default(key.LOAN_ANNUAL_RATE, household.union, on),
    }


def _check_application(household, amount, term_months, schedule, terms) -> None:
    errors = {}
    if household.status != Household.Status.IN_FILE:
        raise ValidationError(_("先建档、后帮扶：该户不是在档困难职工，不能申请借款。"))
    if amount is None or amount <= 0:
        errors["amount"] = _("借款金额须大于零。")
    elif amount > terms["cap"]:
        errors["amount"] = _("借款金额 %(a)s 元超过每笔上限 %(c)s 元。") % {
            "a": format_yuan(amount),
            "c": format_yuan(terms["cap"]),
        }
    if not term_months or term_months < 1:
        errors["term_months"] = _("借款期限至少1个月。")
    elif term_months > terms["term"]:
        errors["term_months"] = _("借款期限最长 %(n)d 个月。") % {"n": terms["term"]}
    if schedule not in Loan.Schedule.values:
        errors["schedule"] = _("请选择还款方式。")
    if errors:
        raise ValidationError(errors)


def loan_apply(
    *,
    actor,
    household,
    purpose,
    amount,
    term_months,
    schedule,
    guarantor_name,
    guarantor_id_number,
    guarantor_phone,
    guarantor_relation,
    overdue_override=False,
    override_reason="",
) -> Loan:
    """A caseworker (or another editor of the file) applies for a loan for a household in
    file (先建档、后帮扶); it enters the chain at once. A household with an overdue loan is
    refused unless the application asks the committee to decide otherwise, with a reason."""
    if not access.can_edit_household(actor, household):
        raise PermissionDenied
    today = timezone.localdate()
    with transaction.atomic():
        household = (
            Household.objects.select_for_update().select_related("union").get(pk=household.pk)
        )
        terms = loan_terms(household, today)
        _check_application(household, amount, term_months, schedule, terms)
        if household.loans.filter(state__in=Loan.OPEN_STATES).exists():
            raise ValidationError(_("该户已有一份借款申请在办理中。"))
        override_reason = (override_reason or "").strip()
        overdue = approval.overdue_loans(household, today)
        if overdue and not overdue_override:
            raise ValidationError(
                _(
                    "该户有逾期未还的借款（%(n)s，逾期 %(d)d 天），不能再借；如确有必要，"
                    "请勾选“提请党政班子会特别决定”并写明理由。"
                )
                % {"n": overdue[0].number, "d": standing.standing(overdue[0], today).days_late}
            )
        if overdue_override and not override_reason:
            raise ValidationError({"override_reason": _("提请特别决定须写明理由。")})
        try:
            guarantor_id_number = validators.clean_id_number(guarantor_id_number)
            guarantor_phone = validators.clean_phone(guarantor_phone)
        except ValidationError as error:
            field = "guarantor_phone" if error.code == "phone" else "guarantor_id_number"
            raise ValidationError({field: error.messages}) from None
        loan = Loan(
            number=f"JK{today.year}-{next_value(f'loan-{today.year}'):05d}",
            household=household,
            purpose=(purpose or "").strip(),
            amount=amount,
            term_months=term_months,
            schedule=schedule,
            annual_rate=terms["rate"],
            guarantor_name=(guarantor_name or "").strip(),
            guarantor_id_number=guarantor_id_number,
            guarantor_phone=guarantor_phone,
            guarantor_relation=(guarantor_relation or "").strip(),
            overdue_override=bool(overdue_override),
            override_reason=override_reason if overdue_override else "",
            state=State.SUBMITTED,
            applied_by=actor,
        )
        if validators.clean_id_number(household.id_number) == loan.guarantor_id_number:
            raise ValidationError({"guarantor_id_number": _("借款人本人不能作自己的担保人。")})
        loan.full_clean()
        acted_by(actor, loan)
        loan.save()
        approval.record(
            loan,
            actor=actor,
            step=State.SUBMITTED,
            action=Decision.Action.SUBMIT,
            result=State.SUBMITTED,
        )
    return loan


def _locked_loan(loan) -> Loan:
    return (
        Loan.objects.select_for_update(of=("self",))
        .select_related("household__union", "fund__unit")
        .get(pk=loan.pk)
    )


def loan_disburse(*, actor, loan, fund, method, voucher, lent_on) -> Loan:
    """Finance lends an approved loan from a loan fund (借出) and the repayment schedule
    starts: monthly from a month after lending, or all at the end of the term."""
    with transaction.atomic():
        loan = _locked_loan(loan)
        if not access.covers(actor, {Role.FINANCE}, loan.household.union.path):
            raise PermissionDenied(_("只有该户所在单位（或其上级）的财务人员可以借出。"))
        if loan.state != State.APPROVED:
            raise ValidationError(_("只有经党政班子会审定的借款可以借出。"))
        entry = loan_ledger.loan_out_record(
            actor=actor,
            fund=fund,
            household=loan.household,
            amount=loan.amount,
            method=method,
            voucher=voucher,
            posted_on=lent_on,
            note=_("小额借款 %(n)s 借出") % {"n": loan.number},
        )
        monthly = loan.schedule == Loan.Schedule.MONTHLY
        amounts = standing.schedule_amounts(
            loan.amount, loan.term_months, monthly, loan.annual_rate
        )
        Installment.objects.bulk_create(
            Installment(
                loan=loan,
                number=number,
                due_on=standing.add_months(lent_on, number if monthly else loan.term_months),
                amount=amount,
            )
            for number, amount in enumerate(amounts, start=1)
        )
        loan.fund = entry.fund
        loan.disbursement = entry
        loan.lent_on = lent_on
        loan.state = State.CURRENT
        acted_by(actor, loan)
        loan.save(update_fields=["fund", "disbursement", "lent_on", "state"])
    return loan


def keeps_books_for(user, loan) -> bool:
    """Finance of the loan's fund once it is lent (before: of a unit over the household)."""
    unit_path = loan.fund.unit.path if loan.fund_id else loan.household.union.path
    return access.covers(user, {Role.FINANCE}, unit_path)


def repayment_record(
    *,
    actor,
    loan,
    amount,
    method,
    voucher,
    paid_on,
    bank_account="",
    expected_outstanding=None,
) -> Repayment:
    """A repayment received (还款) into the loan's fund. Refused above what is still owed;
    `expected_outstanding` is what the actor saw: if another repayment was recorded since
    (the same one, entered twice), nothing is recorded and the message says by whom."""
    with transaction.atomic():
        loan = _locked_loan(loan)
        if not keeps_books_for(actor, loan):
            raise PermissionDenied(_("只有借款资金所属单位的财务人员可以登记还款。"))
        if loan.state != State.CURRENT:
            raise ValidationError(
                _("该借款不在还款中（%(s)s）。") % {"s": loan.get_state_display()}
            )
        owed = owed_now(loan)
        if expected_outstanding is not None and Decimal(expected_outstanding) != owed:
            last = (
                loan.repayments.filter(reversal__isnull=True)
                .select_related("entry__recorded_by")
                .order_by("-pk")
                .first()
            )
            raise ValidationError(
                _(
                    "您打开页面后已有还款登记（%(who)s 于 %(when)s 登记 %(a)s 元），未还金额现为"
                    " %(o)s 元。请核对，避免重复登记。"
                )
                % {
                    "who": last.entry.recorded_by if last else "—",
                    "when": formats.date_format(
                        timezone.localtime(last.entry.recorded_at), "Y-m-d H:i:s"
                    )
                    if last
                    else "—",
                    "a": format_yuan(last.amount) if last else "—",
                    "o": format_yuan(owed),
                }
            )
        if amount is None or amount <= 0:
            raise ValidationError({"amount": _("还款金额须大于零。")})
        if amount > owed:
            raise ValidationError(
                {
                    "amount": _("还款金额 %(a)s 元超过未还金额 %(o)s 元。")
                    % {"a": format_yuan(amount), "o": format_yuan(owed)}
                }
            )
        if paid_on < loan.lent_on:
            raise ValidationError({"paid_on": _("还款日期不能早于借出日期。")})
        entry = loan_ledger.loan_repayment_record(
            actor=actor,
            fund=loan.fund,
            household=loan.household,
            amount=amount,
            method=method,
            voucher=voucher,
            posted_on=paid_on,
            bank_account=bank_account,
            note=_("小额借款 %(n)s 还款") % {"n": loan.number},
        )
        repayment = Repayment.objects.create(loan=loan, entry=entry, amount=amount, paid_on=paid_on)
        if amount == owed:
            loan.state = State.REPAID
            loan.closed_on = paid_on
            acted_by(actor, loan, reason=_("还清"))
            loan.save(update_fields=["state", "closed_on"])
    return repayment


def repayment_reverse(*, actor, repayment: Repayment, reason) -> Repayment:
    """Correct a repayment entered wrongly (wrong loan, wrong amount, entered twice): its ledger
    row is reversed (dated today, money back out of the fund) and it no longer counts; a loan
    it had repaid in full owes again. A written-off loan's repayments stay as they are."""
    with transaction.atomic():
        loan = _locked_loan(repayment.loan)
        if not keeps_books_for(actor, loan):
            raise PermissionDenied(_("只有借款资金所属单位的财务人员可以冲销还款。"))
        repayment = Repayment.objects.select_related("entry").get(pk=repayment.pk, loan=loan)
        if repayment.reversal_id is not None:
            raise ValidationError(_("该笔还款已经冲销过。"))
        if loan.state == State.WRITTEN_OFF:
            raise ValidationError(_("已核销的借款不能冲销还款。"))
        repayment.reversal = loan_ledger.loan_repayment_reverse(
            actor=actor,
            entry=repayment.entry,
            reason=_("冲销小额借款 %(n)s 的还款：%(r)s")
            % {"n": loan.number, "r": (reason or "").strip()}
            if (reason or "").strip()
            else "",
        )
        repayment.save(update_fields=["reversal"])
        if loan.state == State.REPAID:
            loan.state, loan.closed_on = State.CURRENT, None
            acted_by(actor, loan, reason=_("冲销还款后恢复还款中"))
            loan.save(update_fields=["state", "closed_on"])
    return repayment


def may_propose(user, loan) -> bool:
    """The file's editors (the borrower asks for more time) and finance keeping the loan's
    fund (a debt that will not come back) put a deferral or a write-off to the committee."""
    if loan.state != State.CURRENT:
        return False
    return access.can_edit_household(user, loan.household) or keeps_books_for(user, loan)


def motion_propose(*, actor, loan, kind, reason, months=None) -> Motion:
    with transaction.atomic():
        loan = _locked_loan(loan)
        if not may_propose(actor, loan):
            raise PermissionDenied(_("只有档案经办人员或借款资金的财务人员可以提出展期或核销。"))
        reason = (reason or "").strip()
        errors = {}
        if kind not in Motion.Kind.values:
            errors["kind"] = _("请选择展期或核销。")
        if not reason:
            errors["reason"] = _("请写明理由。")
        if kind == Motion.Kind.DEFERRAL and not months:
            errors["months"] = _("展期须填写月数。")
        if errors:
            raise ValidationError(errors)
        if loan.motions.filter(state=Motion.State.SUBMITTED).exists():
            raise ValidationError(_("该借款已有一项展期或核销在等待审定。"))
        motion = Motion(
            loan=loan,
            kind=kind,
            months=months if kind == Motion.Kind.DEFERRAL else None,
            reason=reason,
            state=Motion.State.SUBMITTED,
            requested_by=actor,
        )
        motion.full_clean()
        acted_by(actor, motion)
        motion.save()
        approval.record(
            loan,
            actor=actor,
            step=Motion.State.SUBMITTED,
            action=Decision.Action.SUBMIT,
            result=Motion.State.SUBMITTED,
            motion=motion,
        )
    return motion


def owed_now(loan) -> Decimal:
    """What the loan still owes in all (every installment, due or not)."""
    return standing.standing(loan, datetime.date.max).outstanding
