"""In-app notifications (站内通知): a task assigned to someone, a task that became overdue.
Each person reads their own; opening one marks it read."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models.duties import Duty


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("新任务")
        OVERDUE = "overdue", _("任务逾期")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("通知类型"), max_length=16, choices=Kind.choices)
    text = models.CharField(_("内容"), max_length=300)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    # The duty it is about: the daily run tells of an overdue duty once (the constraint).
    duty = models.ForeignKey(
        Duty,
        verbose_name=_("帮扶任务"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(_("通知时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["duty", "user"],
                condition=Q(kind="overdue"),
                name="notification_overdue_once_per_duty",
            )
        ]

    def __str__(self):
        return self.text
