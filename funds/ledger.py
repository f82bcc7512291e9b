"""The ledger: every movement of money goes through these functions (receipts, payments,
reversals, goods given on visits) and the rules a payment must pass.

Each locks the fund row (`select_for_update`) before it checks the balance, writes one
ledger row and moves the balance in the same transaction: two payments racing for the last
of a balance cannot both pass, and the database's own check keeps the balance at or above
zero whatever happens.

Plans (funds.plans) and goods given on visits (funds.visit_goods) post through the same
steps, which are this module's API: `lock_fund`, `finance_may_use`, `to_money`,
`check_payment`, `payment_row`, `post_entry`.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Application
from funds import posting, totals
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry
from hardship import access, validators
from hardship import chain as hash_chain
from hardship.history import acted_by
from hardship.models import PolicyParameter, Role
from hardship.policy import CASE_CAP_KEYS, policy_value
from hardship.templatetags.money import format_yuan
from households import cards
from households.models import Health, Household, main_cause_by_default

CENT = Decimal("0.01")
KIND_AID_TYPE = {
    Application.Kind.EMERGENCY: AidType.EMERGENCY,
    Application.Kind.EDUCATION: AidType.EDUCATION,
    Application.Kind.MEDICAL: AidType.MEDICAL,
}


class PaymentRefused(ValidationError):
    """A payment broke one of the rules; the message names the rule."""


def to_money(value) -> Decimal:
    """A positive amount in whole cents, else a ValidationError."""
    amount = Decimal(value)
    if amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError(_("金额须为正数，最多两位小数。"))
    return amount


def finance_may_use(actor, fund: Fund) -> None:
    """403 unless the actor keeps the books of the fund's unit (or above it)."""
    if not access.covers(actor, {Role.FINANCE}, fund.unit.path):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以记账。"))


# The largest balance the fund row can hold (its column's digits): a receipt beyond it would
# overflow the column, a database error instead of a refusal.
_BALANCE = Fund._meta.get_field("balance")
BALANCE_LIMIT = Decimal(10) ** (_BALANCE.max_digits - _BALANCE.decimal_places) - CENT


def post_entry(fund: Fund, entry: LedgerEntry) -> LedgerEntry:
    """Write the row and move the balance together; the caller holds the fund's row lock."""
    if fund.balance + entry.amount > BALANCE_LIMIT:
        raise ValidationError({"amount": _("金额过大，请核对。")})
    try:
        with transaction.atomic():
            hash_chain.link(LedgerEntry.CHAIN, entry)
            entry.save()
            totals.record([entry])
            Fund.objects.filter(pk=fund.pk).update(balance=F("balance") + entry.amount)
    except IntegrityError as error:
        if LedgerEntry.objects.filter(voucher=entry.voucher).exists():
            raise ValidationError(
                {"voucher": _("凭证号 %(v)s 已经使用过。") % {"v": entry.voucher}}
            ) from error
        if "fund_balance_never_negative" in str(error):
            raise PaymentRefused(_("保持资金平衡：资金余额不足。")) from error
        raise
    fund.balance += entry.amount
    return entry


def lock_fund(fund: Fund) -> Fund:
    """The fund row, locked until the transaction ends: every posting holds it."""
    return Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)


def fund_create(
    *,
    actor,
    name,
    source,
    year,
    unit,
    aid_types,
    model_workers_only=False,
    bank_name="",
    account_name="",
    account_number="",
) -> Fund:
    """A new restricted fund (专户), owned by a unit where the actor keeps the books, with
    the bank account it is kept in (开户银行, 账户名称, 专户账号)."""
    if not access.covers(actor, {Role.FINANCE}, unit.path):
        raise PermissionDenied
    try:
        account_number = validators.clean_bank_account(account_number)
    except ValidationError as error:
        raise ValidationError({"account_number": error.messages}) from None
    fund = Fund(
        name=name,
        source=source,
        year=year,
        unit=unit,
        aid_types=list(aid_types),
        model_workers_only=model_workers_only,
        bank_name=(bank_name or "").strip(),
        account_name=(account_name or "").strip(),
        account_number=account_number,
    )
    acted_by(actor, fund)
    fund.full_clean()  # the data no longer passes through a model form's checks
    with transaction.atomic():
        fund.save()
    return fund


def funds_that_may_pay(actor, household, aid_type):
    """Funds the actor keeps whose unit covers the household and which may pay this aid."""
    candidates = Fund.objects.filter(
        unit__in=access.finance_units(actor),
        unit__path__in=access.ancestor_paths(household.union.path),
    ).select_related("unit")
    if not household.is_model_worker:
        candidates = candidates.exclude(model_workers_only=True)
    return Fund.objects.filter(pk__in=[f.pk for f in candidates if f.may_pay(aid_type)]).order_by(
        "-year", "name"
    )


def live_in(year: int) -> Q:
    """Payments still standing (a filter on payment rows) at the end of `year`: a reversal posted in a later year does
    not change the year the payment was counted in."""
    return Q(reversed_by__isnull=True) | Q(reversed_by__posted_on__year__gt=year)


def receipt_record(*, actor, fund: Fund, amount, voucher, posted_on, note) -> LedgerEntry:
    """Funds arriving (到账)."""
    amount = to_money(amount)
    with transaction.atomic():
        fund = lock_fund(fund)
        finance_may_use(actor, fund)
        posting.check_date(fund, posted_on, "posted_on")
        entry = LedgerEntry(
            fund=fund,
            kind=LedgerEntry.Kind.RECEIPT,
            amount=amount,
            voucher=voucher.strip(),
            posted_on=posted_on,
            note=note,
            recorded_by=actor,
        )
        return post_entry(fund, entry)


def paid_for_household(household, year: int) -> Decimal:
    """Net amount paid to a household in a calendar year (payments less their reversals)."""
    total = LedgerEntry.objects.filter(household=household, posted_on__year=year).aggregate(
        total=Sum("amount")
    )["total"]
    # Payments are negative, reversals of payments positive: the net outflow is the negation.
    return -(total or Decimal("0"))


def paid_for_application(application) -> Decimal:
    total = LedgerEntry.objects.filter(application=application).aggregate(total=Sum("amount"))[
        "total"
    ]
    return -(total or Decimal("0"))


def in_file_on(household, day) -> bool:
    """Whether the household's file was established and not yet ended on `day`."""
    if household.status == Household.Status.DRAFT or not household.established_on:
        return False
    ended = household.exited_on or household.cancelled_on
    return household.established_on <= day and (ended is None or day < ended)


