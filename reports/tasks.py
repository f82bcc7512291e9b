"""Background work: the worker (`manage.py db_worker`) runs these; the job row carries the
progress a person watches on the job page."""

from django.utils import timezone
from django_tasks import task

from hardship import replica
from hardship.models import User
from reports import storage
from reports.models import Job


def _progress(job):
    def update(done):
        Job.objects.filter(pk=job.pk).update(done=done)

    return update


@task()
def run_job(job_id: str, primary_position: str = "") -> None:
    """`primary_position`: the primary's WAL position when the job was asked for; an
    export reads the replica only once it has replayed that far (hardship/replica.py)."""
    with replica.primary_reads():
        _run(job_id, primary_position)


def _run(job_id: str, primary_position: str) -> None:
    from reports import jobs

    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])
    stored = ""
    try:
        user = User.objects.get(pk=job.requested_by_id)
        # Written locally first (personal data: owner-only, gone when closed), then handed
        # to the export storage, which may be shared by every server.
        with storage.scratch() as target:
            position = primary_position if job.kind in jobs.REPLICA_KINDS else ""
            with replica.export_reads(position):
                name = jobs.RUNNERS[job.kind](job, user, target, _progress(job))
            if name:  # an import leaves no file to download
                target.flush()
                stored = storage.save(f"{job.pk}.xlsx", target)
    except Exception as error:  # the job page must say what went wrong, whatever it was
        job.status, job.message = Job.Status.FAILED, str(error)[:2000]
    else:
        job.status = Job.Status.DONE
        if name:
            job.result_file, job.result_name = stored, name
        job.done = job.total
    job.finished_at = timezone.now()
    job.save()
