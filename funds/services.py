"""Every movement of money goes through these functions.

Each locks the fund row (`select_for_update`) before it checks the balance, writes one
ledger row and moves the balance in the same transaction: two payments racing for the last
of a balance cannot both pass, and the database's own check keeps the balance at or above
zero whatever happens.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import chain as hash_chain
from cases import chain, rules
from cases.models import Application, Decision
from funds import posting
from funds.models import AidType, DistributionPlan, Fund, LedgerEntry, PlanDecision, PlanLine
from hardship import access
from hardship.models import PolicyParameter, Role
from hardship.policy import policy_value
from hardship.templatetags.money import format_yuan
from households import cards
from households.models import Household

CENT = Decimal("0.01")
KIND_AID_TYPE = {
    Application.Kind.EMERGENCY: AidType.EMERGENCY,
    Application.Kind.EDUCATION: AidType.EDUCATION,
    Application.Kind.MEDICAL: AidType.MEDICAL,
}
CAP_KEYS = {
    AidType.EMERGENCY: PolicyParameter.Key.EMERGENCY_CAP,
    AidType.EDUCATION: PolicyParameter.Key.EDUCATION_CAP,
    AidType.MEDICAL: PolicyParameter.Key.MEDICAL_CAP,
}


class PaymentRefused(ValidationError):
    """A payment broke one of the rules; the message names the rule."""


def _money(value) -> Decimal:
    amount = Decimal(value)
    if amount <= 0 or amount != amount.quantize(CENT):
        raise ValidationError(_("金额须为正数，最多两位小数。"))
    return amount


def _finance_may_use(actor, fund: Fund) -> None:
    if not access.covers(actor, {Role.FINANCE}, fund.unit.path):
        raise PermissionDenied(_("只有该资金账户所属单位的财务人员可以记账。"))


# The largest balance the fund row can hold (its column's digits): a receipt beyond it would
# overflow the column, a database error instead of a refusal.
_BALANCE = Fund._meta.get_field("balance")
BALANCE_LIMIT = Decimal(10) ** (_BALANCE.max_digits - _BALANCE.decimal_places) - CENT


def _post(fund: Fund, entry: LedgerEntry) -> LedgerEntry:
    """Write the row and move the balance together; the caller holds the fund's row lock."""
    if fund.balance + entry.amount > BALANCE_LIMIT:
        raise ValidationError({"amount": _("金额过大，请核对。")})
    try:
        with transaction.atomic():
            hash_chain.link(LedgerEntry.CHAIN, entry)
            entry.save()
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


def _locked(fund: Fund) -> Fund:
    return Fund.objects.select_for_update().select_related("unit").get(pk=fund.pk)


def fund_create(*, actor, form) -> Fund:
    """A new restricted fund (专户), owned by a unit where the actor keeps the books."""
    fund = form.save(commit=False)
    if not access.covers(actor, {Role.FINANCE}, fund.unit.path):
        raise PermissionDenied
    fund._history_user = actor
    with transaction.atomic():
        fund.save()
    return fund


def funds_that_may_pay(actor, household, aid_type):
    """Funds the actor keeps whose unit covers the household and which may pay this aid."""
    candidates = Fund.objects.filter(
        unit__in=access.finance_units(actor), unit__path__in=_ancestor_paths(household.union.path)
    ).select_related("unit")
    return Fund.objects.filter(pk__in=[f.pk for f in candidates if f.may_pay(aid_type)]).order_by(
        "-year", "name"
    )


def _ancestor_paths(path: str) -> list[str]:
    parts = [part for part in path.strip("/").split("/") if part]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def receipt_record(*, actor, fund: Fund, amount, voucher, posted_on, note) -> LedgerEntry:
    """Funds arriving (到账)."""
    amount = _money(amount)
    with transaction.atomic():
        fund = _locked(fund)
        _finance_may_use(actor, fund)
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
        return _post(fund, entry)


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