def check_payment(
    fund, household, amount, aid_type, paid_on, application, plan_line, visit=None, *, known=None
) -> None:
    """The rules a payment must pass, each refusal naming its rule. A plan posting many lines
    passes what it read for all of them at once (`known`: policy values per union, each
    household's payments this year) so its queries do not grow with its lines."""
    policy = known.policy if known else policy_value
    if aid_type == AidType.LOAN:
        raise PaymentRefused(_("小额借款不是帮扶发放：须经借款审批后由借款资金借出。"))
    if not in_file_on(household, paid_on):
        raise PaymentRefused(
            _("先建档、后帮扶：该户在发放日期 %(d)s 不是在档困难职工。") % {"d": paid_on}
        )
    if application is not None:
        if (
            application.household_id != household.pk
            or application.state != Application.State.EFFECTIVE
        ):
            raise PaymentRefused(_("只能支付已生效（公示期满）的本户申请。"))
        if KIND_AID_TYPE.get(application.kind) != aid_type:
            raise PaymentRefused(_("帮扶类型与申请类型不符。"))
        remaining = application.amount - paid_for_application(application)
        if amount > remaining:
            raise PaymentRefused(
                _("每案上限：该申请批准 %(a)s 元，尚可支付 %(r)s 元。")
                % {"a": format_yuan(application.amount), "r": format_yuan(remaining)}
            )
    elif plan_line is not None:
        if (
            plan_line.household_id != household.pk
            or plan_line.plan.state != DistributionPlan.State.APPROVED
        ):
            raise PaymentRefused(_("只能支付已审定的发放方案中的本户条目。"))
    elif visit is not None:
        if visit.household_id != household.pk:
            raise PaymentRefused(_("只能为本户的走访记录发放物资。"))
    else:
        raise PaymentRefused(_("每笔发放须对应一份已生效的申请或已审定的发放方案。"))
    if not fund.may_pay(aid_type):
        raise PaymentRefused(
            _("专款专用：资金账户“%(f)s”不能支付“%(t)s”。")
            % {"f": fund.name, "t": AidType(aid_type).label}
        )
    if not household.union.path.startswith(fund.unit.path):
        raise PaymentRefused(_("该户不在资金账户所属单位的范围内。"))
    if fund.model_workers_only and not household.is_model_worker:
        raise PaymentRefused(
            _("专款专用：资金账户“%(f)s”仅限困难劳模，该户档案未标为劳模。") % {"f": fund.name}
        )
    cap_key = CASE_CAP_KEYS.get(aid_type)  # the one cap table
    case_cap = policy(cap_key, household.union, paid_on) if cap_key else None
    if case_cap is not None and amount > case_cap:
        raise PaymentRefused(
            _("每案上限：%(t)s 每案最多 %(c)s 元。")
            % {"t": AidType(aid_type).label, "c": format_yuan(case_cap)}
        )
    year_cap = policy(PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, household.union, paid_on)
    if year_cap is not None:
        already = known.paid(household) if known else paid_for_household(household, paid_on.year)
        if already + amount > year_cap:
            raise PaymentRefused(
                _("每户每年上限 %(c)s 元：该户 %(y)s 年已领取 %(p)s 元，本次 %(a)s 元将超出。")
                % {
                    "c": format_yuan(year_cap),
                    "y": paid_on.year,
                    "p": format_yuan(already),
                    "a": format_yuan(amount),
                }
            )
    if fund.balance < amount:
        raise PaymentRefused(
            _("保持资金平衡：资金余额 %(b)s 元，不足支付 %(a)s 元。")
            % {"b": format_yuan(fund.balance), "a": format_yuan(amount)}
        )


def payment_row(
    actor, fund, household, amount, aid_type, method, bank_account, goods, voucher, paid_on, note
):
    """The unsaved payment row (negative amount), with the card rules of a bank payment
    applied; `post_entry` writes it."""
    if method == LedgerEntry.Method.BANK:
        # 双人确认: nothing goes to a card whose change a second person has not confirmed.
        pending = cards.pending_card_refusal(household)
        if pending:
            raise PaymentRefused({"bank_account": pending})
        # 实名制: money goes only to the worker's own card as registered on the file.
        registered = household.bank_account
        if not registered:
            raise PaymentRefused(
                {"bank_account": _("实名制：档案中没有登记职工本人的银行卡号，不能银行转账发放。")}
            )
        try:
            account = validators.clean_bank_account(bank_account or registered)
        except ValidationError as error:
            raise ValidationError({"bank_account": error.messages}) from None
        if account != registered:
            raise PaymentRefused(
                {
                    "bank_account": _(
                        "实名制：只能发放到档案中登记的职工本人银行卡号（尾号 %(tail)s）。"
                    )
                    % {"tail": registered[-4:] if registered else "—"}
                }
            )
    else:
        account = ""
    if method == LedgerEntry.Method.IN_KIND and not (goods or "").strip():
        raise ValidationError({"goods": _("实物发放须填写物资名称，金额填写物资价值。")})
    # 实名制: the payee is always the household's worker, taken from the file, not typed in.
    return LedgerEntry(
        fund=fund,
        kind=LedgerEntry.Kind.PAYMENT,
        amount=-amount,
        voucher=voucher.strip(),
        posted_on=paid_on,
        note=note,
        recorded_by=actor,
        household=household,
        aid_type=aid_type,
        payee_name=household.worker_name,
        payee_id_number=household.id_number,
        method=method,
        bank_account=account,
        goods=(goods or "").strip() if method == LedgerEntry.Method.IN_KIND else "",
        **report_dims(household),
    )


