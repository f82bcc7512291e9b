"""Visit rounds (走访轮次): the festival visits of a unit's households, over set dates, whose
coverage (走访全覆盖) is measured against the households in file."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from hardship.models import Unit


class VisitRound(models.Model):
    """One round of visits, e.g. "2027 春节走访". A company union's or the federation's round
    covers every grassroots union under it; visits are recorded in it (Visit.round)."""

    name = models.CharField(_("轮次名称"), max_length=100)
    unit = models.ForeignKey(
        Unit, verbose_name=_("覆盖单位"), on_delete=models.PROTECT, related_name="visit_rounds"
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # Where the goods handed over in this round are bought from: offered on its visit form.
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("物资出自资金账户"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visit_rounds",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("走访轮次")
        verbose_name_plural = _("走访轮次")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="visit_round_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("round_detail", args=[self.pk])

    def is_open_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on
