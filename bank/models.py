"""Bank batch payments (银行代发): the bank's file formats as data, the batches sent to the
bank and what the bank sent back.

A batch line points to the ledger row it pays and carries the state the bank gives it
(prepared → sent → paid or failed); the ledger row itself is never changed. A failed line
points to the reversal the return import posted for it.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from funds.models import MONEY, DistributionPlan, Fund, LedgerEntry
from households.models import Household


class BatchTemplate(models.Model):
    """A bank's batch-file format (代发文件模板) and the shape of its return file (回盘文件),
    configured by an administrator."""

    class Format(models.TextChoices):
        CSV = "csv", _("CSV 文本")
        XLSX = "xlsx", _("Excel（xlsx）")

    class Encoding(models.TextChoices):
        GBK = "gbk", _("GBK")
        UTF8 = "utf-8", _("UTF-8")
        UTF8_BOM = "utf-8-sig", _("UTF-8（带 BOM）")

    class AmountFormat(models.TextChoices):
        YUAN = "yuan", _("元，保留两位小数（如 600.00）")
        FEN = "fen", _("分，整数（如 60000）")

    name = models.CharField(_("模板名称"), max_length=60, unique=True)
    bank_name = models.CharField(_("银行"), max_length=60)
    file_format = models.CharField(
        _("文件格式"), max_length=8, choices=Format.choices, default=Format.CSV
    )
    encoding = models.CharField(
        _("文字编码"),
        max_length=12,
        choices=Encoding.choices,
        default=Encoding.GBK,
        help_text=_("CSV 文件的编码（代发文件和回盘文件相同）；xlsx 文件不用。"),
    )
    amount_format = models.CharField(
        _("金额格式"), max_length=8, choices=AmountFormat.choices, default=AmountFormat.YUAN
    )
    header_lines = models.TextField(
        _("表头行"),
        blank=True,
        help_text=_(
            "列标题之前的行，每行一行，单元格之间用 | 分隔。可用：{batch} 批次号、{unit} 单位、"
            "{account} 付款专户账号、{account_name} 专户户名、{count} 笔数、{total} 合计金额、"
            "{date} 日期。"
        ),
    )
    column_headers = models.BooleanField(_("写列标题行"), default=True)
    return_header_row = models.PositiveSmallIntegerField(
        _("回盘文件列标题所在行"), default=1, help_text=_("从 1 数起；之前的行不读。")
    )
    return_account = models.CharField(_("回盘：账号列标题"), max_length=40)
    return_amount = models.CharField(_("回盘：金额列标题"), max_length=40)
    return_status = models.CharField(_("回盘：状态列标题"), max_length=40)
    return_reason = models.CharField(_("回盘：失败原因列标题"), max_length=40)
    return_paid_values = models.CharField(
        _("回盘：表示成功的状态值"),
        max_length=100,
        default="成功",
        help_text=_("用逗号分隔，如：成功,处理成功；其他状态值都按失败处理。"),
    )
    active = models.BooleanField(_("可用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代发文件模板")
        verbose_name_plural = _("代发文件模板")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def paid_values(self) -> set[str]:
        return {
            v.strip() for v in self.return_paid_values.replace("，", ",").split(",") if v.strip()
        }


class TemplateColumn(models.Model):
    """One column of a bank's batch file: which value, under which header, in which place."""

    class Field(models.TextChoices):
        SEQUENCE = "sequence", _("序号")
        ACCOUNT = "account", _("收款卡号")
        NAME = "name", _("收款人姓名")
        AMOUNT = "amount", _("金额")
        ID_NUMBER = "id_number", _("收款人身份证号")
        PURPOSE = "purpose", _("用途")
        REFERENCE = "reference", _("凭证号")
        BATCH = "batch", _("批次号")

    template = models.ForeignKey(BatchTemplate, on_delete=models.CASCADE, related_name="columns")
    position = models.PositiveSmallIntegerField(_("顺序"))
    field = models.CharField(_("内容"), max_length=16, choices=Field.choices)
    header = models.CharField(_("列标题"), max_length=40)

    class Meta:
        verbose_name = _("列")
        verbose_name_plural = _("列")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "position"], name="bank_column_position_once"
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.header}"


class PaymentBatch(models.Model):
    """A batch of bank payments (代发批次) from one fund, sent to the bank as one file."""

    class State(models.TextChoices):
        PREPARED = "prepared", _("已生成，待送银行")
        SENT = "sent", _("已送银行，待回盘")
        SETTLED = "settled", _("已回盘")

    fund = models.ForeignKey(
        Fund, verbose_name=_("资金账户"), on_delete=models.PROTECT, related_name="bank_batches"
    )
    plan = models.ForeignKey(
        DistributionPlan,
        verbose_name=_("发放方案"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_batches",
    )
    template = models.ForeignKey(
        BatchTemplate, verbose_name=_("代发文件模板"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("用途"), max_length=100)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.PREPARED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("制单人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送银行人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("送银行时间"), null=True, blank=True)
    # The signed roster scanned back (签字的发放花名册), checked by content like evidence.
    voucher_file = models.CharField(max_length=200, blank=True, editable=False)
    voucher_name = models.CharField(_("签字花名册文件"), max_length=200, blank=True)
    voucher_content_type = models.CharField(max_length=40, blank=True, editable=False)
    voucher_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    voucher_uploaded_at = models.DateTimeField(_("上传时间"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("代发批次")
        verbose_name_plural = _("代发批次")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="prepared") | Q(sent_at__isnull=False),
                name="bank_batch_sent_has_time",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("bank_batch_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"DF{self.pk:06d}" if self.pk else ""


class BatchLine(models.Model):
    """One payment in a batch: the ledger row it pays and what the bank made of it."""

    class State(models.TextChoices):
        PREPARED = "prepared", _("待送银行")
        SENT = "sent", _("已送银行")
        PAID = "paid", _("已到账")
        FAILED = "failed", _("失败，已冲销")

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="lines")
    entry = models.OneToOneField(
        LedgerEntry, verbose_name=_("发放记录"), on_delete=models.PROTECT, related_name="bank_line"
    )
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    account = models.CharField(_("收款卡号"), max_length=32)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    state = models.CharField(
        _("状态"), max_length=12, choices=State.choices, default=State.PREPARED
    )
    reason = models.CharField(_("银行退回原因"), max_length=200, blank=True)
    reversal = models.OneToOneField(
        LedgerEntry,
        verbose_name=_("冲销记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("代发明细")
        verbose_name_plural = _("代发明细")
        ordering = ["batch", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="bank_line_positive"),
            models.CheckConstraint(
                condition=~Q(state="failed") | (Q(reversal__isnull=False) & ~Q(reason="")),
                name="bank_line_failed_is_reversed",
            ),
        ]

    def __str__(self):
        return f"{self.batch_id}: {self.account[-4:]} {self.amount}"


class ReturnFile(models.Model):
    """A bank return file (回盘文件) imported for a batch. The file's hash is unique: the same
    file imported again changes nothing."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="returns")
    sha256 = models.CharField(max_length=64, unique=True)
    file_name = models.CharField(_("文件名"), max_length=200)
    rows = models.PositiveIntegerField(_("行数"))
    paid = models.PositiveIntegerField(_("成功笔数"))
    failed = models.PositiveIntegerField(_("失败笔数"))
    total = models.DecimalField(_("合计（元）"), **MONEY)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("回盘文件")
        verbose_name_plural = _("回盘文件")
        ordering = ["-imported_at"]

    def __str__(self):
        return self.file_name
