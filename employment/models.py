"""Employment help (就业帮扶): the register of employers and training providers, their
vacancies and courses, members' enrolments, job referrals (职业介绍) and placements."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.models import Unit

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class Trade(models.TextChoices):
    """The trades courses teach and vacancies ask for."""

    HOUSEKEEPING = "housekeeping", _("家政服务")
    ELDERLY_CARE = "elderly_care", _("养老护理")
    CATERING = "catering", _("餐饮服务")
    CLEANING = "cleaning", _("保洁")
    SECURITY = "security", _("保安")
    LOGISTICS = "logistics", _("物流配送")
    ELECTRICIAN = "electrician", _("电工")
    WELDER = "welder", _("焊工")
    MANUFACTURING = "manufacturing", _("生产操作")
    ECOMMERCE = "ecommerce", _("电子商务")
    DRIVER = "driver", _("驾驶")
    OTHER = "other", _("其他")


class Partner(models.Model):
    """An employer (用工单位) or a training provider (培训机构) on a union's register."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("用工单位")
        PROVIDER = "provider", _("培训机构")

    unit = models.ForeignKey(
        Unit, verbose_name=_("登记单位"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用工单位/培训机构")
        verbose_name_plural = _("用工单位/培训机构")
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "name"],
                name="partner_unique_name_per_unit",
                violation_error_message=_("本单位已登记同名的用工单位或培训机构。"),
            )
        ]

    def __str__(self):
        return self.name


class Vacancy(models.Model):
    """A job an employer offers (岗位), matched by caseworkers to members."""

    employer = models.ForeignKey(
        Partner, verbose_name=_("用工单位"), on_delete=models.PROTECT, related_name="vacancies"
    )
    position = models.CharField(_("岗位名称"), max_length=100)
    trade = models.CharField(_("工种"), max_length=16, choices=Trade.choices)
    age_min = models.PositiveSmallIntegerField(
        _("最低年龄"), default=16, validators=[MinValueValidator(16), MaxValueValidator(70)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("最高年龄"), default=59, validators=[MinValueValidator(16), MaxValueValidator(70)]
    )
    location = models.CharField(
        _("工作地点"), max_length=100, help_text=_("如：南岗区；按家庭住址匹配。")
    )
    monthly_wage = models.DecimalField(_("月工资（元）"), validators=POSITIVE, **MONEY)
    openings = models.PositiveSmallIntegerField(
        _("招聘人数"), default=1, validators=[MinValueValidator(1)]
    )
    is_open = models.BooleanField(_("招聘中"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("招聘岗位")
        verbose_name_plural = _("招聘岗位")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__lte=models.F("age_max")), name="vacancy_age_band_in_order"
            ),
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="vacancy_wage_gt_0"),
        ]

    def __str__(self):
        return f"{self.employer} · {self.position}"


class Course(models.Model):
    """A training course (技能培训) run by a provider, its cost charged to a fund."""

    provider = models.ForeignKey(
        Partner, verbose_name=_("培训机构"), on_delete=models.PROTECT, related_name="courses"
    )
    name = models.CharField(_("课程名称"), max_length=100)
    trade = models.CharField(_("工种"), max_length=16, choices=Trade.choices)
    starts_on = models.DateField(_("开班日期"))
    ends_on = models.DateField(_("结业日期"))
    cost = models.DecimalField(_("培训费用（元）"), default=0, validators=NON_NEGATIVE, **MONEY)
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("资金来源"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训课程")
        verbose_name_plural = _("培训课程")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="course_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="course_cost_gte_0"),
            models.CheckConstraint(
                condition=Q(cost=0) | Q(fund__isnull=False), name="course_cost_has_fund"
            ),
        ]

    def __str__(self):
        return self.name


def certificate_path(instance, filename):
    # Random names, as for evidence: nothing about the family in the file system.
    return f"certificates/{instance.member.household_id}/{uuid.uuid4().hex}"


