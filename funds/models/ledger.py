"""Restricted funds (帮扶资金) and their append-only ledger.

A fund's balance is kept on the fund row, changed only together with a ledger row under a
row lock, and a database constraint keeps it from going below zero. Ledger rows are never
updated or deleted (a database trigger refuses it); a mistake is corrected by a reversal row.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.chain import ChainedRecord
from hardship.models import Unit
from households.models import Household

MONEY = {"max_digits": 14, "decimal_places": 2}


class AidType(models.TextChoices):
    REGULAR = "regular", _("定期补助")
    EMERGENCY = "emergency", _("临时救助")
    EDUCATION = "education", _("助学")
    MEDICAL = "medical", _("医疗救助")
    LIVING = "living", _("生活救助")
    FESTIVAL = "festival", _("节日慰问金")
    IN_KIND = "in_kind", _("物资")
    # A fund that lists it is a revolving loan fund (循环借款资金): it lends small loans
    # (小额借款) and takes their repayments back; no aid payment is ever of this type.
    LOAN = "loan", _("小额借款")


class Fund(models.Model):
    class Source(models.TextChoices):
        GROUP = "group", _("集团公司拨付")
        CENTRAL = "central", _("中央财政专项帮扶资金")
        LOCAL = "local", _("地方配套资金")
        DUES = "dues", _("工会经费")
        DONATION = "donation", _("社会捐助")

    name = models.CharField(_("资金账户名称"), max_length=100)
    source = models.CharField(_("资金来源"), max_length=16, choices=Source.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("所属单位"), on_delete=models.PROTECT, related_name="funds"
    )
    aid_types = models.JSONField(
        _("可支付的帮扶类型"), default=list, help_text=_("专款专用：只能支付所列类型。")
    )
    # 劳模专项帮扶资金: money given for model workers in hardship pays nobody else.
    model_workers_only = models.BooleanField(
        _("仅限困难劳模"),
        default=False,
        help_text=_("劳模专项资金：只能支付档案中标为劳模的家庭。"),
    )
    balance = models.DecimalField(_("余额（元）"), default=Decimal("0"), editable=False, **MONEY)
    # The fund's own bank account (专户) at the bank that pays its batches.
    bank_name = models.CharField(_("开户银行"), max_length=60, blank=True)
    account_name = models.CharField(_("账户名称"), max_length=100, blank=True)
    account_number = models.CharField(
        _("专户账号"),
        max_length=32,
        blank=True,
        help_text=_("12–19 位数字，空格和短横线会自动去掉。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["balance"])

    class Meta:
        verbose_name = _("帮扶资金账户")
        verbose_name_plural = _("帮扶资金账户")
        ordering = ["-year", "unit__path", "name"]
        constraints = [
            # 保持资金平衡: never overspent, whatever path a write takes.
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_balance_never_negative"),
            models.UniqueConstraint(
                fields=["unit", "year", "name"], name="fund_unique_name_per_unit_year"
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.year}）"

    def get_absolute_url(self):
        return reverse("fund_detail", args=[self.pk])

    def may_pay(self, aid_type: str) -> bool:
        return aid_type in self.aid_types

    def aid_type_labels(self) -> list[str]:
        return [str(AidType(t).label) for t in self.aid_types if t in AidType.values]


class LedgerEntry(ChainedRecord):
    """One posted row: a receipt (到账), a payment (发放), a reversal (冲销), a loan lent out
    (借出) or a loan repayment received (还款).

    `amount` is signed as it moves the balance: receipts and repayments positive, payments
    and loans lent negative, a reversal the opposite of the row it reverses. A loan is not
    aid: its rows name the borrower as payee but no household, so they count in no aid
    figure or cap; the loan (`loans` app) points at its rows."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("到账")
        PAYMENT = "payment", _("发放")
        REVERSAL = "reversal", _("冲销")
        LOAN_OUT = "loan_out", _("借出")
        LOAN_REPAYMENT = "loan_repayment", _("还款")

    # Money in and money out, as the year closing sums them.
    INFLOW_KINDS = (Kind.RECEIPT, Kind.LOAN_REPAYMENT)
    OUTFLOW_KINDS = (Kind.PAYMENT, Kind.LOAN_OUT)
    LOAN_KINDS = (Kind.LOAN_OUT, Kind.LOAN_REPAYMENT)

    class Method(models.TextChoices):
        BANK = "bank", _("银行卡")
        CASH = "cash", _("现金")
        IN_KIND = "in_kind", _("实物")

    fund = models.ForeignKey(
        Fund, verbose_name=_("资金账户"), on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    voucher = models.CharField(_("凭证号"), max_length=40, unique=True)
    posted_on = models.DateField(_("记账日期"))
    note = models.CharField(_("摘要"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Payments
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    aid_type = models.CharField(_("帮扶类型"), max_length=16, choices=AidType.choices, blank=True)
    # What the reports group a payment by, as the file stood when it was paid: a household
    # that later moves union or changes its main cause does not rewrite the years gone
    # (set by funds.ledger.payment_row; a reversal is counted with the row it reverses).
    union = models.ForeignKey(
        Unit,
        verbose_name=_("基层工会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    main_cause = models.CharField(_("主要致困原因"), max_length=16, blank=True, editable=False)
    # "" for a household that is no model worker; else the title, or "untitled".
    model_worker = models.CharField(_("困难劳模"), max_length=16, blank=True, editable=False)
    # The worker or a family member had a serious illness (大病) on the file when paid.
    serious_illness = models.BooleanField(_("大病"), default=False, editable=False)
    application = models.ForeignKey(
        "cases.Application",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payments",
    )
    plan_line = models.OneToOneField(
        "funds.PlanLine", null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    payee_name = models.CharField(_("收款人"), max_length=50, blank=True)
    payee_id_number = models.CharField(_("收款人身份证号"), max_length=18, blank=True)
    method = models.CharField(_("发放方式"), max_length=16, choices=Method.choices, blank=True)
    bank_account = models.CharField(_("银行卡号"), max_length=32, blank=True)
    goods = models.CharField(_("物资名称"), max_length=100, blank=True)
    # In-kind goods (实物): how much of what was given, its value in `amount`.
    quantity = models.DecimalField(
        _("数量"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity_unit = models.CharField(_("计量单位"), max_length=10, blank=True)
    # Goods handed over on a visit (走访慰问) are paid from a fund on the visit's record: the
    # visit's number as posted, part of the row's hash. Visits live above funds (casework),
    # which holds the link (Visit.ledger_entry); the database keeps the foreign key this
    # column was created with (funds.0003), so it names an existing visit.
    visit_id = models.PositiveBigIntegerField(
        _("走访慰问"), null=True, blank=True, unique=True, editable=False
    )
    # Reversals
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )

    class Meta:
        verbose_name = _("资金台账")
        verbose_name_plural = _("资金台账")
        ordering = ["posted_on", "pk"]
        indexes = [
            models.Index(fields=["fund", "posted_on"]),
            models.Index(fields=["household", "posted_on"]),
            models.Index(fields=["posted_on", "kind"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="receipt") & Q(amount__gt=0))
                | (Q(kind="payment") & Q(amount__lt=0))
                | (Q(kind="reversal") & ~Q(amount=0) & Q(reverses__isnull=False))
                | (Q(kind="loan_out") & Q(amount__lt=0))
                | (Q(kind="loan_repayment") & Q(amount__gt=0)),
                name="ledger_sign_matches_kind",
            ),
            # A loan lent names its borrower and how it was paid, and no household: it is
            # no aid payment.
            models.CheckConstraint(
                condition=~Q(kind__in=["loan_out", "loan_repayment"])
                | (
                    ~Q(payee_name="")
                    & ~Q(method="")
                    & Q(aid_type="loan")
                    & Q(household__isnull=True, application__isnull=True)
                    & Q(plan_line__isnull=True, visit_id__isnull=True, reverses__isnull=True)
                ),
                name="ledger_loan_row_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment")
                | (
                    Q(household__isnull=False)
                    & ~Q(aid_type="")
                    & ~Q(method="")
                    & ~Q(payee_name="")
                    & (
                        Q(application__isnull=False, plan_line__isnull=True, visit_id__isnull=True)
                        | Q(
                            application__isnull=True, plan_line__isnull=False, visit_id__isnull=True
                        )
                        | Q(
                            application__isnull=True, plan_line__isnull=True, visit_id__isnull=False
                        )
                    )
                ),
                name="ledger_payment_complete",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment") | Q(union__isnull=False),
                name="ledger_payment_names_its_union",
            ),
            models.CheckConstraint(
                condition=~Q(method="bank") | ~Q(bank_account=""),
                name="ledger_bank_payment_has_account",
            ),
            models.CheckConstraint(
                condition=~Q(method="in_kind") | ~Q(goods=""), name="ledger_in_kind_names_goods"
            ),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | ~Q(note=""), name="ledger_reversal_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True, quantity_unit="")
                | (Q(quantity__gt=0) & ~Q(quantity_unit="") & Q(method="in_kind")),
                name="ledger_quantity_is_in_kind_with_unit",
            ),
            models.CheckConstraint(
                condition=Q(visit_id__isnull=True) | Q(kind="reversal") | Q(method="in_kind"),
                name="ledger_visit_payment_is_in_kind",
            ),
        ]

    def __str__(self):
        return f"{self.voucher} {self.get_kind_display()} {self.amount}"

    CHAIN = "ledger"
    CHAINED_FIELDS = (
        "fund_id",
        "kind",
        "amount",
        "voucher",
        "posted_on",
        "note",
        "recorded_by_id",
        "household_id",
        "aid_type",
        "application_id",
        "plan_line_id",
        "payee_name",
        "payee_id_number",
        "method",
        "bank_account",
        "goods",
        "reverses_id",
        "chain_position",
    )

    # Added after rows were chained: part of a row's content only when set, so the hashes of
    # the rows written before them still match.
    CHAINED_IF_SET = ("quantity", "quantity_unit", "visit_id")

    def chain_content(self) -> dict:
        content = {name: getattr(self, name) for name in self.CHAINED_FIELDS}
        for name in self.CHAINED_IF_SET:
            value = getattr(self, name)
            if value not in (None, ""):
                content[name] = value
        return content

    @property
    def magnitude(self) -> Decimal:
        return abs(self.amount)

    @property
    def is_reversible(self) -> bool:
        """Receipts and payments are corrected by a reversal; loan rows follow the loan."""
        return self.kind in (self.Kind.RECEIPT, self.Kind.PAYMENT)
