from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RevealLog(models.Model):
    """One "show" of a masked value (ID number, phone, bank account, health details) of a
    household file; written by the page that shows it (households.reveals.reveal_logged), read
    by the auditors."""

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
        db_table = "audit_reveallog"  # created by the audit app, which held the log first
        verbose_name = _("查看敏感信息记录")
        verbose_name_plural = _("查看敏感信息记录")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user_id} {self.field} {self.household_id}"
