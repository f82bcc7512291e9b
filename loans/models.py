"""Small loans (小额借款 / 就业贷款) to workers in file, to restart work: applied for by a
caseworker, decided level by level through the one approval engine, lent from a revolving
loan fund through the ledger and repaid back into it on a schedule.

The money is in the ledger (`funds.LedgerEntry` rows of kind 借出 and 还款); a loan points
at its rows, never the other way round (funds lie below loans). What a loan still owes is
computed from its schedule and repayments (`loans.standing`), never stored.
"""

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Decision
from funds.models import Fund, LedgerEntry
from hardship.idnumber import IdNumberField
from hardship.models import Unit
from households.models import Household

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Loan(models.Model):
    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待基层工会审查")
        GRASSROOTS_APPROVED = "grassroots_approved", _("待公司工会复核")
        COMPANY_VERIFIED = "company_verified", _("待党政班子会审定")
        APPROVED = "approved", _("已审定，待借出")
        RETURNED = "returned", _("已退回")
        REJECTED = "rejected", _("未通过")
        CURRENT = "current", _("还款中")
        REPAID = "repaid", _("已还清")
        WRITTEN_OFF = "written_off", _("已核销")

    class Schedule(models.TextChoices):
        MONTHLY = "monthly", _("按月等额还款")
        AT_TERM = "at_term", _("到期一次还清")

    OPEN_STATES = (State.SUBMITTED, State.GRASSROOTS_APPROVED, State.COMPANY_VERIFIED)
    LENT_STATES = (State.CURRENT, State.REPAID, State.WRITTEN_OFF)

    number = models.CharField(_("借款编号"), max_length=32, unique=True, editable=False)
    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.PROTECT, related_name="loans"
    )
    purpose = models.CharField(_("借款用途"), max_length=200)
    amount = models.DecimalField(_("借款金额（元）"), validators=POSITIVE, **MONEY)
    term_months = models.PositiveSmallIntegerField(_("借款期限（月）"))
    schedule = models.CharField(_("还款方式"), max_length=16, choices=Schedule.choices)
    # Read from the policy when applying (loan_annual_rate, 0 unless set): interest-free.
    annual_rate = models.DecimalField(
        _("年利率（%）"), max_digits=5, decimal_places=2, default=Decimal("0")
    )
    guarantor_name = models.CharField(_("担保人姓名"), max_length=50)
    guarantor_id_number = IdNumberField(_("担保人身份证号"))
    guarantor_phone = models.CharField(_("担保人电话"), max_length=20)
    guarantor_relation = models.CharField(_("担保人与借款人关系"), max_length=20)
    # 逾期仍借: the household had an overdue loan when this one was applied for; only the
    # committee's approval (its decision chains the flag) lets the loan go ahead.
    overdue_override = models.BooleanField(
        _("提请党政班子会特别决定（该户有逾期借款）"), default=False
    )
    override_reason = models.CharField(_("特别决定的理由"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=24, choices=State.choices)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    fund = models.ForeignKey(
        Fund,
        verbose_name=_("借款资金"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    disbursement = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("借出记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan",
    )
    lent_on = models.DateField(_("借出日期"), null=True, blank=True)
    closed_on = models.DateField(_("结清或核销日期"), null=True, blank=True)
    written_off = models.DecimalField(
        _("核销金额（元）"), null=True, blank=True, editable=False, **MONEY
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("小额借款")
        verbose_name_plural = _("小额借款")
        ordering = ["-applied_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(condition=Q(term_months__gt=0), name="loan_term_positive"),
            models.CheckConstraint(condition=Q(annual_rate__gte=0), name="loan_rate_gte_0"),
            models.CheckConstraint(
                condition=~Q(state__in=["current", "repaid", "written_off"])
                | Q(disbursement__isnull=False, fund__isnull=False, lent_on__isnull=False),
                name="loan_lent_has_its_ledger_row",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["repaid", "written_off"]) | Q(closed_on__isnull=False),
                name="loan_closed_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(state="written_off") | Q(written_off__gt=0),
                name="loan_written_off_has_amount",
            ),
            models.CheckConstraint(
                condition=~Q(overdue_override=True) | ~Q(override_reason=""),
                name="loan_override_has_reason",
            ),
            # 先借后还, one application at a time: at most one loan of a household in the chain.
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(state__in=["submitted", "grassroots_approved", "company_verified"]),
                name="loan_one_open_application_per_household",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("loan_detail", args=[self.pk])

    @property
    def decisions(self):
        """The loan's own decisions (the engine reads them); deferrals and write-offs keep
        theirs on their motion."""
        return self.trail.filter(motion__isnull=True)


class Installment(models.Model):
    """One line of the repayment schedule: what is due by when. A deferral moves the due
    dates of what is still unpaid."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField(_("期次"))
    due_on = models.DateField(_("应还日期"))
    amount = models.DecimalField(_("应还金额（元）"), **MONEY)

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="installment_once_per_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="installment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.loan_id} #{self.number} {self.due_on}"


class Repayment(models.Model):
    """A repayment of the loan: its money is the ledger row (还款) it points at."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    entry = models.OneToOneField(
        LedgerEntry, verbose_name=_("还款记录"), on_delete=models.PROTECT, related_name="repayment"
    )
    amount = models.DecimalField(_("还款金额（元）"), **MONEY)
    paid_on = models.DateField(_("还款日期"))
    # A repayment entered wrongly is reversed in the ledger (loans.services.repayment_reverse):
    # it then counts for nothing; the row stays, as the ledger's do.
    reversal = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("冲销记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_repayment",
    )

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.paid_on} {self.amount}"


class Motion(models.Model):
    """A deferral (展期) or a write-off (核销) of a loan, put to the committee: never decided
    by one person."""

    class Kind(models.TextChoices):
        DEFERRAL = "deferral", _("展期")
        WRITE_OFF = "write_off", _("核销")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("待党政班子会审定")
        APPROVED = "approved", _("已同意")
        RETURNED = "returned", _("已退回")
        REJECTED = "rejected", _("未通过")

    loan = models.ForeignKey(
        Loan, verbose_name=_("小额借款"), on_delete=models.PROTECT, related_name="motions"
    )
    kind = models.CharField(_("事项"), max_length=16, choices=Kind.choices)
    months = models.PositiveSmallIntegerField(_("展期月数"), null=True, blank=True)
    reason = models.CharField(_("理由"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("借款展期或核销")
        verbose_name_plural = _("借款展期或核销")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="deferral") & Q(months__gt=0))
                | (Q(kind="write_off") & Q(months__isnull=True)),
                name="motion_deferral_has_months",
            ),
            models.UniqueConstraint(
                fields=["loan"], condition=Q(state="submitted"), name="motion_one_open_per_loan"
            ),
        ]

    def __str__(self):
        return f"{self.loan} {self.get_kind_display()}"


