"""How long generated export files are kept, and removing them when that time is up.

The files hold personal data and can be produced again, so they live only as long as the
policy parameter 导出文件保留期 says (system-wide; 7 days when none is set). The daily
maintenance (`manage.py daily_maintenance`, or `purge_expired_exports` alone) deletes them
and marks their jobs expired, so the job page says why there is nothing to download."""

import datetime
import os
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from hardship.models import PolicyParameter
from reports.models import Job

DEFAULT_RETENTION_DAYS = 7


def retention_days(on: datetime.date | None = None) -> int:
    """The system-wide retention period in force on `on` (today by default)."""
    on = on or timezone.localdate()
    row = (
        PolicyParameter.objects.filter(
            key=PolicyParameter.Key.EXPORT_RETENTION_DAYS, unit__isnull=True, valid_from__lte=on
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    return int(row.value) if row else DEFAULT_RETENTION_DAYS


def expires_at(job: Job, days: int | None = None) -> datetime.datetime | None:
    """When a finished job's file is deleted (None while it has none)."""
    if job.status != Job.Status.DONE or not job.result_file or not job.finished_at:
        return None
    return job.finished_at + datetime.timedelta(days=retention_days() if days is None else days)


def export_dir() -> Path:
    """The export folder, created readable by the service account only."""
    folder = Path(settings.EXPORT_DIR)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def open_private(path: Path):
    """A new file only its owner can read (0600 whatever the umask), opened for writing."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb")


def purge_expired_exports(now: datetime.datetime | None = None) -> tuple[list[Job], list[Path]]:
    """Delete every export file older than the retention period and mark its job expired.
    Returns the expired jobs and the stray files (no finished job names them) removed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days(timezone.localdate(now)))
    expired = list(
        Job.objects.filter(status=Job.Status.DONE, finished_at__lt=cutoff).exclude(result_file="")
    )
    for job in expired:
        Path(job.result_file).unlink(missing_ok=True)
        job.status, job.result_file = Job.Status.EXPIRED, ""
        job.save(update_fields=["status", "result_file"])
    strays = []
    folder = Path(settings.EXPORT_DIR)
    if folder.is_dir():
        kept = set(
            Job.objects.filter(status=Job.Status.DONE)
            .exclude(result_file="")
            .values_list("result_file", flat=True)
        )
        for path in folder.glob("*.xlsx"):  # imports/ is swept by the import itself
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if str(path) not in kept and modified < cutoff:
                path.unlink(missing_ok=True)
                strays.append(path)
    return expired, strays
