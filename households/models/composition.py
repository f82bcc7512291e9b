"""The registry's composition kept per union (households.composition): a change counter the
database bumps and the counts taken at a known value of it, for the whole union and for
each part of it (a file's part is its id modulo PARTS), so a changed union is counted again
only in the parts whose files changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# A union's files are kept in this many parts: a write counts a sixteenth of the union again.
# Migration households.0024's triggers compute the part with the same number.
PARTS = 16


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


def _one_row_per_part(name: str) -> list:
    return [
        models.UniqueConstraint(fields=["union", "part"], name=f"{name}_once"),
        models.CheckConstraint(condition=models.Q(part__lt=PARTS), name=f"{name}_in_range"),
    ]


class UnionPart(models.Model):
    """One part of a union's files (a file's part is its id modulo PARTS)."""

    union = models.ForeignKey(
        "hardship.Unit",
        verbose_name=_("基层工会"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique (union, part) index leads with it
    )
    part = models.PositiveSmallIntegerField(_("部分"))

    class Meta:
        abstract = True


class RegistryPartChange(UnionPart):
    """How many times the files of one part of a union, their members, causes or tags were
    written: moved by the same triggers as RegistryChange."""

    changes = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("档案分部变动计数")
        verbose_name_plural = _("档案分部变动计数")
        constraints = _one_row_per_part("registry_part_change")

    def __str__(self):
        return f"{self.union_id}/{self.part}: {self.changes}"


class RegistryPartCounts(UnionPart):
    """One part of a union's files in file counted on a day at its change counter: the
    union's kept counts are the sum of its parts'."""

    counted_on = models.DateField(_("统计日期"))
    changes = models.BigIntegerField()
    counts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("在档构成分部统计")
        verbose_name_plural = _("在档构成分部统计")
        constraints = _one_row_per_part("registry_part_counts")

    def __str__(self):
        return f"{self.union_id}/{self.part} {self.counted_on}"