class LoanDecision(models.Model):
    """The trail of a loan and of its motions through their levels. Rows are only added;
    hash-chained like the approval decisions, with what the decision relied on: the loan's
    amount, term and override flag, the motion's kind and months, and the resulting state."""

    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="trail")
    motion = models.ForeignKey(
        Motion, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    step = models.CharField(_("环节"), max_length=24)
    action = models.CharField(_("意见"), max_length=20, choices=Decision.Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    acting_unit = models.ForeignKey(
        Unit,
        verbose_name=_("办理单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("意见说明"), blank=True)
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    resulting_state = models.CharField(max_length=24, editable=False, blank=True)
    digest = models.CharField(max_length=64, editable=False, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False, default="")
    row_hash = models.CharField(max_length=64, editable=False, default="")
    chain_position = models.PositiveBigIntegerField(null=True, editable=False, unique=True)

    class Meta:
        verbose_name = _("借款审批记录")
        verbose_name_plural = _("借款审批记录")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["return", "reject"]) | ~Q(comment=""),
                name="loan_decision_comment",
            ),
        ]

    def __str__(self):
        return f"{self.loan_id} {self.step} {self.action}"

    CHAIN = "loan_decisions"
    CHAINED_FIELDS = (
        "loan_id",
        "motion_id",
        "step",
        "action",
        "actor_id",
        "acting_unit_id",
        "comment",
        "resulting_state",
        "digest",
        "chain_position",
    )

    def chain_content(self) -> dict:
        return {name: getattr(self, name) for name in self.CHAINED_FIELDS}

    @staticmethod
    def digest_of(loan: Loan, motion: Motion | None = None) -> str:
        """sha256 over what the decision approves: the loan's terms, and the motion's."""
        payload = {
            "household": loan.household_id,
            "amount": f"{loan.amount:.2f}",
            "term_months": loan.term_months,
            "schedule": loan.schedule,
            "annual_rate": f"{loan.annual_rate:.2f}",
            "overdue_override": loan.overdue_override,
        }
        if motion is not None:
            payload["motion"] = {"kind": motion.kind, "months": motion.months}
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()
