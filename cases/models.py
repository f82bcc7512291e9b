"""Applications, the decisions taken on them, investigations, public notices and objections."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.chain import ChainedRecord
from hardship.models import Unit
from households.models import Cause, Evidence, Household

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Application(models.Model):
    class Kind(models.TextChoices):
        ESTABLISH = "establish", _("建档")
        EMERGENCY = "emergency", _("临时救助")
        EDUCATION = "education", _("助学")
        MEDICAL = "medical", _("医疗救助")
        EXIT = "exit", _("脱困")
        CANCEL = "cancel", _("注销")

    class State(models.TextChoices):
        RETURNED = "returned", _("已退回修改")
        SUBMITTED = "submitted", _("待基层工会审查")
        GRASSROOTS_APPROVED = "grassroots_approved", _("待公司工会复核")
        COMPANY_VERIFIED = "company_verified", _("待党政班子会审定")
        IN_NOTICE = "in_notice", _("公示中")
        EFFECTIVE = "effective", _("已生效")
        REJECTED = "rejected", _("未通过")

    MONEY_KINDS = (Kind.EMERGENCY, Kind.EDUCATION, Kind.MEDICAL)
    OPEN_STATES = (
        State.RETURNED,
        State.SUBMITTED,
        State.GRASSROOTS_APPROVED,
        State.COMPANY_VERIFIED,
        State.IN_NOTICE,
    )

    number = models.CharField(_("申请编号"), max_length=32, unique=True, editable=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("困难职工档案"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    kind = models.CharField(_("申请类型"), max_length=16, choices=Kind.choices)
    reason = models.TextField(_("申请理由"))
    amount = models.DecimalField(
        _("申请金额（元）"), null=True, blank=True, validators=POSITIVE, **MONEY
    )
    self_paid = models.DecimalField(
        _("医疗费用个人自付金额（元）"), null=True, blank=True, validators=POSITIVE, **MONEY
    )
    state = models.CharField(
        _("当前环节"), max_length=24, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    round = models.PositiveSmallIntegerField(_("提交轮次"), default=1)
    # The aid plan's measure this application (and so its payment) carries out, if any (一户一措施).
    measure = models.ForeignKey(
        "households.AidMeasure",
        verbose_name=_("落实的帮扶措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人/经办人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # The household's union, kept by the database (cases.0012's triggers: set on every
    # write of the application, moved with the file), so the inbox finds a level's waiting
    # applications by an index on (state, union) instead of reading every file of the
    # province. Whatever the code writes here, the database writes the file's union.
    union = models.ForeignKey(
        "hardship.Unit",
        verbose_name=_("基层工会"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["union"])

    class Meta:
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        ordering = ["-filed_at", "-pk"]
        indexes = [
            models.Index(fields=["filed_by", "state"]),
            # The inbox and every page's count of it: the index holds all that its
            # conditions read, so both are index-only scans (casework.selectors._waiting).
            models.Index(
                fields=["state", "union", "updated_at", "id", "filed_by", "household"],
                name="application_waiting",
            ),
            # The year's money applications (the statistics' planned person-times), counted
            # by union from this index alone.
            models.Index(
                fields=["effective_on", "kind"], include=["union"], name="application_effective"
            ),
            # The list, newest first: its first page walks this index, not every row sorted.
            models.Index(fields=["filed_at", "id"], name="application_filed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0),
                name="application_amount_positive",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["emergency", "education", "medical"])
                | Q(amount__isnull=False),
                name="application_money_kinds_have_amount",
            ),
            models.CheckConstraint(
                condition=~Q(state="effective") | Q(effective_on__isnull=False),
                name="application_effective_has_date",
            ),
            # One open establishment, exit or cancellation per household at a time.
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(kind__in=["establish", "exit", "cancel"])
                & Q(
                    state__in=[
                        "returned",
                        "submitted",
                        "grassroots_approved",
                        "company_verified",
                        "in_notice",
                    ]
                ),
                name="application_one_open_status_change",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("application_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def asks_money(self) -> bool:
        return self.kind in self.MONEY_KINDS


class Decision(ChainedRecord):
    """One step of the trail. Rows are only ever added."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交")
        RESUBMIT = "resubmit", _("修改后重新提交")
        APPROVE = "approve", _("同意")
        RETURN = "return", _("退回修改")
        REJECT = "reject", _("不同意")
        OBJECTION_UPHELD = "objection_upheld", _("异议成立")
        EFFECTIVE = "effective", _("公示期满生效")
        # The trail of an appeal against a rejection or a cancellation (cases.appeals).
        APPEAL = "appeal", _("提出申诉")
        APPEAL_UPHELD = "appeal_upheld", _("申诉成立")
        APPEAL_DISMISSED = "appeal_dismissed", _("申诉不成立，维持原决定")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    round = models.PositiveSmallIntegerField(_("轮次"))
    step = models.CharField(_("环节"), max_length=24, choices=Application.State.choices)
    action = models.CharField(_("意见"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        blank=True,
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
    # The version of the household file the decider saw: a simple-history row id.
    household_version = models.PositiveBigIntegerField(null=True, editable=False)
    # What a payment relies on, as it stood once this decision was taken: the application's
    # kind and amount, and the state the decision left it in. Chained below, and compared with
    # the application by verify_integrity (an amount or state changed in SQL shows).
    application_kind = models.CharField(max_length=16, editable=False, blank=True)
    application_amount = models.DecimalField(null=True, blank=True, editable=False, **MONEY)
    resulting_state = models.CharField(max_length=24, editable=False, blank=True)

    class Meta:
        verbose_name = _("审批记录")
        verbose_name_plural = _("审批记录")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(action__in=["return", "reject", "objection_upheld"]) | ~Q(comment=""),
                name="decision_return_reject_need_comment",
            ),
        ]

    def __str__(self):
        return f"{self.application_id} {self.get_step_display()} {self.get_action_display()}"

    CHAIN = "decisions"
    CHAINED_FIELDS = (
        "application_id",
        "round",
        "step",
        "action",
        "actor_id",
        "acting_unit_id",
        "comment",
        "household_version",
        "application_kind",
        "application_amount",
        "resulting_state",
        "chain_position",
    )


