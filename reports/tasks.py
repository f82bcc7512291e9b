"""Background work: the worker (`manage.py db_worker`) runs these; the job row carries the
progress a person watches on the job page."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from hardship.models import User
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
    settings.EXPORT_DIR.mkdir(parents=True, exist_ok=True)
    path = settings.EXPORT_DIR / f"{job.pk}.xlsx"
    try:
        user = User.objects.get(pk=job.requested_by_id)
        name = jobs.RUNNERS[job.kind](job, user, path, _progress(job))
    except Exception as error:  # the job page must say what went wrong, whatever it was
        job.status, job.message = Job.Status.FAILED, str(error)[:2000]
        path.unlink(missing_ok=True)  # what a failed export wrote is nobody's download
    else:
        job.status = Job.Status.DONE
        if name:  # an import leaves no file to download
            job.result_file, job.result_name = str(path), name
        job.done = job.total
    job.finished_at = timezone.now()
    job.save()
