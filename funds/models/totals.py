"""Year totals kept beside the ledger (funds.totals keeps them in step with every posting),
so the annual report and the statistics read a few hundred rows, not a year of the ledger."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funds.models.ledger import MONEY, Fund
from hardship.models import Unit


class FundYearTotal(models.Model):
    """What moved one fund's balance in one year, by flow: the opening and closing balances,
    receipts by source and the loans are sums of these."""

    class Flow(models.TextChoices):
        RECEIPT = "receipt", _("到账")
        RECEIPT_REVERSAL = "receipt_reversal", _("到账冲销")
        PAYMENT = "payment", _("发放")
        PAYMENT_REVERSAL = "payment_reversal", _("发放冲销")
        LOAN_OUT = "loan_out", _("借出")
        LOAN_REPAYMENT = "loan_repayment", _("还款")
        REPAYMENT_REVERSAL = "loan_repayment_reversal", _("还款冲销")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    flow = models.CharField(max_length=24, choices=Flow.choices)
    amount = models.DecimalField(default=Decimal("0"), **MONEY)  # signed as in the ledger
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "year", "flow"], name="fund_year_total_key")
        ]

    def __str__(self):
        return f"{self.fund_id} {self.year} {self.flow}: {self.amount}"


class AidYearTotal(models.Model):
    """The payments of one year from the funds of one unit and the units below it (`scope`),
    in one report row (`facet` and `value`): gross paid, reversed, and the payments still
    standing at the year's end (person-times), their value and quantity, and the households
    with at least one. A household counts once in a row however many funds paid it.

    `union` 0 is every union; a union's id, the payments to its households: every scope
    has the union's row of ALL (the annual report's rows by union); the root scopes (every
    fund) have its rows of AID_TYPE, MONTH, MODEL_WORKER and SERIOUS_ILLNESS too, which the statistics page
    sums over the unions its user sees."""

    class Facet(models.TextChoices):
        ALL = "all", _("合计")
        AID_TYPE = "aid_type", _("帮扶类型")
        CAUSE = "cause", _("主要致困原因")
        MODEL_WORKER = "model_worker", _("困难劳模")  # value: the title, or "untitled"
        CONDOLENCE = "condolence", _("慰问")  # value: "cash" or "goods"
        GOODS = "goods", _("物资")  # value: the goods' name, with `quantity_unit`
        MONTH = "month", _("月份")  # value: "01" … "12", the month the row was posted in
        SERIOUS_ILLNESS = "serious_illness", _("大病")  # value: ""; files with a serious illness

    scope = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    union = models.PositiveIntegerField(default=0)
    facet = models.CharField(max_length=16, choices=Facet.choices)
    value = models.CharField(max_length=100, blank=True)
    quantity_unit = models.CharField(max_length=10, blank=True)
    paid = models.DecimalField(default=Decimal("0"), **MONEY)
    reversed = models.DecimalField(default=Decimal("0"), **MONEY)
    standing = models.PositiveIntegerField(default=0)
    standing_value = models.DecimalField(default=Decimal("0"), **MONEY)
    standing_quantity = models.DecimalField(default=Decimal("0"), max_digits=14, decimal_places=2)
    households = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "year", "union", "facet", "value", "quantity_unit"],
                name="aid_year_total_key",
            ),
            models.CheckConstraint(
                condition=Q(paid__gte=0, reversed__gte=0, standing_value__gte=0),
                name="aid_year_total_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.scope_id} {self.year} {self.union} {self.facet} {self.value}: {self.paid}"
