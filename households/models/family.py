"""A household's family and means: members, income items, hardship causes and the aid plan's
measures."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.idnumber import IdNumberField
from households.models.household import (
    MONEY,
    NON_NEGATIVE,
    Cause,
    Health,
    Household,
)


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
        # The duplicate screening looks a person up by name (with the birth date) in any unit.
        indexes = [models.Index(fields=["name"])]
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

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        UNDER_WAY = "under_way", _("实施中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未达成")

    CLOSED = (Status.DONE, Status.FAILED)

    detail = models.CharField(_("具体内容"), max_length=200, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("措施负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    status = models.CharField(
        _("措施状态"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    # Set when the measure is closed (done or failed), e.g. when a job placement is
    # confirmed (households.services.measure_complete), never by the aid-plan form.
    completed_on = models.DateField(_("完成日期"), null=True, blank=True, editable=False)
    completion_note = models.CharField(_("结果说明"), max_length=200, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["pk"]
        constraints = [
            # A closed measure says when; an open one has no closing date.
            models.CheckConstraint(
                condition=Q(status__in=["done", "failed"], completed_on__isnull=False)
                | (~Q(status__in=["done", "failed"]) & Q(completed_on__isnull=True)),
                name="measure_closed_has_date",
            )
        ]

    def __str__(self):
        return self.get_measure_display()
