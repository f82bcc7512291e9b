"""Evidence (证明材料) filed with a household, one file per row."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from households.models.household import (
    Cause,
    Household,
)


def evidence_path(instance, filename):
    # Random names: nothing about the family leaks through the file system.
    return f"evidence/{instance.household_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        DIAGNOSIS = "diagnosis", _("诊断证明")
        MEDICAL_BILLS = "medical_bills", _("医疗费用票据")
        ADMISSION = "admission", _("录取通知书")
        TUITION = "tuition", _("学费收据")
        DISABILITY_CERT = "disability_cert", _("残疾证")
        DIBAO_CERT = "dibao_cert", _("低保证")
        ACCIDENT_PROOF = "accident_proof", _("事故/灾害证明")
        TERMINATION = "termination", _("解除劳动合同/失业证明")
        INCOME_PROOF = "income_proof", _("收入证明")
        OTHER = "other", _("其他")

    class ContentType(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPEG"
        PNG = "image/png", "PNG"

    household = models.ForeignKey(
        Household, verbose_name=_("困难职工档案"), on_delete=models.CASCADE, related_name="evidence"
    )
    cause = models.CharField(_("对应致困原因"), max_length=16, choices=Cause.choices)
    kind = models.CharField(_("材料类型"), max_length=16, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=32, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # 残疾证, 低保证 or a diagnosis is valid until a date; most evidence has none.
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("证明材料")
        verbose_name_plural = _("证明材料")
        ordering = ["cause", "pk"]

    def __str__(self):
        return self.original_name
