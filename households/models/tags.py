"""Tags an administrator defines (劳模, 农民工, 五类人群, 单亲家庭 …) that a file can carry, for
targeting (campaigns, plans) and statistics."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Tag(models.Model):
    name = models.CharField(_("标签"), max_length=20, unique=True)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    # A tag no longer used is retired, not deleted: files keep what they carried.
    is_active = models.BooleanField(_("可选用"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("档案标签")
        verbose_name_plural = _("档案标签")
        ordering = ["name"]

    def __str__(self):
        return self.name
