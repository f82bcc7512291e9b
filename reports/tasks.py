"""Background work: the worker (`manage.py db_worker`) runs these; the job row carries the
progress a person watches on the job page."""

from django.utils import timezone
from django_tasks import task

from hardship.models import User
from reports import retention
from reports.models import Job


def _progress(job):
    def update(done):
        Job.objects.filter(pk=job.pk).update(done=done)

    return update


@task()
def run_job(job_id: str) -> None:
    from reports import jobs

    job = Job.objects.get(pk=job_id)
    job.status = Job.Status.RUNNING
    job.save(update_fields=["status"])
    path = retention.export_dir() / f"{job.pk}.xlsx"
    try:
        user = User.objects.get(pk=job.requested_by_id)
        with retention.open_private(path) as target:  # personal data: owner-only (0600)
            name = jobs.RUNNERS[job.kind](job, user, target, _progress(job))
    except Exception as error:  # the job page must say what went wrong, whatever it was
        job.status, job.message = Job.Status.FAILED, str(error)[:2000]
        path.unlink(missing_ok=True)  # what a failed export wrote is nobody's download
    else:
        job.status = Job.Status.DONE
        if name:  # an import leaves no file to download
            job.result_file, job.result_name = str(path), name
        else:
            path.unlink(missing_ok=True)
        job.done = job.total
    job.finished_at = timezone.now()
    job.save()
