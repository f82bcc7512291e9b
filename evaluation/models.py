"""Results (绩效评价): the weights an administrator sets for the indicators, each unit's
targets for a year, and the satisfaction survey (满意度回访) of a sample of helped households.

The indicators themselves are computed from the records of the unit's tree
(evaluation.indicators); nothing here stores an actual figure."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.models import Unit
from households.models import Household

MONEY = {"max_digits": 14, "decimal_places": 2}
RATE = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [MinValueValidator(0), MaxValueValidator(100)],
}


class Group(models.TextChoices):
    """The four groups of the texts' evaluation (18 + 32 + 25 + 25 = 100 points)."""

    INPUT = "input", _("投入")
    PROCESS = "process", _("过程")
    OUTPUT = "output", _("产出")
    EFFECT = "effect", _("效果")


class Indicator(models.TextChoices):
    FUND_ARRIVAL = "fund_arrival", _("资金到位率")
    SPENDING = "spending", _("资金支出率")
    VISIT_COVERAGE = "visit_coverage", _("走访覆盖率")
    INTAKE_ON_TIME = "intake_on_time", _("来访按期办结率")
    DUTIES_ON_TIME = "duties_on_time", _("帮扶任务按期完成率")
    PERSON_TIMES = "person_times", _("帮扶人次")
    SERIOUS_SHARE = "serious_share", _("大病救助占比")
    EXITS = "exits", _("脱困户数")
    SATISFACTION = "satisfaction", _("满意度")


GROUP_OF = {
    Indicator.FUND_ARRIVAL: Group.INPUT,
    Indicator.SPENDING: Group.INPUT,
    Indicator.VISIT_COVERAGE: Group.PROCESS,
    Indicator.INTAKE_ON_TIME: Group.PROCESS,
    Indicator.DUTIES_ON_TIME: Group.PROCESS,
    Indicator.PERSON_TIMES: Group.OUTPUT,
    Indicator.SERIOUS_SHARE: Group.OUTPUT,
    Indicator.EXITS: Group.EFFECT,
    Indicator.SATISFACTION: Group.EFFECT,
}
# Indicators measured as a count (人次, 户); the others are rates in per cent.
COUNTS = (Indicator.PERSON_TIMES, Indicator.EXITS)

# The targets that are rates in per cent (0 to 100).
TARGET_RATES = (
    "fund_arrival",
    "spending",
    "visit_coverage",
    "intake_on_time",
    "duties_on_time",
    "serious_share",
    "satisfaction",
)

WEIGHT = {"validators": [MaxValueValidator(100)]}


def weight_field(indicator) -> str:
    return f"weight_{indicator}"


class WeightSheet(models.Model):
    """The weights of the indicators (指标权重), set by an administrator, in force from a
    year until a later sheet. One column per indicator, so that the database itself keeps
    the sheet at 100 points."""

    valid_from_year = models.PositiveSmallIntegerField(_("起始年度"), unique=True)
    weight_fund_arrival = models.PositiveSmallIntegerField(_("资金到位率"), **WEIGHT)
    weight_spending = models.PositiveSmallIntegerField(_("资金支出率"), **WEIGHT)
    weight_visit_coverage = models.PositiveSmallIntegerField(_("走访覆盖率"), **WEIGHT)
    weight_intake_on_time = models.PositiveSmallIntegerField(_("来访按期办结率"), **WEIGHT)
    weight_duties_on_time = models.PositiveSmallIntegerField(_("帮扶任务按期完成率"), **WEIGHT)
    weight_person_times = models.PositiveSmallIntegerField(_("帮扶人次"), **WEIGHT)
    weight_serious_share = models.PositiveSmallIntegerField(_("大病救助占比"), **WEIGHT)
    weight_exits = models.PositiveSmallIntegerField(_("脱困户数"), **WEIGHT)
    weight_satisfaction = models.PositiveSmallIntegerField(_("满意度"), **WEIGHT)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效指标权重")
        verbose_name_plural = _("绩效指标权重")
        ordering = ["-valid_from_year"]
        constraints = [
            models.CheckConstraint(
                condition=Exact(
                    F("weight_fund_arrival")
                    + F("weight_spending")
                    + F("weight_visit_coverage")
                    + F("weight_intake_on_time")
                    + F("weight_duties_on_time")
                    + F("weight_person_times")
                    + F("weight_serious_share")
                    + F("weight_exits")
                    + F("weight_satisfaction"),
                    100,
                ),
                name="weightsheet_sums_to_100",
                violation_error_message=_("各项指标权重之和必须等于 100。"),
            ),
        ]

    def __str__(self):
        return str(_("%(year)d 年起适用的权重") % {"year": self.valid_from_year})

    def weight_of(self, indicator) -> int:
        return getattr(self, weight_field(indicator))

    @property
    def total(self) -> int:
        return sum(self.weight_of(indicator) for indicator in Indicator)


