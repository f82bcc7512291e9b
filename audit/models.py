"""What auditors need beyond the change history: who saw sensitive values, who took data
away, and whether the money and decision records are still exactly as written."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevealLog(models.Model):
    """One "show" of a masked value (ID number, phone, bank account, health details)."""

    class Field(models.TextChoices):
        ID_NUMBER = "id_number", _("身份证号")
        PHONE = "phone", _("联系电话")
        BANK_ACCOUNT = "bank_account", _("银行卡号")
        HEALTH = "health", _("健康状况")
        MEMBERS = "members", _("家庭成员身份证号与健康状况")
        CONTACT_PHONE = "contact_phone", _("联系人电话")
        EVIDENCE = "evidence", _("证明材料")
        # Opening the household's edit or review form shows every value in full.
        EDIT_FORM = "edit_form", _("编辑表单（完整身份证号、电话、银行卡号、家庭成员）")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "households.Household", on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("字段"), max_length=16, choices=Field.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("查看敏感信息记录")
        verbose_name_plural = _("查看敏感信息记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.field} {self.household_id}"


class ExportLog(models.Model):
    class Kind(models.TextChoices):
        ROSTER = "roster", _("困难职工台账")
        ANNUAL_XLSX = "annual_xlsx", _("年度报表 Excel")
        ANNUAL_PDF = "annual_pdf", _("年度报表 PDF")
        NOTICE_PDF = "notice_pdf", _("公示名单 PDF")
        APPLICATION_PDF = "application_pdf", _("申请审批表 PDF")
        BANK_FILE = "bank_file", _("银行代发文件")
        PAYROLL_PDF = "payroll_pdf", _("发放花名册 PDF")
        PAYROLL_XLSX = "payroll_xlsx", _("发放花名册 Excel")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("导出内容"), max_length=20, choices=Kind.choices)
    scope = models.CharField(_("范围"), max_length=300)
    rows = models.PositiveIntegerField(_("行数"), null=True, blank=True)
    full_identity = models.BooleanField(_("含完整身份信息"), default=False)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("导出记录")
        verbose_name_plural = _("导出记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.at:%Y-%m-%d}"


class ChainHead(models.Model):
    """The last hash of a tamper-evident chain. Writers lock this row, so rows join the chain
    one at a time and in primary-key order."""

    name = models.CharField(max_length=40, primary_key=True)
    last_hash = models.CharField(max_length=64, default="")
    # How many rows the chain holds (the last row's position) and the last row's id: a row
    # removed from the end is named by them.
    rows = models.PositiveBigIntegerField(default=0)
    last_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self):
        return self.name


class IntegrityRun(models.Model):
    """One run of `verify_integrity`."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    ok = models.BooleanField()
    checked = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'FAILED'}"