def _check_payment(
    fund, household, amount, aid_type, paid_on, application, plan_line, visit=None
) -> None:
    """The rules a payment must pass, each refusal naming its rule."""
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
    cap_key = CAP_KEYS.get(aid_type)
    case_cap = policy_value(cap_key, household.union, paid_on) if cap_key else None
    if case_cap is not None and amount > case_cap:
        raise PaymentRefused(
            _("每案上限：%(t)s 每案最多 %(c)s 元。")
            % {"t": AidType(aid_type).label, "c": format_yuan(case_cap)}
        )
    year_cap = policy_value(PolicyParameter.Key.HOUSEHOLD_YEAR_CAP, household.union, paid_on)
    if year_cap is not None:
        already = paid_for_household(household, paid_on.year)
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


def _payment_row(
    actor, fund, household, amount, aid_type, method, bank_account, goods, voucher, paid_on, note
):
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
        account = (bank_account or registered).replace(" ", "")
        if not (account.isascii() and account.isdigit() and 12 <= len(account) <= 19):
            raise ValidationError({"bank_account": _("银行卡号应为12至19位数字。")})
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
    )


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
    amount = _money(amount)
    with transaction.atomic():
        fund = _locked(fund)
        _finance_may_use(actor, fund)
        posting.check_date(fund, paid_on, "paid_on")
        application = (
            Application.objects.select_for_update()
            .select_related("household__union")
            .get(pk=application.pk)
        )
        household = application.household
        aid_type = KIND_AID_TYPE.get(application.kind, "")
        _check_payment(fund, household, amount, aid_type, paid_on, application, None)
        entry = _payment_row(
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
        return _post(fund, entry)


def visit_goods_funds(household):
    """Funds that may pay goods handed over on a visit to `household`: funds of the units
    above it that pay 物资 (专款专用), newest year first."""
    candidates = Fund.objects.filter(unit__path__in=_ancestor_paths(household.union.path))
    return Fund.objects.filter(
        pk__in=[f.pk for f in candidates if f.may_pay(AidType.IN_KIND)]
    ).order_by("-year", "name")


def visit_goods_post(*, actor, fund, visit) -> LedgerEntry:
    """Goods given on a visit (走访慰问) from a fund: an in-kind (实物) payment of the goods'
    value with their quantity and unit, tied to the visit. The caller (cases.services.
    visit_record) has checked that the actor may record the visit and holds the
    transaction; the payment rules are those of every payment (先建档后帮扶, 专款专用,
    每户每年上限, 保持资金平衡)."""
    amount = _money(visit.goods_value or 0)
    with transaction.atomic():
        fund = _locked(fund)
        # A ledger row like any other: not before the back-dating window, not in a closed year.
        posting.check_date(fund, visit.visited_on, "visited_on")
        household = (
            Household.objects.select_for_update().select_related("union").get(pk=visit.household_id)
        )
        if not visit_goods_funds(household).filter(pk=fund.pk).exists():
            raise PaymentRefused(
                {
                    "fund": _(
                        "专款专用：资金账户“%(f)s”不能支付“%(t)s”，或不在该户所属单位范围内。"
                    )
                    % {"f": fund.name, "t": AidType.IN_KIND.label}
                }
            )
        _check_payment(
            fund, household, amount, AidType.IN_KIND, visit.visited_on, None, None, visit
        )
        entry = _payment_row(
            actor,
            fund,
            household,
            amount,
            AidType.IN_KIND,
            LedgerEntry.Method.IN_KIND,
            "",
            visit.goods,
            f"WZ{visit.visited_on:%Y}-{visit.pk:07d}",
            visit.visited_on,
            f"{visit.get_kind_display()} {visit.goods}",
        )
        entry.visit = visit
        entry.quantity = visit.goods_quantity
        entry.quantity_unit = visit.goods_unit
        return _post(fund, entry)


def entry_reverse(*, actor, entry: LedgerEntry, reason, posted_on=None) -> LedgerEntry:
    """Correct a posted row by a reversal that names it and why (冲销); rows are never edited.
    The reversal is dated today unless told otherwise: a row of a closed year is corrected in
    the open year, never in the closed one."""
    posted_on = posted_on or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("冲销须写明原因。")})
    with transaction.atomic():
        fund = _locked(entry.fund)
        _finance_may_use(actor, fund)
        entry = LedgerEntry.objects.get(pk=entry.pk)
        if entry.kind == LedgerEntry.Kind.REVERSAL:
            raise ValidationError(_("冲销记录不能再冲销。"))
        if LedgerEntry.objects.filter(reverses=entry).exists():
            raise ValidationError(_("该记录已经冲销过。"))
        if entry.amount > 0 and fund.balance < entry.amount:
            raise PaymentRefused(_("保持资金平衡：冲销这笔到账将使余额为负。"))
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
        return _post(fund, reversal)