class Target(models.Model):
    """A unit's targets for a year (绩效目标). The planned allocation is the money the unit
    expects to receive in the year: no other record holds it, and the fund arrival rate is
    measured against it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    planned_allocation = models.DecimalField(
        _("计划拨付资金（元）"),
        null=True,
        blank=True,
        help_text=_("本年计划到账的帮扶资金；不填则不考核资金到位率。"),
        validators=[MinValueValidator(Decimal("0.01"))],
        **MONEY,
    )
    fund_arrival = models.DecimalField(_("资金到位率目标（%）"), **RATE)
    spending = models.DecimalField(_("资金支出率目标（%）"), **RATE)
    visit_coverage = models.DecimalField(_("走访覆盖率目标（%）"), **RATE)
    intake_on_time = models.DecimalField(_("来访按期办结率目标（%）"), **RATE)
    duties_on_time = models.DecimalField(_("帮扶任务按期完成率目标（%）"), **RATE)
    person_times = models.PositiveIntegerField(_("计划帮扶人次"))
    serious_share = models.DecimalField(_("大病救助占比目标（%）"), **RATE)
    exits = models.PositiveIntegerField(_("计划脱困户数"))
    satisfaction = models.DecimalField(_("满意度目标（%）"), **RATE)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设定人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("设定时间"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("绩效目标")
        verbose_name_plural = _("绩效目标")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="target_one_per_unit_year"),
            models.CheckConstraint(
                condition=Q(planned_allocation__isnull=True) | Q(planned_allocation__gt=0),
                name="target_planned_allocation_positive",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{rate}__gte": 0, f"{rate}__lte": 100}),
                    name=f"target_{rate}_is_a_rate",
                )
                for rate in TARGET_RATES
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.year}"

    def target_of(self, indicator):
        return getattr(self, str(indicator))


class Survey(models.Model):
    """A satisfaction survey (满意度回访) of a unit's helped households in a year: the
    households paid in the year, a sample of them drawn with a recorded seed (the same seed
    over the same households draws the same sample), one answer per household drawn."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="surveys"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    size = models.PositiveIntegerField(_("抽样户数"))
    seed = models.PositiveBigIntegerField(_("随机种子"))
    population = models.PositiveIntegerField(_("可抽户数"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽样人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("满意度回访")
        verbose_name_plural = _("满意度回访")
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="survey_one_per_unit_year"),
            models.CheckConstraint(
                condition=Q(size__gte=1, size__lte=F("population")),
                name="survey_size_within_population",
            ),
        ]

    def __str__(self):
        return str(_("%(unit)s %(year)d 年满意度回访") % {"unit": self.unit, "year": self.year})

    def get_absolute_url(self):
        return reverse("survey_detail", args=[self.pk])


class SurveyItem(models.Model):
    """One household drawn, and its answer once recorded (recorded once)."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("电话回访")
        VISIT = "visit", _("上门回访")

    class Answer(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("回访方式"), max_length=8, choices=Channel.choices, blank=True)
    answer = models.CharField(_("回访结果"), max_length=16, choices=Answer.choices, blank=True)
    comment = models.CharField(_("意见建议"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["household__file_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "household"], name="surveyitem_one_per_household"
            ),
            # Not yet asked: nothing recorded. Answered: how, what, who and when, together.
            models.CheckConstraint(
                condition=Q(
                    answer="", channel="", recorded_by__isnull=True, recorded_at__isnull=True
                )
                | (
                    ~Q(answer="")
                    & ~Q(channel="")
                    & Q(recorded_by__isnull=False, recorded_at__isnull=False)
                ),
                name="surveyitem_answer_complete",
            ),
        ]

    def __str__(self):
        return f"{self.survey_id} {self.household_id}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)
