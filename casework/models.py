"""Casework records kept on a household: annual reviews (年度复核). Their tables keep the
names they had in households (the models moved without moving data)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models import MONEY, Household


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
    history = HistoricalRecords(table_name="households_historicalannualreview")

    class Meta:
        db_table = "households_annualreview"
        verbose_name = _("年度复核")
        verbose_name_plural = _("年度复核")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.household_id} {self.reviewed_on} {self.get_outcome_display()}"
