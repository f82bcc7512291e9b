"""Run by test_two_workers.py: queue JOBS jobs on the database backend, then exit."""

import os

import django

django.setup()

from worker_tasks import record_run  # noqa: E402

for key in range(int(os.environ["JOBS"])):
    record_run.enqueue(key)
