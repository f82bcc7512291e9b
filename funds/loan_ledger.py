"""Small loans (小额借款) in the ledger: a loan lent out of a revolving loan fund (借出) and its
repayments received back into it (还款).

The same guarantees as every other row: the fund's row lock, the balance never below zero,
the posting-date rules, the hash chain, the append-only trigger; the year closing counts
loans lent with the money out and repayments with the money in. What a loan may be (who
decided it, its schedule, how much is still owed) is the `loans` app's; here only the
money and the rules of the fund: 专款专用 (the fund lists 小额借款), 先建档、后帮扶 and
实名制 (the borrower is the worker of a file in file, named from the file).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from funds import posting
from funds.ledger import (
    PaymentRefused,
    finance_may_use,
    in_file_on,
    lock_fund,
    post_entry,
    reversal_post,
    to_money,
)
from funds.models import AidType, Fund, LedgerEntry
from hardship import access, validators
from hardship.templatetags.money import format_yuan
from households import cards

METHODS = (LedgerEntry.Method.BANK, LedgerEntry.Method.CASH)


def loan_funds_for(actor, household):
    """Loan funds the actor keeps whose unit covers the household."""
    candidates = Fund.objects.filter(
        unit__in=access.finance_units(actor),
        unit__path__in=access.ancestor_paths(household.union.path),
    )
    return (
        Fund.objects.filter(pk__in=[f.pk for f in candidates if f.may_pay(AidType.LOAN)])
        .select_related("unit")
        .order_by("-year", "name")
    )


def _check_fund(fund, household) -> None:
    if not fund.may_pay(AidType.LOAN):
        raise PaymentRefused(
            _("专款专用：资金账户“%(f)s”不是借款资金，不能借出。") % {"f": fund.name}
        )
    if not household.union.path.startswith(fund.unit.path):
        raise PaymentRefused(_("该户不在资金账户所属单位的范围内。"))


def _account(method, household, bank_account) -> str:
    if method not in METHODS:
        raise ValidationError({"method": _("借款只能以银行卡或现金办理。")})
    if method != LedgerEntry.Method.BANK:
        return ""
    pending = cards.pending_card_refusal(household)
    if pending:
        raise PaymentRefused({"method": pending})
    try:
        account = validators.clean_bank_account(bank_account or household.bank_account)
    except ValidationError as error:
        raise ValidationError({"method": error.messages}) from None
    if not account:
        raise PaymentRefused(
            {"method": _("实名制：档案中没有登记职工本人的银行卡号，不能银行转账。")}
        )
    return account


def loan_out_record(
    *, actor, fund, household, amount, method, voucher, posted_on, note
) -> LedgerEntry:
    """Lend `amount` from a loan fund to the worker of `household` (借出). To the card on
    the file (实名制) or in cash; refused beyond the fund's balance (保持资金平衡)."""
    amount = to_money(amount)
    with transaction.atomic():
        fund = lock_fund(fund)
        finance_may_use(actor, fund)
        posting.check_date(fund, posted_on, "posted_on")
        _check_fund(fund, household)
        if not in_file_on(household, posted_on):
            raise PaymentRefused(
                _("先建档、后帮扶：该户在借出日期 %(d)s 不是在档困难职工。") % {"d": posted_on}
            )
        if fund.balance < amount:
            raise PaymentRefused(
                _("保持资金平衡：借款资金余额 %(b)s 元，不足借出 %(a)s 元。")
                % {"b": format_yuan(fund.balance), "a": format_yuan(amount)}
            )
        entry = LedgerEntry(
            fund=fund,
            kind=LedgerEntry.Kind.LOAN_OUT,
            amount=-amount,
            voucher=voucher.strip(),
            posted_on=posted_on,
            note=note,
            recorded_by=actor,
            aid_type=AidType.LOAN,
            payee_name=household.worker_name,
            payee_id_number=household.id_number,
            method=method,
            bank_account=_account(method, household, ""),
        )
        return post_entry(fund, entry)


def loan_repayment_record(
    *, actor, fund, household, amount, method, voucher, posted_on, note, bank_account=""
) -> LedgerEntry:
    """A repayment received back into the loan fund (还款), from the borrower named on the
    file, in cash or by bank transfer (the paying account; the file's card when left empty).
    How much may still be repaid is the loan's rule, checked by its caller."""
    amount = to_money(amount)
    if method not in METHODS:
        raise ValidationError({"method": _("还款只能以银行转账或现金办理。")})
    if method == LedgerEntry.Method.BANK:
        try:
            account = validators.clean_bank_account(bank_account or household.bank_account)
        except ValidationError as error:
            raise ValidationError({"bank_account": error.messages}) from None
        if not account:
            raise ValidationError({"bank_account": _("银行转账还款须填写付款账号。")})
    else:
        account = ""
    with transaction.atomic():
        fund = lock_fund(fund)
        finance_may_use(actor, fund)
        posting.check_date(fund, posted_on, "posted_on")
        if not fund.may_pay(AidType.LOAN):
            raise PaymentRefused(_("该资金账户不是借款资金，不能收回借款。"))
        entry = LedgerEntry(
            fund=fund,
            kind=LedgerEntry.Kind.LOAN_REPAYMENT,
            amount=amount,
            voucher=voucher.strip(),
            posted_on=posted_on,
            note=note,
            recorded_by=actor,
            aid_type=AidType.LOAN,
            payee_name=household.worker_name,
            payee_id_number=household.id_number,
            method=method,
            bank_account=account,
        )
        return post_entry(fund, entry)


def loan_repayment_reverse(*, actor, entry: LedgerEntry, reason) -> LedgerEntry:
    """A repayment entered wrongly (wrong loan, wrong amount, entered twice) is reversed, dated
    today, money back out of the loan fund; whether the loan may lose it is the loan's rule,
    checked by its caller (loans.services.repayment_reverse)."""
    if entry.kind != LedgerEntry.Kind.LOAN_REPAYMENT:
        raise ValidationError(_("只有还款记录可以在借款页面冲销。"))
    return reversal_post(actor=actor, entry=entry, reason=reason)
