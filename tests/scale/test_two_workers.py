"""Two background workers (`manage.py db_worker`, django-tasks-db) on the same queue run every
job exactly once: real worker processes against PostgreSQL, on a scratch schema holding the
task table and a table each run writes a row to."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import psycopg
import pytest
from scalekit import ROOT, project_env, run_python
from worker_tasks import TABLE

# The workers' schema lives in the session's test database, which must exist.
pytestmark = pytest.mark.django_db
JOBS = 60
TASK_TABLE = "django_tasks_database_dbtaskresult"


def _url(settings_dict, schema: str = "") -> str:
    """The test database's URL; with a schema, one whose tables are looked up there first."""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    user, password = settings_dict.get("USER") or "postgres", settings_dict.get("PASSWORD") or ""
    url = f"postgres://{user}{':' + password if password else ''}@{host}:{port}/"
    url += settings_dict["NAME"]
    return f"{url}?options=-c%20search_path%3D{schema}" if schema else url


@pytest.fixture
def queue_database():
    """A schema of the test database with its own task table, committed where the workers
    see it and apart from the test's data (a schema is cheaper than a database)."""
    from django.db import connection

    schema = f"workers_{os.getpid()}"
    with psycopg.connect(_url(connection.settings_dict), autocommit=True) as db:
        db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        db.execute(f"CREATE SCHEMA {schema}")
        db.execute(f"CREATE TABLE {schema}.{TASK_TABLE} (LIKE public.{TASK_TABLE} INCLUDING ALL)")
        db.execute(f"CREATE TABLE {schema}.{TABLE} (job_key integer NOT NULL, worker_pid integer)")
    yield _url(connection.settings_dict, schema)
    with psycopg.connect(_url(connection.settings_dict), autocommit=True) as db:
        db.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def _wait_for(condition, what: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_two_workers_run_every_job_exactly_once(queue_database, tmp_path):
    env = project_env(tmp_path, DATABASE_URL=queue_database, JOBS=JOBS)
    env.pop("TASKS_BACKEND", None)  # the database backend, as in production
    logs = [tmp_path / f"worker{n}.log" for n in (1, 2)]
    workers = [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",  # one process per worker, as in production
                "--interval",
                "0.1",
                "--no-startup-delay",
                "--worker-id",
                f"worker{n}",
            ],
            cwd=ROOT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        for n, log in enumerate(logs, start=1)
    ]
    try:
        # Both poll the queue before any job exists, so both compete for every job.
        _wait_for(
            lambda: all("Starting worker" in log.read_text() for log in logs), "workers to start"
        )
        run_python("enqueue_jobs.py", env)
        with psycopg.connect(queue_database, autocommit=True) as db:

            def finished() -> int:
                return db.execute(
                    f"SELECT count(*) FROM {TASK_TABLE} WHERE status IN ('SUCCESSFUL', 'FAILED')"
                ).fetchone()[0]

            _wait_for(lambda: finished() == JOBS, "every job to finish")
            for worker in workers:  # a graceful stop: the current job ends first
                worker.send_signal(signal.SIGTERM)
            for worker, log in zip(workers, logs, strict=True):
                assert worker.wait(timeout=30) == 0, log.read_text()
            runs = db.execute(f"SELECT job_key, worker_pid FROM {TABLE}").fetchall()
            statuses = dict(
                db.execute(f"SELECT status, count(*) FROM {TASK_TABLE} GROUP BY status").fetchall()
            )
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
    per_job = Counter(key for key, _pid in runs)
    assert sorted(per_job) == list(range(JOBS))
    assert set(per_job.values()) == {1}, [key for key, n in per_job.items() if n > 1]
    assert statuses == {"SUCCESSFUL": JOBS}
    # Both really took part (each started before the first job was queued).
    assert {pid for _key, pid in runs} == {worker.pid for worker in workers}


def test_a_stop_signal_between_jobs_ends_the_loop_instead_of_exiting_mid_poll():
    """The signal handler runs wherever the worker is, often inside the queue poll's
    transaction; exiting there left the connection mid-transaction and the stop failed."""
    from hardship.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0.1,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="stop-test",
    )
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        worker.shutdown(signal.SIGTERM, None)  # the library raised SystemExit(0) here
        assert worker.running is False
        with pytest.raises(SystemExit) as forced:  # a second signal still forces the stop
            worker.shutdown(signal.SIGTERM, None)
        assert forced.value.code == 1
    finally:
        for sig, handler in kept.items():
            signal.signal(sig, handler)
