"""Distribution plans (发放方案), their lines and hash-chained decisions, and year closings
(年度结账) of a fund."""

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Decision
from funds.models.ledger import MONEY, AidType, Fund, LedgerEntry
from hardship.chain import ChainedRecord
from hardship.models import Unit
from households.models import Household


class DistributionPlan(models.Model):
    """A regular or festival distribution (发放方案) to households chosen by criteria."""

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("待党政班子会审定")
        APPROVED = "approved", _("已审定，待发放")
        RETURNED = "returned", _("已退回修改")
        REJECTED = "rejected", _("未通过")
        POSTED = "posted", _("已发放")

    class Rule(models.TextChoices):
        FLAT = "flat", _("每户统一金额")
        PER_LEVEL = "per_level", _("按困难程度")

    class Kind(models.TextChoices):
        """The campaign a plan belongs to. A regular plan (定期补助) goes to filed households
        whose files were publicised when they were established; a campaign chooses
        households and amounts by its own rules, so its list is publicised again."""

        REGULAR = "regular", _("定期补助/其他")
        GOLDEN_AUTUMN = "golden_autumn", _("金秋助学")
        FESTIVALS = "festivals", _("两节送温暖")
        SUMMER = "summer", _("夏送清凉")
        MODEL_WORKERS = "model_workers", _("劳模补助/慰问")

    name = models.CharField(_("方案名称"), max_length=100)
    kind = models.CharField(
        _("活动类型"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.REGULAR,
        help_text=_("除定期补助外，各类活动的名单经审定后须公示，公示期满无异议方可发放。"),
    )
    starts_on = models.DateField(_("活动开始"), null=True, blank=True)
    ends_on = models.DateField(_("活动结束"), null=True, blank=True)
    budget = models.DecimalField(
        _("预算（元）"),
        null=True,
        blank=True,
        help_text=_("从所选资金账户列支；合计超出预算或账户余额的方案不能审定。"),
        **MONEY,
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("发放范围"), on_delete=models.PROTECT, related_name="plans"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("资金账户"), on_delete=models.PROTECT, related_name="plans"
    )
    aid_type = models.CharField(_("帮扶类型"), max_length=16, choices=AidType.choices)
    category = models.CharField(
        _("困难类别"),
        max_length=16,
        choices=Household.Category.choices,
        blank=True,
        help_text=_("留空为全部。"),
    )
    level = models.CharField(
        _("困难程度"),
        max_length=16,
        choices=Household.Level.choices,
        blank=True,
        help_text=_("留空为全部。"),
    )
    zero_employment = models.BooleanField(
        _("仅限零就业家庭"),
        default=False,
        help_text=_("只发放给家中无人就业的家庭（法定劳动年龄内有失业人员、无在业人员）。"),
    )
    rule = models.CharField(_("金额规则"), max_length=16, choices=Rule.choices, default=Rule.FLAT)
    flat_amount = models.DecimalField(_("每户金额（元）"), null=True, blank=True, **MONEY)
    hardship_amount = models.DecimalField(_("困难户金额（元）"), null=True, blank=True, **MONEY)
    extreme_amount = models.DecimalField(_("特困户金额（元）"), null=True, blank=True, **MONEY)
    method = models.CharField(_("发放方式"), max_length=16, choices=LedgerEntry.Method.choices)
    goods = models.CharField(_("物资名称"), max_length=100, blank=True)
    pay_on = models.DateField(_("发放日期"))
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    posted_at = models.DateTimeField(_("发放入账时间"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发放人"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发放方案")
        verbose_name_plural = _("发放方案")
        ordering = ["-pay_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(rule="flat") & Q(flat_amount__gt=0))
                | (Q(rule="per_level") & Q(hardship_amount__gt=0) & Q(extreme_amount__gt=0)),
                name="plan_amount_rule_complete",
            ),
            models.CheckConstraint(
                condition=~Q(method="in_kind") | ~Q(goods=""), name="plan_in_kind_names_goods"
            ),
            models.CheckConstraint(
                condition=~Q(state="posted") | Q(posted_at__isnull=False),
                name="plan_posted_has_time",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="plan_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gt=0), name="plan_budget_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.pk])

    @property
    def is_campaign(self) -> bool:
        """A campaign's approved list is publicised before it is paid."""
        return self.kind != self.Kind.REGULAR

    def amount_for(self, household: Household) -> Decimal:
        if self.rule == self.Rule.FLAT:
            return self.flat_amount
        return (
            self.extreme_amount
            if household.level == Household.Level.EXTREME
            else self.hardship_amount
        )


class PlanLine(models.Model):
    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="lines")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="plan_lines")
    # The file's union when the list was built, as a ledger row keeps it when posted: the
    # statistics count a year's planned aid in a part of the tree from the lines alone.
    union = models.ForeignKey(
        "hardship.Unit",
        verbose_name=_("基层工会"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # read through plan_line_by_union
    )
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    # Why the household is on the list and how its amount was made, as worded when the list
    # was built (funds.campaigns.explain): {"reasons": [...], "amount": [[label, yuan], ...]}.
    # What the committee saw is what it approved.
    explanation = models.JSONField(_("入选依据和金额计算"), default=dict, blank=True)

    class Meta:
        ordering = ["pk"]
        # The plan and notice pages list a page of lines in key order (a long list is paged).
        indexes = [
            models.Index(fields=["plan", "id"], name="plan_line_in_order"),
            # A year's plans' lines in a part of the tree, counted from the index alone.
            models.Index(fields=["plan", "union"], name="plan_line_by_union"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"], name="plan_line_once_per_household"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="plan_line_amount_positive"),
        ]

    def __str__(self):
        return f"{self.plan_id}: {self.household_id} {self.amount}"


class PlanDecision(ChainedRecord):
    """The plan's trail through its approval levels (the same chain rows as applications)."""

    plan = models.ForeignKey(DistributionPlan, on_delete=models.CASCADE, related_name="decisions")
    step = models.CharField(_("环节"), max_length=16, choices=DistributionPlan.State.choices)
    action = models.CharField(_("意见"), max_length=20, choices=Decision.Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("意见说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the plan's payments rely on, as decided: the state the decision left the plan in,
    # and a digest of its fund, terms and lines (see digest_of). Chained with the row.
    resulting_state = models.CharField(max_length=16, editable=False, blank=True)
    plan_digest = models.CharField(max_length=64, editable=False, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["return", "reject"]) | ~Q(comment=""),
                name="plan_decision_comment",
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.step} {self.action}"

    CHAIN = "plan_decisions"
    CHAINED_FIELDS = (
        "plan_id",
        "step",
        "action",
        "actor_id",
        "comment",
        "resulting_state",
        "plan_digest",
        "chain_position",
    )

    @staticmethod
    def digest_of(plan) -> str:
        """sha256 over what the plan pays: fund, aid type, method, goods, date and every line
        (household and amount)."""
        lines = plan.lines.order_by("household_id").values_list("household_id", "amount")
        payload = json.dumps(
            {
                "fund": plan.fund_id,
                "aid_type": plan.aid_type,
                "method": plan.method,
                "goods": plan.goods,
                "pay_on": plan.pay_on.isoformat(),
                "lines": [[household, f"{amount:.2f}"] for household, amount in lines],
            },
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha256(payload.encode()).hexdigest()


class YearClosing(ChainedRecord):
    """Year-end closing (年度结账) of one fund: the year's figures as the ledger stood when
    finance closed it. Once a year is closed nothing is posted on a date in it or in an earlier
    year (the services refuse, and on PostgreSQL a trigger on the ledger too); a correction is
    a reversal dated in the open year. Closings are a hash chain of their own, like the ledger.

    Amounts are signed as in the ledger: payments negative, reversals either way."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("资金账户"), on_delete=models.PROTECT, related_name="closings"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    opening = models.DecimalField(_("年初余额（元）"), **MONEY)
    receipts = models.DecimalField(_("到账合计（元）"), **MONEY)
    payments = models.DecimalField(_("发放合计（元）"), **MONEY)
    reversals = models.DecimalField(_("冲销合计（元）"), **MONEY)
    closing = models.DecimalField(_("年末余额（元）"), **MONEY)
    entries = models.PositiveIntegerField(_("记录数"))
    # The newest ledger row of the fund at closing: the year's rows are all at or below it.
    last_entry_id = models.BigIntegerField(null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("结账人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("结账时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("年度结账")
        verbose_name_plural = _("年度结账")
        ordering = ["fund", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="year_closing_once_per_year"),
            models.CheckConstraint(
                condition=Q(
                    closing=models.F("opening")
                    + models.F("receipts")
                    + models.F("payments")
                    + models.F("reversals")
                ),
                name="year_closing_adds_up",
            ),
            models.CheckConstraint(
                condition=Q(closing__gte=0) & Q(receipts__gte=0) & Q(payments__lte=0),
                name="year_closing_signs",
            ),
        ]

    def __str__(self):
        return f"{self.fund} {self.year}"

    CHAIN = "year_closing"
    CHAINED_FIELDS = (
        "fund_id",
        "year",
        "opening",
        "receipts",
        "payments",
        "reversals",
        "closing",
        "entries",
        "last_entry_id",
        "closed_by_id",
        "chain_position",
    )