# Distribution plans ------------------------------------------------------------------


def plan_households(plan: DistributionPlan):
    """Households the plan's criteria choose: in file on the payment date, in the unit's tree."""
    qs = Household.objects.filter(
        union__path__startswith=plan.unit.path,
        status=Household.Status.IN_FILE,
        established_on__lte=plan.pay_on,
    )
    if plan.category:
        qs = qs.filter(category=plan.category)
    if plan.level:
        qs = qs.filter(level=plan.level)
    return qs.select_related("union").order_by("union__path", "file_number")


def _may_draw_up(actor, unit) -> bool:
    return access.covers(actor, {Role.FINANCE, Role.COMPANY_REVIEWER}, unit.path)


def plan_save(*, actor, plan: DistributionPlan) -> DistributionPlan:
    """Create or change a draft plan and (re)build its list of households."""
    if not _may_draw_up(actor, plan.unit):
        raise PermissionDenied
    if plan.pk and DistributionPlan.objects.get(pk=plan.pk).state not in (
        DistributionPlan.State.DRAFT,
        DistributionPlan.State.RETURNED,
    ):
        raise ValidationError(_("只有草稿或退回的方案可以修改。"))
    if not plan.unit.path.startswith(plan.fund.unit.path):
        raise ValidationError({"unit": _("发放范围须在资金账户所属单位之内。")})
    if not plan.fund.may_pay(plan.aid_type):
        raise ValidationError({"fund": _("专款专用：该资金账户不能支付此类帮扶。")})
    # A later pay date is fine (the plan is posted on it); one the books no longer take is not.
    problem = posting.date_refusal(plan.fund, plan.pay_on, allow_future=True)
    if problem:
        raise ValidationError({"pay_on": problem})
    with transaction.atomic():
        if not plan.pk:
            plan.created_by = actor
        plan.state = DistributionPlan.State.DRAFT
        plan._history_user = actor
        plan.full_clean()
        plan.save()
        plan.lines.all().delete()
        PlanLine.objects.bulk_create(
            PlanLine(plan=plan, household=h, amount=plan.amount_for(h))
            for h in plan_households(plan)
        )
    return plan


def plan_total(plan) -> Decimal:
    return plan.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def _plan_decision(plan, *, step, action, actor, result, comment="") -> PlanDecision:
    """A plan decision joins its hash chain with the state it leaves the plan in and a digest
    of the plan's lines, what the plan's payments will rely on."""
    decision = PlanDecision(
        plan=plan,
        step=step,
        action=action,
        actor=actor,
        comment=comment,
        resulting_state=result,
        plan_digest=PlanDecision.digest_of(plan),
    )
    hash_chain.link(PlanDecision.CHAIN, decision)
    decision.save()
    return decision


def plan_submit(*, actor, plan) -> DistributionPlan:
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
        if plan.created_by_id != actor.pk:
            raise PermissionDenied
        if plan.state not in (DistributionPlan.State.DRAFT, DistributionPlan.State.RETURNED):
            raise ValidationError(_("该方案已经提交。"))
        if not plan.lines.exists():
            raise ValidationError(_("方案中没有符合条件的家庭。"))
        _plan_decision(
            plan,
            step=DistributionPlan.State.SUBMITTED,
            action=Decision.Action.SUBMIT,
            actor=actor,
            result=DistributionPlan.State.SUBMITTED,
        )
        plan.state = DistributionPlan.State.SUBMITTED
        plan._history_user = actor
        plan.save(update_fields=["state"])
    return plan


