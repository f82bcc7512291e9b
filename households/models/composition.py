"""The registry's composition kept per union (households.composition): a change counter the
database bumps and the counts taken at a known value of it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegistryChange(models.Model):
    """How many times a union's files, their members, causes or tags were written. Kept by
    database triggers (migration households.0019), whatever the code wrote, so counts taken
    at one value are known to be current while it has not moved."""

    union = models.OneToOneField(
        "hardship.Unit",
        verbose_name=_("基层工会"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    changes = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("档案变动计数")
        verbose_name_plural = _("档案变动计数")

    def __str__(self):
        return f"{self.union_id}: {self.changes}"


class RegistryCounts(models.Model):
    """A union's files in file counted on a day (ages move with the date) when its change
    counter stood at `changes`: every figure of the statistics page's composition."""

    union = models.OneToOneField(
        "hardship.Unit",
        verbose_name=_("基层工会"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    counted_on = models.DateField(_("统计日期"))
    changes = models.BigIntegerField()
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("在档构成统计")
        verbose_name_plural = _("在档构成统计")

    def __str__(self):
        return f"{self.union_id} {self.counted_on}"
