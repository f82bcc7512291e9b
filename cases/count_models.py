"""How many applications each union has, by state and kind, kept by the database."""

from django.db import models


class ApplicationCount(models.Model):
    """The applications of one union in one state, of one kind and taking effect in one
    year (0: no effective date). Database triggers
    (cases.0017) add each write of an application, whatever wrote it, in the writing
    statement's transaction: the list of a province sums a few rows per union instead of
    counting two million, and the statistics count the year's money applications from them. `verify_integrity` counts the applications again and names any
    difference; `rebuild_application_counts` writes them afresh (after a restore made with
    triggers off)."""

    union_id = models.PositiveIntegerField()
    state = models.CharField(max_length=24)
    kind = models.CharField(max_length=16)
    effective_year = models.PositiveSmallIntegerField(default=0)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["union_id", "state", "kind", "effective_year"], name="application_count_key"
            )
        ]

    def __str__(self):
        return f"{self.union_id} {self.state} {self.kind}: {self.n}"
