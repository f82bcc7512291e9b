"""Changes reported (情况变更, 动态管理): the worker or a caseworker reports that something
changed in the family; the responsible person reviews it and, accepting it, updates the file
(its history names the report) and may propose an exit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Application
from households.models import Household, Member


class ChangeReport(models.Model):
    class Kind(models.TextChoices):
        GRADUATION = "graduation", _("孩子毕业/升学")
        EMPLOYMENT = "employment", _("家庭成员就业/新工作")
        RECOVERY = "recovery", _("康复/病情好转")
        HOSPITAL = "hospital", _("住院")
        DIVORCE = "divorce", _("离婚")
        DEATH = "death", _("家庭成员去世")
        EMERGENCY = "emergency", _("突发事件/意外")
        MOVE = "move", _("搬迁/地址变更")
        OTHER = "other", _("其他")

    class Source(models.TextChoices):
        WORKER = "worker", _("职工本人报告")
        CASEWORKER = "caseworker", _("工作人员登记")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已接受")
        REJECTED = "rejected", _("未接受")

    household = models.ForeignKey(
        Household,
        verbose_name=_("困难职工档案"),
        on_delete=models.PROTECT,
        related_name="change_reports",
    )
    kind = models.CharField(_("变化类型"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("发生日期"))
    description = models.TextField(_("情况说明"), max_length=1000)
    member = models.ForeignKey(
        Member,
        verbose_name=_("涉及的家庭成员"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="change_reports",
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        on_delete=models.PROTECT,
        related_name="change_reports",
    )
    reported_at = models.DateTimeField(_("报告时间"), auto_now_add=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_reports_reviewed",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.TextField(_("审核意见"), max_length=1000, blank=True)
    # The exit application the report led to (同时提出脱困申请).
    application = models.ForeignKey(
        Application,
        verbose_name=_("提出的脱困申请"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_reports",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("家庭情况变更报告")
        verbose_name_plural = _("家庭情况变更报告")
        ordering = ["-reported_at", "-pk"]
        constraints = [
            # Pending: nobody reviewed it yet; reviewed: by someone, at a time.
            models.CheckConstraint(
                condition=Q(status="pending", reviewed_by__isnull=True, reviewed_at__isnull=True)
                | (
                    Q(status__in=["accepted", "rejected"])
                    & Q(reviewed_by__isnull=False, reviewed_at__isnull=False)
                ),
                name="changereport_reviewed_iff_reviewer",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_note=""),
                name="changereport_rejection_has_note",
            ),
            # Only an accepted report proposes an exit.
            models.CheckConstraint(
                condition=Q(application__isnull=True) | Q(status="accepted"),
                name="changereport_application_when_accepted",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.get_kind_display()} {self.occurred_on}"

    def get_absolute_url(self):
        return reverse("change_detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING
