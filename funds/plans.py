"""Distribution plans (发放方案): drawn up, submitted, decided by the committee and posted
to the ledger line by line, all or nothing, through the ledger's payment rules."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Sum, When
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import chain, engine, rules
from cases.models import Decision
from funds import campaigns, plan_notices, posting, totals
from funds.ledger import (
    PaymentRefused,
    check_payment,
    finance_may_use,
    lock_fund,
    payment_row,
)
from funds.models import DistributionPlan, Fund, LedgerEntry, PlanDecision, PlanLine
from hardship import access
from hardship import chain as hash_chain
from hardship.history import acted_by
from hardship.models import ChainHead, Role
from hardship.policy import policy_value
from hardship.templatetags.money import format_yuan
from households.assessment import zero_employment
from households.models import Household


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
    if plan.zero_employment:
        qs = zero_employment(qs, plan.pay_on)
    # A 劳模 campaign, or any plan paid from a fund kept for model workers (劳模专项资金).
    if plan.kind == DistributionPlan.Kind.MODEL_WORKERS or plan.fund.model_workers_only:
        qs = qs.filter(is_model_worker=True)
    return qs.select_related("union").order_by("union__path", "file_number")


def _may_draw_up(actor, unit) -> bool:
    return access.covers(actor, {Role.FINANCE, Role.COMPANY_REVIEWER}, unit.path)


def plan_save(*, actor, plan: DistributionPlan, rules=None) -> DistributionPlan:
    """Create or change a draft plan and (re)build its list of households. `rules`
    (unsaved PlanRule rows) replace the plan's rules; None keeps them."""
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
    posting.check_cash(plan.method, plan.aid_type, plan.unit, plan.pay_on, "method")
    if plan.starts_on and plan.ends_on and not plan.starts_on <= plan.pay_on <= plan.ends_on:
        raise ValidationError({"pay_on": _("发放日期须在活动期间之内。")})
    with transaction.atomic():
        if not plan.pk:
            plan.created_by = actor
        plan.state = DistributionPlan.State.DRAFT
        acted_by(actor, plan)
        plan.full_clean()
        plan.save()
        if rules is not None:
            plan.rules.all().delete()
            for rule in rules:
                rule.plan = plan
                rule.full_clean()
                rule.save()
        rebuild_lines(plan)
    return plan


def rebuild_lines(plan) -> campaigns.Selection:
    """(Re)build the plan's list from its criteria, rules and adjustments, each line with
    the words that explain it."""
    selection = campaigns.select(plan, plan_households(plan))
    empty = [rule.pk for rule in selection.empty_rules]
    plan.rules.update(selects_nobody=Case(When(pk__in=empty, then=True), default=False))
    plan.lines.all().delete()
    PlanLine.objects.bulk_create(
        PlanLine(
            plan=plan,
            household=c.household,
            union_id=c.household.union_id,
            amount=c.amount,
            explanation=c.explanation,
        )
        for c in selection.lines
        if c.amount > 0
    )
    return selection


def plan_total(plan) -> Decimal:
    return plan.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def record_decision(plan, *, step, action, actor, result, comment="", level=None) -> PlanDecision:
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
        record_decision(
            plan,
            step=DistributionPlan.State.SUBMITTED,
            action=Decision.Action.SUBMIT,
            actor=actor,
            result=DistributionPlan.State.SUBMITTED,
        )
        plan.state = DistributionPlan.State.SUBMITTED
        acted_by(actor, plan)
        plan.save(update_fields=["state"])
    return plan


def _handled_message(plan, last) -> str:
    return _("该方案已由 %(who)s 于 %(when)s 处理（%(action)s），当前状态：%(state)s。") % {
        **engine.when_and_who(last),
        "state": plan.get_state_display(),
    }


def approval_blockers(plan, level) -> list[str]:
    """What stops the committee approving: a total over the plan's budget or over its
    fund's balance (the fund is debited only at posting, but a plan it cannot pay is not
    signed)."""
    total = plan_total(plan)
    problems = []
    if plan.budget is not None and total > plan.budget:
        problems.append(
            _("方案合计 %(t)s 元，超出预算 %(b)s 元，不能审定。")
            % {"t": format_yuan(total), "b": format_yuan(plan.budget)}
        )
    if total > plan.fund.balance:
        problems.append(
            _("方案合计 %(t)s 元，超出资金账户“%(f)s”余额 %(b)s 元，不能审定。")
            % {"t": format_yuan(total), "f": plan.fund.name, "b": format_yuan(plan.fund.balance)}
        )
    return problems