def plan_transition(*, actor, plan, action, expected_state, comment="") -> DistributionPlan:
    """The committee approves, returns or rejects a plan: the chain's rules, read from
    `cases.chain.PLAN_CHAIN`."""
    comment = (comment or "").strip()
    if action not in chain.ACTIONS_AT_LEVEL:
        raise ValidationError(_("无效的操作。"))
    if action in chain.NEEDS_COMMENT and not comment:
        raise ValidationError({"comment": _("退回或不同意时必须填写意见。")})
    with transaction.atomic():
        plan = DistributionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
        if plan.state != expected_state:
            raise ValidationError(
                _("该方案的状态已经改变（当前：%(s)s），请刷新页面。")
                % {"s": plan.get_state_display()}
            )
        level = next((lvl for lvl in chain.PLAN_CHAIN if lvl.state == plan.state), None)
        problem = rules.plan_refusal(actor, plan, level)
        if problem:
            raise PermissionDenied(problem)
        result = {
            Decision.Action.APPROVE: level.approve_to,
            Decision.Action.RETURN: DistributionPlan.State.RETURNED,
            Decision.Action.REJECT: DistributionPlan.State.REJECTED,
        }[action]
        _plan_decision(
            plan, step=plan.state, action=action, actor=actor, comment=comment, result=result
        )
        plan.state = result
        plan._history_user = actor
        plan.save(update_fields=["state"])
    return plan


def plan_post(*, actor, plan) -> list[LedgerEntry]:
    """Pay every line of an approved plan, all or nothing. Posting a posted plan writes
    nothing (and each line can be paid only once: the ledger row is one-to-one with it)."""
    with transaction.atomic():
        plan = (
            DistributionPlan.objects.select_for_update()
            .select_related("unit", "fund")
            .get(pk=plan.pk)
        )
        # The right first: whoever may not post gets a 403 whatever state the plan is in.
        _finance_may_use(actor, plan.fund)
        if plan.state == DistributionPlan.State.POSTED:
            return []
        if plan.state != DistributionPlan.State.APPROVED:
            raise PaymentRefused(_("方案尚未经党政班子会审定，不能发放。"))
        fund = _locked(plan.fund)
        if plan.pay_on > timezone.localdate():
            raise posting.PostingDateRefused(
                _("方案的发放日期是 %(d)s，该日起才能记账。") % {"d": plan.pay_on.isoformat()}
            )
        posting.check_date(fund, plan.pay_on, "pay_on")
        total = plan_total(plan)
        if fund.balance < total:
            raise PaymentRefused(
                _("保持资金平衡：方案合计 %(t)s 元，资金余额 %(b)s 元。")
                % {"t": format_yuan(total), "b": format_yuan(fund.balance)}
            )
        entries = []
        for number, line in enumerate(
            plan.lines.select_related("household__union").order_by("pk"), start=1
        ):
            household = (
                Household.objects.select_for_update()
                .select_related("union")
                .get(pk=line.household_id)
            )
            try:
                _check_payment(fund, household, line.amount, plan.aid_type, plan.pay_on, None, line)
                entry = _payment_row(
                    actor,
                    fund,
                    household,
                    line.amount,
                    plan.aid_type,
                    plan.method,
                    household.bank_account,
                    plan.goods,
                    f"FA{plan.pk:05d}-{number:04d}",
                    plan.pay_on,
                    plan.name,
                )
                entry.plan_line = line
                entries.append(_post(fund, entry))
            except ValidationError as refusal:
                # One bad line stops the whole plan: name the household and the rule.
                raise PaymentRefused(
                    _("%(n)s（%(f)s）：%(why)s")
                    % {
                        "n": household.worker_name,
                        "f": household.file_number,
                        "why": " ".join(refusal.messages),
                    }
                ) from None
        plan.state = DistributionPlan.State.POSTED
        plan.posted_at = timezone.now()
        plan.posted_by = actor
        plan._history_user = actor
        plan.save(update_fields=["state", "posted_at", "posted_by"])
    return entries
