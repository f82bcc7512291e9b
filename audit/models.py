"""The outcome of each integrity check. What else auditors read lives below: the hash chains
and their heads (hardship.chain), who took data away (hardship.ExportLog) and who saw masked
values (households.RevealLog)."""

from django.db import models


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


class CheckSnapshot(models.Model):
    """The integrity checks (audit.checks) of one wide scope, counted in the background
    (audit.kept): each check's number of findings and the households of its first ones."""

    # The scope's tree paths, sorted and joined by "|": the people with the same scope share it.
    scope = models.CharField(max_length=1000, unique=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    took_ms = models.PositiveIntegerField(default=0)
    totals = models.JSONField(default=dict)  # check code → findings counted
    listed = models.JSONField(default=dict)  # check code → ids of the first findings' files

    def __str__(self):
        return f"{self.scope} {self.counted_at}"

    @property
    def pending(self) -> bool:
        """A count was asked for and has not finished since."""
        return self.requested_at is not None and (
            self.counted_at is None or self.requested_at > self.counted_at
        )
