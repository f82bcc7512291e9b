"""The household itself (困难职工档案): the worker, classification, status, bank card and
assets, with the choices the other parts of the file share."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.idnumber import IdNumberField
from hardship.models import Unit
from households.models.composition import PARTS

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

    class ModelWorkerTitle(models.TextChoices):
        NATIONAL = "national", _("全国劳模")
        PROVINCIAL = "provincial", _("省部级劳模")
        CITY = "city", _("市级劳模")

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
    # 困难劳模: the title's level and the year it was conferred (files imported before
    # these were kept may have neither).
    model_worker_title = models.CharField(
        _("劳模称号级别"), max_length=16, choices=ModelWorkerTitle.choices, blank=True
    )
    model_worker_year = models.PositiveSmallIntegerField(_("获评年份"), null=True, blank=True)
    tags = models.ManyToManyField(
        "households.Tag", verbose_name=_("标签"), blank=True, related_name="households"
    )
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
    # A draft whose filing application (建档) the grassroots chair has passed on and that is
    # still in the chain: a card change would slip past the people who signed, so it waits
    # for a second person as on a file in file. Kept in step by the approval chain
    # (cases.services), never by a form; never shown as a change (hardship.history).
    filing_approval_begun = models.BooleanField(_("建档审批已开始"), default=False, editable=False)
    # The bank returned a payment to this card (银行退回: closed card, wrong account): set by
    # the bank return import, cleared when the card is changed (households.cards).
    card_problem = models.CharField(_("银行卡问题"), max_length=200, blank=True, editable=False)
    card_problem_at = models.DateTimeField(
        _("银行卡问题登记时间"), null=True, blank=True, editable=False
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
    # The 帮扶责任人 is a user of the system (households.responsible assigns and records it);
    # the free-text name is what an import brought and stays until it is matched to a user.
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("帮扶责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_for",
    )
    responsible_person = models.CharField(_("帮扶责任人（导入姓名）"), max_length=50, blank=True)
    # 脱困时间表: the date by which the plan expects the household to recover.
    exit_target_on = models.DateField(_("计划脱困日期"), null=True, blank=True)
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
    history = HistoricalRecords(m2m_fields=[tags])

    class Meta:
        verbose_name = _("困难职工档案")
        verbose_name_plural = _("困难职工档案")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["union", "status"]),
            # A union's changed parts counted again (households.composition) read only them.
            models.Index(
                F("union"), Mod("id", PARTS), condition=Q(status="in_file"), name="household_part"
            ),
            # The list's usual filters, so a count is an index-only scan at province scale.
            models.Index(fields=["status", "category", "level", "union"]),
            models.Index(fields=["worker_name"]),
            # The duplicate screening on every household page looks a card up in any unit.
            models.Index(fields=["bank_account"]),
            # The few files whose card the bank returned a payment to (everyone's task list).
            models.Index(
                fields=["union"], condition=~Q(card_problem=""), name="household_card_problem"
            ),
            # The reviews due (年度复核), soonest first: a page walks this index in order, and
            # counting them reads nothing else.
            models.Index(
                fields=["review_due_on", "id"],
                include=["union"],
                condition=Q(status="in_file"),
                name="household_review_due",
            ),
            # Exits per year and this year's exits on the statistics page: an index-only scan.
            models.Index(
                fields=["union", "exited_on"], condition=Q(status="exited"), name="household_exits"
            ),
            # The files in file past their exit date (脱困时间表), on every task list: few, and
            # found without reading the scope's other files.
            models.Index(
                fields=["exit_target_on"],
                include=["union"],
                condition=Q(status="in_file", exit_target_on__isnull=False),
                name="household_exit_target",
            ),
            # The files in file of a union by filing date (a visit round's files to reach,
            # counted and listed from it alone).
            models.Index(
                fields=["union", "established_on", "id"],
                condition=Q(status="in_file"),
                name="household_in_file_since",
            ),
            # 未匹配的帮扶责任人: the few files with an imported name and no user.
            models.Index(
                fields=["union", "file_number"],
                condition=Q(responsible_user__isnull=True) & ~Q(responsible_person=""),
                name="household_unmatched_helper",
            ),
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
            # A title (and its year) only on a model worker's file.
            models.CheckConstraint(
                condition=Q(is_model_worker=True)
                | Q(model_worker_title="", model_worker_year__isnull=True),
                name="household_model_worker_title_only_for_model_workers",
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