class Enrolment(models.Model):
    """A household member on a course, with the attendance result and the certificate."""

    class Result(models.TextChoices):
        ENROLLED = "enrolled", _("在训")
        COMPLETED = "completed", _("结业合格")
        FAILED = "failed", _("结业不合格")
        DROPPED = "dropped", _("中途退出")

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    course = models.ForeignKey(
        Course, verbose_name=_("培训课程"), on_delete=models.PROTECT, related_name="enrolments"
    )
    member = models.ForeignKey(
        "households.Member",
        verbose_name=_("家庭成员"),
        on_delete=models.CASCADE,
        related_name="enrolments",
    )
    result = models.CharField(
        _("培训结果"), max_length=16, choices=Result.choices, default=Result.ENROLLED
    )
    certificate_number = models.CharField(_("证书编号"), max_length=50, blank=True)
    certificate = models.FileField(
        _("证书"), upload_to=certificate_path, max_length=200, blank=True
    )
    certificate_name = models.CharField(_("证书原文件名"), max_length=200, blank=True)
    certificate_type = models.CharField(
        _("证书文件类型"), max_length=32, choices=ContentType.choices, blank=True
    )
    # The aid plan's measure this training carries out, if any (一户一措施).
    measure = models.ForeignKey(
        "households.AidMeasure",
        verbose_name=_("落实的帮扶措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enrolments",
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训报名")
        verbose_name_plural = _("培训报名")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "member"],
                name="enrolment_once_per_course",
                violation_error_message=_("该成员已报名此课程。"),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.course}"


class Referral(models.Model):
    """A job referral (职业介绍) of a member to an employer, and how it ended."""

    class Result(models.TextChoices):
        PENDING = "pending", _("待反馈")
        HIRED = "hired", _("已录用")
        REFUSED = "refused", _("未录用/本人拒绝")
        NO_ANSWER = "no_answer", _("无回音")

    member = models.ForeignKey(
        "households.Member",
        verbose_name=_("家庭成员"),
        on_delete=models.CASCADE,
        related_name="referrals",
    )
    employer = models.ForeignKey(
        Partner, verbose_name=_("用工单位"), on_delete=models.PROTECT, related_name="referrals"
    )
    vacancy = models.ForeignKey(
        Vacancy,
        verbose_name=_("招聘岗位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    position = models.CharField(_("岗位"), max_length=100)
    wage_offered = models.DecimalField(_("提供月工资（元）"), validators=POSITIVE, **MONEY)
    referred_on = models.DateField(_("推荐日期"))
    result = models.CharField(
        _("推荐结果"), max_length=16, choices=Result.choices, default=Result.PENDING
    )
    result_on = models.DateField(_("结果日期"), null=True, blank=True)
    # The aid plan's measure this referral carries out, if any (一户一措施).
    measure = models.ForeignKey(
        "households.AidMeasure",
        verbose_name=_("落实的帮扶措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推荐人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("职业介绍")
        verbose_name_plural = _("职业介绍")
        ordering = ["-referred_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(wage_offered__gt=0), name="referral_wage_gt_0"),
            models.CheckConstraint(
                condition=Q(result="pending", result_on__isnull=True)
                | (~Q(result="pending") & Q(result_on__isnull=False)),
                name="referral_result_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.employer}"


class Placement(models.Model):
    """A member hired through a referral (安置就业). It changes the file only once a
    caseworker confirms it (`confirmed_by`)."""

    referral = models.OneToOneField(
        Referral, verbose_name=_("职业介绍"), on_delete=models.CASCADE, related_name="placement"
    )
    start_on = models.DateField(_("上岗日期"))
    monthly_wage = models.DecimalField(_("月工资（元）"), validators=POSITIVE, **MONEY)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    measure = models.ForeignKey(
        "households.AidMeasure",
        verbose_name=_("完成的帮扶措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("就业安置")
        verbose_name_plural = _("就业安置")
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_wage__gt=0), name="placement_wage_gt_0"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="placement_confirmed_names_who",
            ),
        ]

    def __str__(self):
        return f"{self.referral.member} · {self.referral.employer}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
