"""Payment verification by sampling (发放核查): the draw with its recorded seed and each
sampled household's answer."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crosscheck.models.lists import MONEY, FollowUp
from hardship.models import Unit


class Verification(models.Model):
    """A random sample of the households paid from a distribution plan or in a year, asked
    whether the money arrived (发放核查). The seed is recorded: the same draw can be repeated."""

    class Confidence(models.TextChoices):
        C90 = "90", _("90%")
        C95 = "95", _("95%")
        C99 = "99", _("99%")

    unit = models.ForeignKey(
        Unit, verbose_name=_("核查范围"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        "funds.DistributionPlan",
        verbose_name=_("发放方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    confidence = models.CharField(
        _("置信水平"), max_length=2, choices=Confidence.choices, blank=True
    )
    margin = models.DecimalField(
        _("允许误差（%）"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    fixed_size = models.PositiveIntegerField(_("固定抽样户数"), null=True, blank=True)
    seed = models.BigIntegerField(_("随机种子"))
    population = models.PositiveIntegerField(_("发放户数"))
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("抽样人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽样时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发放核查")
        verbose_name_plural = _("发放核查")
        ordering = ["-drawn_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__isnull=True, year__isnull=False)
                | Q(plan__isnull=False, year__isnull=True),
                name="verification_plan_or_year",
            ),
            models.CheckConstraint(
                condition=Q(fixed_size__isnull=False)
                | (~Q(confidence="") & Q(margin__isnull=False)),
                name="verification_size_rule",
            ),
        ]

    def __str__(self):
        return f"{self.pk}"

    def get_absolute_url(self):
        return reverse("verification_detail", args=[self.pk])


class VerificationItem(models.Model):
    class Result(models.TextChoices):
        PENDING = "pending", _("待核实")
        CONFIRMED = "confirmed", _("确认收到")
        DISCREPANCY = "discrepancy", _("未收到或金额不符")

    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        VISIT = "visit", _("上门")

    verification = models.ForeignKey(Verification, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("困难职工档案"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    amount = models.DecimalField(_("发放金额（元）"), default=Decimal("0"), **MONEY)
    result = models.CharField(
        _("核实结果"), max_length=16, choices=Result.choices, default=Result.PENDING
    )
    method = models.CharField(_("核实方式"), max_length=8, choices=Method.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核实人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    follow_up = models.OneToOneField(
        FollowUp, null=True, blank=True, on_delete=models.PROTECT, related_name="verification_item"
    )
    # The complaint a discrepancy put on the front door's register (hardship.complaints): its
    # number there (the register is a sibling app, not a relation).
    complaint_number = models.CharField(_("投诉登记编号"), max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("核查户")
        verbose_name_plural = _("核查户")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["verification", "household"], name="verification_household_once"
            ),
            models.CheckConstraint(
                condition=Q(result="pending")
                | (~Q(method="") & Q(recorded_by__isnull=False) & Q(recorded_at__isnull=False)),
                name="verification_item_recorded_with_method",
            ),
        ]

    def __str__(self):
        return f"{self.verification_id}/{self.household_id}"
