"""How long generated export files are kept, and removing them when that time is up.

The files hold personal data and can be produced again, so they live only as long as the
policy parameter 导出文件保留期 says (system-wide; 7 days when none is set). The daily
maintenance (`manage.py daily_maintenance`, or `purge_expired_exports` alone) deletes them
and marks their jobs expired, so the job page says why there is nothing to download."""

import datetime

from django.db.models import Q
from django.utils import timezone

from hardship.models import PolicyParameter
from reports import storage
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


def purge_expired_exports(now: datetime.datetime | None = None) -> tuple[list[Job], list[str]]:
    """Delete every export file older than the retention period and mark its job expired.
    Returns the expired jobs and the stray files (no finished job names them) removed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days(timezone.localdate(now)))
    files = storage.exports()
    expired = list(
        Job.objects.filter(status=Job.Status.DONE, finished_at__lt=cutoff).exclude(result_file="")
    )
    for job in expired:
        name = storage.stored_name(job.result_file)
        if name:
            files.delete(name)
        job.status, job.result_file = Job.Status.EXPIRED, ""
        job.save(update_fields=["status", "result_file"])
    kept = {
        storage.stored_name(value)
        for value in Job.objects.filter(status=Job.Status.DONE)
        .exclude(result_file="")
        .values_list("result_file", flat=True)
    }
    strays = []
    try:
        _folders, names = files.listdir("")
    except FileNotFoundError:  # nothing exported yet
        names = []
    for name in names:  # imports/ is swept by the import itself
        if name.endswith(".xlsx") and name not in kept and files.get_modified_time(name) < cutoff:
            files.delete(name)
            strays.append(name)
    return expired, strays
