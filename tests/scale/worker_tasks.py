"""A job for the two-worker test: it records which worker process ran it, once per run.
The table has no unique key on purpose, so a job run twice shows as two rows."""

import os
import time

from django.db import connection
from django_tasks import task

TABLE = "scale_job_runs"


@task()
def record_run(key: int) -> None:
    time.sleep(0.02)  # long enough for the two workers to overlap
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (job_key, worker_pid) VALUES (%s, %s)", [key, os.getpid()]
        )
