"""Campaigns (金秋助学, 两节送温暖 …) are distribution plans with targeting: eligibility and
amount rules built from the file, per-household exclusions and adjustments, and the public
notice of the approved list with its objections."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import ObjectionRecord
from funds.models.ledger import MONEY
from funds.models.plans import DistributionPlan
from hardship.models import Unit
from households.models import Household, Tag


class PlanRule(models.Model):
    """One rule of a plan. A required rule must hold for a household to be on the list
    (required rules of the same kind are alternatives: any of them; of different kinds, all);
    a rule with an addition adds to the household's amount when it holds (per member in the
    school stage for a school-stage rule, once otherwise)."""

    class Kind(models.TextChoices):
        CAUSE = "cause", _("致困原因")
        SCHOOL_STAGE = "school_stage", _("家庭成员就学阶段")
        MODEL_WORKER = "model_worker", _("劳模")
        TAG = "tag", _("档案标签")
        LEVEL = "level", _("困难程度")
        ZERO_EMPLOYMENT = "zero_employment", _("零就业家庭")
        NOT_HELPED_LAST_YEAR = "not_helped", _("上年未获同类活动帮扶")
        INCOME_BAND = "income_band", _("家庭人均月收入区间")

    plan = models.ForeignKey(
        DistributionPlan, verbose_name=_("发放方案"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("规则"), max_length=16, choices=Kind.choices)
    # The cause, school stage, lowest model-worker title or level the rule asks for.
    value = models.CharField(_("条件"), max_length=16, blank=True)
    tag = models.ForeignKey(
        Tag, verbose_name=_("标签"), null=True, blank=True, on_delete=models.PROTECT
    )
    income_from = models.DecimalField(_("人均月收入不低于（元）"), null=True, blank=True, **MONEY)
    income_to = models.DecimalField(_("人均月收入低于（元）"), null=True, blank=True, **MONEY)
    required = models.BooleanField(_("须符合"), default=True)
    addition = models.DecimalField(_("加发金额（元）"), default=0, **MONEY)
    # Whether the rule, required, met none of the candidates when the list was last built
    # (funds.plans.rebuild_lines); the plan's page says so without selecting again, which
    # at a company of many files takes seconds. Null: not known (built before it was kept).
    selects_nobody = models.BooleanField(_("未选中任何家庭"), null=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("方案规则")
        verbose_name_plural = _("方案规则")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(addition__gte=0), name="plan_rule_addition_gte_0"),
            models.CheckConstraint(
                condition=Q(required=True) | Q(addition__gt=0),
                name="plan_rule_selects_or_adds",
            ),
            models.CheckConstraint(
                condition=~Q(kind="tag") | Q(tag__isnull=False), name="plan_rule_tag_named"
            ),
            models.CheckConstraint(
                condition=~Q(kind="not_helped") | Q(addition=0),
                name="plan_rule_not_helped_adds_nothing",
            ),
            models.CheckConstraint(
                condition=~Q(kind="income_band")
                | Q(income_from__isnull=False)
                | Q(income_to__isnull=False),
                name="plan_rule_income_band_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.get_kind_display()} {self.value}"


class PlanAdjustment(models.Model):
    """A household taken off a plan or given another amount, with the reason: before
    submission by whoever draws the plan up, or when an objection to its notice is upheld.
    Kept across rebuilds of the list; the line shows it."""

    class Action(models.TextChoices):
        EXCLUDE = "exclude", _("不列入名单")
        AMOUNT = "amount", _("调整金额")

    plan = models.ForeignKey(
        DistributionPlan,
        verbose_name=_("发放方案"),
        on_delete=models.CASCADE,
        related_name="adjustments",
    )
    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("调整"), max_length=16, choices=Action.choices)
    amount = models.DecimalField(_("调整后金额（元）"), null=True, blank=True, **MONEY)
    reason = models.CharField(_("原因"), max_length=200)
    objection = models.ForeignKey(
        "funds.PlanObjection",
        verbose_name=_("依据的异议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("办理时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("名单调整")
        verbose_name_plural = _("名单调整")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "household"], name="plan_adjustment_once_per_household"
            ),
            models.CheckConstraint(
                condition=(Q(action="exclude") & Q(amount__isnull=True))
                | (Q(action="amount") & Q(amount__gt=0)),
                name="plan_adjustment_amount_iff_adjusted",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="plan_adjustment_has_reason"),
        ]

    def __str__(self):
        return f"{self.plan_id}: {self.household_id} {self.get_action_display()}"


class PlanNotice(models.Model):
    """The public notice (公示) of a campaign's approved list, as for an application."""

    plan = models.OneToOneField(
        DistributionPlan,
        verbose_name=_("发放方案"),
        on_delete=models.CASCADE,
        related_name="notice",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("公示单位"), on_delete=models.PROTECT, related_name="plan_notices"
    )
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    closed_on = models.DateField(_("公示结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("发放名单公示")
        verbose_name_plural = _("发放名单公示")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="plan_notice_period_valid"
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.starts_on}–{self.ends_on}"


class PlanObjection(ObjectionRecord):
    notice = models.ForeignKey(
        PlanNotice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="objections"
    )
    # The household on the list the objection is about (none: about the list as a whole).
    household = models.ForeignKey(
        Household,
        verbose_name=_("涉及家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发放名单异议")
        verbose_name_plural = _("发放名单异议")
        ordering = ["lodged_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(resolution="") & Q(resolved_by__isnull=False)),
                name="plan_objection_resolved_has_resolution",
            ),
        ]
