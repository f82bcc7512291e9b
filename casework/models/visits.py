"""Casework records kept on a household: annual reviews (年度复核) and visits (走访慰问).
Their tables keep the names they had in households and cases (the models moved without
moving data)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
        verbose_name_plural = pgettext_lazy("list", "年度复核")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.household_id} {self.reviewed_on} {self.get_outcome_display()}"


class Visit(models.Model):
    """A visit to a household (走访慰问). Hospitalisation, bereavement and emergency are the
    three visits that must happen (三必访)."""

    class Kind(models.TextChoices):
        REGULAR = "regular", _("日常走访")
        FESTIVAL = "festival", _("节日慰问")
        HOSPITAL = "hospital", _("住院必访")
        BEREAVEMENT = "bereavement", _("丧事必访")
        EMERGENCY = "emergency", _("突发事件必访")

    MANDATORY = (Kind.HOSPITAL, Kind.BEREAVEMENT, Kind.EMERGENCY)

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("走访日期"))
    kind = models.CharField(_("走访类型"), max_length=16, choices=Kind.choices)
    visitors = models.CharField(_("走访人"), max_length=100)
    notes = models.TextField(_("走访情况"), blank=True)
    goods = models.CharField(_("慰问物品"), max_length=100, blank=True)
    goods_value = models.DecimalField(
        _("物品价值（元）"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        **MONEY,
    )
    goods_quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    goods_unit = models.CharField(_("计量单位"), max_length=10, blank=True)
    # The plan's measure this visit carries out, if any (一户一措施).
    measure = models.ForeignKey(
        "households.AidMeasure",
        verbose_name=_("落实的帮扶措施"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    # The round (走访轮次) this visit counts towards, if any: dated within it, of a household
    # under its unit (casework.services.visit_record checks both).
    round = models.ForeignKey(
        "casework.VisitRound",
        verbose_name=_("走访轮次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    # Goods from a fund: their in-kind payment (funds.visit_goods), set with the visit. The
    # ledger row records the visit's number too, as posted (LedgerEntry.visit_id).
    ledger_entry = models.OneToOneField(
        "funds.LedgerEntry",
        verbose_name=_("资金台账"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="visit",
    )
    history = HistoricalRecords(table_name="cases_historicalvisit")

    class Meta:
        db_table = "cases_visit"
        verbose_name = _("走访慰问")
        verbose_name_plural = _("走访慰问")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(goods="", goods_value__isnull=True)
                | (~Q(goods="") & Q(goods_value__gte=0)),
                name="visit_goods_have_value",
            ),
            models.CheckConstraint(
                condition=Q(goods_quantity__isnull=True, goods_unit="")
                | (Q(goods_quantity__gt=0) & ~Q(goods_unit="") & ~Q(goods="")),
                name="visit_goods_quantity_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.visited_on}"

    @property
    def is_mandatory(self) -> bool:
        return self.kind in self.MANDATORY