class Investigation(models.Model):
    """A home visit or investigation (入户调查) recorded for company verification."""

    class Method(models.TextChoices):
        HOME_VISIT = "home_visit", _("入户调查")
        INQUIRY = "inquiry", _("走访调查（单位、社区、邻里）")
        DOCUMENT = "document", _("书面核查")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="investigations"
    )
    method = models.CharField(_("调查方式"), max_length=16, choices=Method.choices)
    visited_on = models.DateField(_("调查日期"))
    investigators = models.CharField(_("调查人"), max_length=100)
    findings = models.TextField(_("调查情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")
        ordering = ["visited_on", "pk"]

    def __str__(self):
        return f"{self.get_method_display()} {self.visited_on}"


class EvidenceRequirement(models.Model):
    """Which document a cause, or a kind of application, needs (policy, edited by the
    administrator)."""

    cause = models.CharField(_("致困原因"), max_length=16, choices=Cause.choices, blank=True)
    application_kind = models.CharField(
        _("申请类型"), max_length=16, choices=Application.Kind.choices, blank=True
    )
    evidence_kind = models.CharField(_("所需材料"), max_length=16, choices=Evidence.Kind.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证明材料要求")
        verbose_name_plural = _("证明材料要求")
        constraints = [
            models.CheckConstraint(
                condition=~Q(cause="") | ~Q(application_kind=""),
                name="requirement_names_cause_or_kind",
            ),
            models.UniqueConstraint(
                fields=["cause", "application_kind", "evidence_kind"], name="requirement_unique"
            ),
        ]

    def __str__(self):
        subject = self.get_cause_display() or self.get_application_kind_display()
        return f"{subject} → {self.get_evidence_kind_display()}"


class MedicalAidTier(models.Model):
    """A band of the tiered medical-aid rule on the self-paid amount, with validity dates."""

    lower = models.DecimalField(_("自付金额下限（元）"), **MONEY)
    upper = models.DecimalField(_("自付金额上限（元）"), null=True, blank=True, **MONEY)
    rate = models.DecimalField(_("救助比例"), max_digits=4, decimal_places=3)
    valid_from = models.DateField(_("生效日期"))
    valid_to = models.DateField(_("失效日期"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("医疗救助分档")
        verbose_name_plural = _("医疗救助分档")
        ordering = ["valid_from", "lower"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0) & Q(rate__lte=1), name="tier_rate_0_1"),
            models.CheckConstraint(
                condition=Q(upper__isnull=True) | Q(upper__gt=models.F("lower")),
                name="tier_upper_gt_lower",
            ),
        ]

    def __str__(self):
        upper = self.upper if self.upper is not None else "∞"
        return f"{self.lower}–{upper} × {self.rate}"


class Notice(models.Model):
    """The public notice (公示) of an application signed off by the committee."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="notice")
    unit = models.ForeignKey(
        Unit, verbose_name=_("公示单位"), on_delete=models.PROTECT, related_name="notices"
    )
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    closed_on = models.DateField(_("公示结束日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="notice_period_valid"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.starts_on}–{self.ends_on}"


class ObjectionRecord(models.Model):
    """What an objection to a public notice holds, whatever was publicised (an application,
    a campaign's list): who raised it and why, and how it was settled."""

    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        DISMISSED = "dismissed", _("异议不成立")
        UPHELD = "upheld", _("异议成立")

    reason = models.TextField(_("异议理由"))
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lodged_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    status = models.CharField(
        _("处理结果"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.get_status_display()} · {self.reason[:20]}"


class Objection(ObjectionRecord):
    notice = models.ForeignKey(
        Notice, verbose_name=_("公示"), on_delete=models.CASCADE, related_name="objections"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["lodged_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | (~Q(resolution="") & Q(resolved_by__isnull=False)),
                name="objection_resolved_has_resolution",
            ),
        ]


# Appeals and the kept counts live in their own modules; imported here so Django registers
# them with the app.
from cases.appeal_models import Appeal, AppealDecision  # noqa: E402, F401
from cases.count_models import ApplicationCount  # noqa: E402, F401