# Distribution plans in the one approval engine: the committee approves, returns or rejects
# (`cases.chain.PLAN_CHAIN`), never the person who drew the plan up (`cases.rules`).
PLAN_APPROVAL = engine.Chain(
    model=DistributionPlan,
    levels=chain.PLAN_CHAIN,
    returned_state=DistributionPlan.State.RETURNED,
    rejected_state=DistributionPlan.State.REJECTED,
    refusal=rules.plan_refusal,
    record=record_decision,
    changed_message=lambda plan: (
        _("该方案的状态已经改变（当前：%(s)s），请刷新页面。") % {"s": plan.get_state_display()}
    ),
    handled_message=_handled_message,
    related=("unit",),
    blockers=approval_blockers,
    # An approved campaign's list goes on public notice (funds.plan_notices).
    after=plan_notices.notice_open,
)


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
        finance_may_use(actor, plan.fund)
        if plan.state == DistributionPlan.State.POSTED:
            return []
        if plan.state != DistributionPlan.State.APPROVED:
            raise PaymentRefused(_("方案尚未经党政班子会审定，不能发放。"))
        problem = plan_notices.posting_refusal(plan)
        if problem:
            raise PaymentRefused(problem)
        fund = lock_fund(plan.fund)
        if plan.pay_on > timezone.localdate():
            raise posting.PostingDateRefused(
                _("方案的发放日期是 %(d)s，该日起才能记账。") % {"d": plan.pay_on.isoformat()}
            )
        posting.check_date(fund, plan.pay_on, "pay_on")
        # 全部实行银行卡发放: the policy of the plan's unit decides for all its lines.
        posting.check_cash(plan.method, plan.aid_type, plan.unit, plan.pay_on, "method")
        total = plan_total(plan)
        if fund.balance < total:
            raise PaymentRefused(
                _("保持资金平衡：方案合计 %(t)s 元，资金余额 %(b)s 元。")
                % {"t": format_yuan(total), "b": format_yuan(fund.balance)}
            )
        lines = list(plan.lines.order_by("pk"))
        # Every household locked in one query (in id order, as any other writer would).
        households = {
            h.pk: h
            for h in Household.objects.select_for_update()
            .select_related("union")
            .prefetch_related("causes", "members")  # the default main cause; serious illness
            .filter(pk__in=[line.household_id for line in lines])
            .order_by("pk")
        }
        known = _KnownForPlan(households.values(), plan.pay_on.year)
        entries = []
        for number, line in enumerate(lines, start=1):
            household = households[line.household_id]
            line.plan = plan
            try:
                check_payment(
                    fund,
                    household,
                    line.amount,
                    plan.aid_type,
                    plan.pay_on,
                    None,
                    line,
                    known=known,
                )
                entry = payment_row(
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
            except ValidationError as refusal:
                raise _line_refused(household, refusal) from None
            entry.plan_line = line
            entries.append(entry)
            known.paid_now(household, line.amount)
            fund.balance -= line.amount
        _post_all(fund, entries, households)
        plan.state = DistributionPlan.State.POSTED
        plan.posted_at = timezone.now()
        plan.posted_by = actor
        acted_by(actor, plan)
        plan.save(update_fields=["state", "posted_at", "posted_by"])
    return entries


def _line_refused(household, refusal) -> PaymentRefused:
    """One bad line stops the whole plan: name the household and the rule."""
    return PaymentRefused(
        _("%(n)s（%(f)s）：%(why)s")
        % {
            "n": household.worker_name,
            "f": household.file_number,
            "why": " ".join(refusal.messages),
        }
    )


class _KnownForPlan:
    """What the payment rules read, read once for all of a plan's lines: policy values per
    union (the pay date is the plan's), each household's net payments in the year."""

    def __init__(self, households, year):
        totals = (
            LedgerEntry.objects.filter(household__in=list(households), posted_on__year=year)
            .values("household_id")
            .annotate(total=Sum("amount"))
        )
        # Payments are negative, reversals of payments positive: the net outflow is the negation.
        self._paid = {row["household_id"]: -row["total"] for row in totals}
        self._policy = {}

    def policy(self, key, unit, on):
        if (key, unit.pk, on) not in self._policy:
            self._policy[key, unit.pk, on] = policy_value(key, unit, on)
        return self._policy[key, unit.pk, on]

    def paid(self, household) -> Decimal:
        return self._paid.get(household.pk, Decimal("0"))

    def paid_now(self, household, amount) -> None:
        self._paid[household.pk] = self.paid(household) + amount


def _post_all(fund, entries, households) -> None:
    """Write the plan's rows and move the balance once: the ledger chain's head is locked
    once, the rows are chained in order and written in one INSERT. The caller holds the
    fund's row lock and has moved `fund.balance` already."""
    if not entries:
        return
    list(ChainHead.objects.select_for_update().filter(name=LedgerEntry.CHAIN))
    linker = hash_chain.BulkLinker(LedgerEntry.CHAIN)
    for entry in entries:
        linker.add(entry)
    try:
        with transaction.atomic():
            LedgerEntry.objects.bulk_create(entries)
            totals.record(entries)
            # Payments are negative: the balance moves by their sum.
            Fund.objects.filter(pk=fund.pk).update(
                balance=F("balance") + sum(entry.amount for entry in entries)
            )
    except IntegrityError as error:
        used = LedgerEntry.objects.filter(voucher__in=[e.voucher for e in entries]).first()
        if used is not None:
            entry = next(e for e in entries if e.voucher == used.voucher)
            refusal = ValidationError(_("凭证号 %(v)s 已经使用过。") % {"v": used.voucher})
            raise _line_refused(households[entry.household_id], refusal) from error
        if "fund_balance_never_negative" in str(error):
            raise PaymentRefused(_("保持资金平衡：资金余额不足。")) from error
        raise
    linker.finish(last_id=entries[-1].pk)
