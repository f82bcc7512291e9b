"""The household file (困难职工档案, 一户一档): the worker, family, income, assets, causes,
evidence and aid plan."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.idnumber import IdNumberField
from hardship.models import Unit

MONEY = {"max_digits": 12, "decimal_places": 2}
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Cause(models.TextChoices):
    ILLNESS = "illness", _("因病")
    DISABILITY = "disability", _("因残")
    EDUCATION = "education", _("因学")
    DISASTER = "disaster", _("因灾")
    ACCIDENT = "accident", _("意外")
    SINGLE_PARENT = "single_parent", _("单亲")
    UNEMPLOYMENT = "unemployment", _("下岗失业")
    SHUTDOWN = "shutdown", _("企业停产半停产")
    LOW_INCOME = "low_income", _("低收入")
    OTHER = "other", _("其他")


def main_cause_by_default(causes) -> str:
    """The cause a caseworker takes as the main one when none is chosen: the first of the
    household's causes in the order the form lists them (Cause's order: illness first)."""
    chosen = set(causes)
    return next((value for value in Cause.values if value in chosen), "")


class Health(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("慢性病")
    SERIOUS = "serious", _("大病")
    DISABLED = "disabled", _("残疾")


class Household(models.Model):
    class EmploymentStatus(models.TextChoices):
        ACTIVE = "active", _("在职")
        RETIRED = "retired", _("离退休")
        TERMINATED = "terminated", _("解除劳动合同")
        LAID_OFF = "laid_off", _("下岗失业")

    class Category(models.TextChoices):
        DIBAO = "dibao", _("低保户")
        NEAR_DIBAO = "near_dibao", _("低保边缘户")
        ACCIDENT = "accident", _("意外致困户")

    class Level(models.TextChoices):
        HARDSHIP = "hardship", _("困难")
        EXTREME = "extreme", _("特困")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        IN_FILE = "in_file", _("在档")
        EXITED = "exited", _("已脱困")
        CANCELLED = "cancelled", _("已注销")

    class Housing(models.TextChoices):
        OWN = "own", _("自有住房")
        PUBLIC_RENTAL = "public_rental", _("廉租房")
        RENT = "rent", _("租房")
        WITH_PARENTS = "with_parents", _("与父母同住")
        OTHER = "other", _("其他")

    file_number = models.CharField(_("档案编号"), max_length=32, unique=True, editable=False)
    union = models.ForeignKey(
        Unit,
        verbose_name=_("基层工会"),
        on_delete=models.PROTECT,
        related_name="households",
        limit_choices_to={"kind": Unit.Kind.GRASSROOTS},
    )
    # The worker (户主职工)
    worker_name = models.CharField(_("职工姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    id_number = IdNumberField(_("身份证号"), db_index=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    employer = models.CharField(_("工作单位"), max_length=100)
    employment_status = models.CharField(
        _("就业状态"), max_length=16, choices=EmploymentStatus.choices
    )
    is_model_worker = models.BooleanField(_("劳模"), default=False)
    # The worker's own health, as on the member rows, so screening, reports and the
    # medical-aid suggestion see the worker's illness (not only the 备注).
    worker_health = models.CharField(
        _("职工本人健康状况"), max_length=16, choices=Health.choices, default=Health.HEALTHY
    )
    worker_disability_grade = models.PositiveSmallIntegerField(
        _("职工本人残疾等级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("残疾人证上的等级（一至四级）。"),
    )
    worker_illness = models.CharField(
        _("职工本人所患疾病"), max_length=100, blank=True, help_text=_("如心脏病、尿毒症。")
    )
    worker_medical_costs = models.DecimalField(
        _("职工本人每月医疗支出（元）"),
        default=0,
        validators=NON_NEGATIVE,
        help_text=_("医保报销后每月自付的药费、治疗费。"),
        **MONEY,
    )
    bank_account = models.CharField(
        _("帮扶资金银行卡号"),
        max_length=32,
        blank=True,
        help_text=_("职工本人名下的银行卡，用于实名发放帮扶资金。"),
    )
    # A card changed on a file in file waits for a second person (CardChange): until then
    # no bank payment goes to it. Kept in step by households.cards, never by a form.
    card_pending = models.BooleanField(_("银行卡变更待确认"), default=False, editable=False)
    card_changed_at = models.DateTimeField(
        _("银行卡最近变更时间"), null=True, blank=True, editable=False
    )
    worker_account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("职工本人账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_households",
    )
    # Classification
    category = models.CharField(_("困难类别"), max_length=16, choices=Category.choices)
    level = models.CharField(_("困难程度"), max_length=16, choices=Level.choices)
    main_cause = models.CharField(
        _("主要致困原因"),
        max_length=16,
        choices=Cause.choices,
        blank=True,
        help_text=_("须是所选致困原因之一；不选时取表中列出的第一个所选原因。"),
    )
    # State over time
    status = models.CharField(
        _("档案状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    established_on = models.DateField(_("建档日期"), null=True, blank=True)
    review_due_on = models.DateField(
        _("年度复核到期日"), null=True, blank=True, db_index=True, editable=False
    )
    exited_on = models.DateField(_("脱困日期"), null=True, blank=True)
    cancelled_on = models.DateField(_("注销日期"), null=True, blank=True)
    status_reason = models.CharField(_("状态变更原因"), max_length=200, blank=True)
    # People responsible
    responsible_person = models.CharField(_("帮扶责任人"), max_length=50, blank=True)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系人电话"), max_length=20, blank=True)
    # Assets (家庭资产)
    housing = models.CharField(_("住房情况"), max_length=16, choices=Housing.choices)
    housing_area = models.DecimalField(
        _("住房面积（平方米）"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=NON_NEGATIVE,
    )
    vehicles = models.PositiveSmallIntegerField(_("机动车（辆）"), default=0)
    luxury_goods = models.CharField(
        _("高档消费品"), max_length=200, blank=True, help_text=_("如无，请留空。")
    )
    savings = models.DecimalField(_("存款（元）"), default=0, validators=NON_NEGATIVE, **MONEY)
    notes = models.TextField(_("备注"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建档人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["union", "status"]),
            # The list's usual filters, so a count is an index-only scan at province scale.
            models.Index(fields=["status", "category", "level", "union"]),
            models.Index(fields=["worker_name"]),
        ]
        constraints = [
            # One person is the worker of at most one household that is in file.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(status="in_file"),
                name="household_one_file_per_worker",
                violation_error_message=_("该身份证号已是另一户在档困难职工。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="in_file") | Q(established_on__isnull=False),
                name="household_in_file_has_established_on",
            ),
            models.CheckConstraint(
                condition=~Q(status="exited") | Q(exited_on__isnull=False),
                name="household_exited_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_on__isnull=False),
                name="household_cancelled_has_date",
            ),
            models.CheckConstraint(condition=Q(savings__gte=0), name="household_savings_gte_0"),
            models.CheckConstraint(
                condition=Q(worker_medical_costs__gte=0), name="household_medical_costs_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(worker_health="disabled", worker_disability_grade__isnull=False)
                | (~Q(worker_health="disabled") & Q(worker_disability_grade__isnull=True)),
                name="household_worker_disability_grade_iff_disabled",
            ),
            # One of the cause codes (that it is one of this household's causes is checked by
            # households.services, which saves the two together).
            models.CheckConstraint(
                condition=Q(main_cause="") | Q(main_cause__in=Cause.values),
                name="household_main_cause_is_a_cause",
            ),
        ]

    def __str__(self):
        return f"{self.file_number} {self.worker_name}"

    def get_absolute_url(self):
        return reverse("household_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        """Exited and cancelled files are kept as they were."""
        return self.status in (self.Status.DRAFT, self.Status.IN_FILE)

    @property
    def card_recently_changed(self) -> bool:
        """The bank card was changed within the last 90 days (flagged where money is paid)."""
        from households.cards import card_recently_changed

        return card_recently_changed(self)


class Member(models.Model):
    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("配偶")
        CHILD = "child", _("子女")
        PARENT = "parent", _("父母")
        PARENT_IN_LAW = "parent_in_law", _("岳父母/公婆")
        SIBLING = "sibling", _("兄弟姐妹")
        GRANDCHILD = "grandchild", _("孙子女")
        OTHER = "other", _("其他")

    Health = Health  # the worker's health uses the same choices

    class Employment(models.TextChoices):
        EMPLOYED = "employed", _("在业")
        FARMING = "farming", _("务农")
        UNEMPLOYED = "unemployed", _("无业/失业")
        RETIRED = "retired", _("离退休")
        STUDENT = "student", _("在校学生")
        NONE = "none", _("学龄前/无劳动能力")

    class SchoolStage(models.TextChoices):
        NONE = "none", _("不在学")
        PRESCHOOL = "preschool", _("学前")
        PRIMARY = "primary", _("小学")
        MIDDLE = "middle", _("初中")
        HIGH = "high", _("高中/中职")
        UNIVERSITY = "university", _("大学")

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("姓名"), max_length=50)
    relation = models.CharField(_("与职工关系"), max_length=16, choices=Relation.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = IdNumberField(_("身份证号"), blank=True, db_index=True)
    health = models.CharField(
        _("健康状况"), max_length=16, choices=Health.choices, default=Health.HEALTHY
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text=_("残疾人证上的等级（一至四级）。"),
    )
    employment = models.CharField(_("就业情况"), max_length=16, choices=Employment.choices)
    school_stage = models.CharField(
        _("就学阶段"), max_length=16, choices=SchoolStage.choices, default=SchoolStage.NONE
    )
    monthly_income = models.DecimalField(
        _("月收入（元）"), default=0, validators=NON_NEGATIVE, **MONEY
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_income__gte=0), name="member_income_gte_0"),
            models.CheckConstraint(
                condition=Q(health="disabled", disability_grade__isnull=False)
                | (~Q(health="disabled") & Q(disability_grade__isnull=True)),
                name="member_disability_grade_iff_disabled",
            ),
        ]

    def __str__(self):
        return self.name


class IncomeItem(models.Model):
    """A monthly income of the household by source: the worker's own wages or pension and
    transfers such as the minimum living allowance. Other members' earnings are on the
    member rows."""

    class Source(models.TextChoices):
        WAGES = "wages", _("工资收入")
        SICK_PAY = "sick_pay", _("病休工资")
        PENSION = "pension", _("养老金/退休金")
        DIBAO = "dibao", _("低保金")
        UNEMPLOYMENT = "unemployment", _("失业保险金")
        BUSINESS = "business", _("经营收入")
        PROPERTY = "property", _("财产性收入")
        SUPPORT = "support", _("赡养/抚养费")
        OTHER = "other", _("其他")

    household = models.ForeignKey(
        Household,
        verbose_name=_("困难职工档案"),
        on_delete=models.CASCADE,
        related_name="income_items",
    )
    source = models.CharField(_("收入来源"), max_length=16, choices=Source.choices)
    monthly_amount = models.DecimalField(_("月均金额（元）"), validators=NON_NEGATIVE, **MONEY)
    note = models.CharField(_("说明"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭收入")
        verbose_name_plural = _("家庭收入")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount__gte=0), name="income_amount_gte_0"),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.monthly_amount}"


class HardshipCause(models.Model):
    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="causes"
    )
    cause = models.CharField(_("致困原因"), max_length=16, choices=Cause.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("致困原因")
        verbose_name_plural = _("致困原因")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "cause"], name="cause_unique_per_household"
            )
        ]

    def __str__(self):
        return self.get_cause_display()


class AidMeasure(models.Model):
    """One line of the household's aid plan (一户一计划、一户一措施)."""

    class Measure(models.TextChoices):
        MEDICAL = "medical", _("医疗救助")
        EDUCATION = "education", _("金秋助学")
        EMPLOYMENT = "employment", _("就业帮扶（培训、介绍）")
        LIVING = "living", _("生活救助")
        LEGAL = "legal", _("法律援助")
        OTHER = "other", _("其他")

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="measures"
    )
    cause = models.CharField(_("针对致困原因"), max_length=16, choices=Cause.choices)
    measure = models.CharField(_("帮扶措施"), max_length=16, choices=Measure.choices)
    detail = models.CharField(_("具体内容"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["pk"]

    def __str__(self):
        return self.get_measure_display()


def evidence_path(instance, filename):
    # Random names: nothing about the family leaks through the file system.
    return f"evidence/{instance.household_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        DIAGNOSIS = "diagnosis", _("诊断证明")
        MEDICAL_BILLS = "medical_bills", _("医疗费用票据")
        ADMISSION = "admission", _("录取通知书")
        TUITION = "tuition", _("学费收据")
        DISABILITY_CERT = "disability_cert", _("残疾证")
        DIBAO_CERT = "dibao_cert", _("低保证")
        ACCIDENT_PROOF = "accident_proof", _("事故/灾害证明")
        TERMINATION = "termination", _("解除劳动合同/失业证明")
        INCOME_PROOF = "income_proof", _("收入证明")
        OTHER = "other", _("其他")

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="evidence"
    )
    cause = models.CharField(_("对应致困原因"), max_length=16, choices=Cause.choices)
    kind = models.CharField(_("材料类型"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=32, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["cause", "pk"]

    def __str__(self):
        return self.original_name


class AnnualReview(models.Model):
    """A yearly re-assessment (年度复核). The file's own fields carry the re-assessed members
    and income (their earlier values stay in history); this row records the outcome."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("继续在档帮扶")
        CHANGE = "change", _("调整困难类别或程度")
        PROPOSE_EXIT = "propose_exit", _("提出脱困")
        PROPOSE_CANCEL = "propose_cancel", _("提出注销")

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("复核日期"))
    outcome = models.CharField(_("复核结论"), max_length=16, choices=Outcome.choices)
    category_before = models.CharField(
        _("复核前类别"), max_length=16, choices=Household.Category.choices
    )
    level_before = models.CharField(_("复核前程度"), max_length=16, choices=Household.Level.choices)
    category_after = models.CharField(
        _("复核后类别"), max_length=16, choices=Household.Category.choices
    )
    level_after = models.CharField(_("复核后程度"), max_length=16, choices=Household.Level.choices)
    per_capita = models.DecimalField(_("复核时人均月收入（元）"), **MONEY)
    notes = models.TextField(_("复核情况说明"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    application = models.ForeignKey(
        "cases.Application",
        verbose_name=_("由此提出的申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("年度复核")
        verbose_name_plural = _("年度复核")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.household_id} {self.reviewed_on} {self.get_outcome_display()}"


class CardChange(models.Model):
    """A change of the payee's bank card on a file in file (变更银行卡). It stays pending
    until a second person, the grassroots chair or the company reviewer over the household
    and never the one who changed it, confirms it (households.cards.card_confirm). A card
    entered while the file is a draft is confirmed by the filing approval instead."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="card_changes")
    old_account = models.CharField(_("原银行卡号"), max_length=32, blank=True)
    new_account = models.CharField(_("新银行卡号"), max_length=32, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("变更人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("变更时间"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("银行卡变更")
        verbose_name_plural = _("银行卡变更")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_by__isnull=True, confirmed_at__isnull=True)
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
                name="cardchange_confirmed_by_and_at_together",
            ),
            # Separation of duties, whatever path writes the row.
            models.CheckConstraint(
                condition=~Q(confirmed_by=F("changed_by")),
                name="cardchange_not_confirmed_by_changer",
            ),
        ]

    def __str__(self):
        return f"{self.household_id} {self.changed_at:%Y-%m-%d}"

    @property
    def pending(self) -> bool:
        return self.confirmed_at is None