def report_dims(household) -> dict:
    """What the reports group a payment by, as the file stands when it is paid."""
    model_worker = (household.model_worker_title or "untitled") if household.is_model_worker else ""
    serious = Health.SERIOUS
    return {
        "serious_illness": household.worker_health == serious
        or any(member.health == serious for member in household.members.all()),
        "union_id": household.union_id,
        "main_cause": household.main_cause
        or main_cause_by_default(cause.cause for cause in household.causes.all()),
        "model_worker": model_worker,
    }


def payment_make(
    *,
    actor,
    fund,
    application,
    amount,
    method,
    voucher,
    paid_on,
    bank_account="",
    goods="",
    note="",
) -> LedgerEntry:
    """Pay an effective application (发放) from a fund."""
    amount = to_money(amount)
    with transaction.atomic():
        fund = lock_fund(fund)
        finance_may_use(actor, fund)
        posting.check_date(fund, paid_on, "paid_on")
        application = (
            Application.objects.select_for_update()
            .select_related("household__union")
            .get(pk=application.pk)
        )
        household = application.household
        aid_type = KIND_AID_TYPE.get(application.kind, "")
        posting.check_cash(method, aid_type, household.union, paid_on, "method")
        check_payment(fund, household, amount, aid_type, paid_on, application, None)
        entry = payment_row(
            actor,
            fund,
            household,
            amount,
            aid_type,
            method,
            bank_account,
            goods,
            voucher,
            paid_on,
            note,
        )
        entry.application = application
        return post_entry(fund, entry)


def entry_reverse(*, actor, entry: LedgerEntry, reason, posted_on=None) -> LedgerEntry:
    """Correct a posted row by a reversal that names it and why (冲销); rows are never edited.
    The reversal is dated today unless told otherwise: a row of a closed year is corrected in
    the open year, never in the closed one. A loan's rows follow its schedule: a repayment
    entered wrongly is corrected from the loan (funds.loan_ledger.loan_repayment_reverse)."""
    if entry.kind in LedgerEntry.LOAN_KINDS:
        raise ValidationError(
            _("借出记录和还款记录在台账中不能冲销；还款登记错误的，请在借款页面冲销该笔还款。")
        )
    return reversal_post(actor=actor, entry=entry, reason=reason, posted_on=posted_on)


def reversal_post(*, actor, entry: LedgerEntry, reason, posted_on=None) -> LedgerEntry:
    """The reversal itself, for entry_reverse and the loan's repayment correction: the
    fund's lock, the balance, the dates, once per row."""
    posted_on = posted_on or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("冲销须写明原因。")})
    with transaction.atomic():
        fund = lock_fund(entry.fund)
        finance_may_use(actor, fund)
        entry = LedgerEntry.objects.get(pk=entry.pk)
        if entry.kind == LedgerEntry.Kind.REVERSAL:
            raise ValidationError(_("冲销记录不能再冲销。"))
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise ValidationError(_("该记录已经冲销过。"))
        if entry.amount > 0 and fund.balance < entry.amount:
            raise PaymentRefused(_("保持资金平衡：冲销这笔收入将使余额为负。"))
        if posted_on < entry.posted_on:
            raise posting.PostingDateRefused(_("冲销日期不能早于原记录的记账日期。"))
        posting.check_date(fund, posted_on, "posted_on")
        reversal = LedgerEntry(
            fund=fund,
            kind=LedgerEntry.Kind.REVERSAL,
            amount=-entry.amount,
            # The voucher column holds 40 characters: keep the suffix, shorten the original.
            voucher=f"{entry.voucher[: LedgerEntry._meta.get_field('voucher').max_length - 3]}-CX",
            posted_on=posted_on,
            note=reason,
            recorded_by=actor,
            reverses=entry,
            household=entry.household,
            aid_type=entry.aid_type,
            application=entry.application,
        )
        return post_entry(fund, reversal)
