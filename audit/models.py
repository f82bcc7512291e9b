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
