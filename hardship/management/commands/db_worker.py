"""django-tasks-db's `db_worker`, with a graceful stop that is graceful wherever it lands.

The library's worker exits from inside its signal handler when no task is running. The
handler runs wherever the main thread is, and between tasks that is often the middle of the
queue poll's transaction: the `SystemExit` then meets a connection still in that
transaction, the clean-up raises, and the worker dies with exit code 1 (systemd records a
failed stop; a two-worker test caught it). Here the first SIGTERM or Ctrl-C only ends the
loop: the poll or the running task finishes, the worker does not sleep again, and it exits
0 within one `--interval`. A second signal still forces the stop, as in the library.
"""

import logging
import os
import signal
from types import FrameType

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker as library

logger = logging.getLogger("django_tasks_db")


class Worker(library.Worker):
    def shutdown(self, signum: int, frame: FrameType | None) -> None:
        if not self.running:
            super().shutdown(signum, frame)  # the second signal: stop now, exit code 1
            return
        logger.warning(
            "Received %s - stopping after the current poll or task (again to force)",
            signal.strsignal(signum),
        )
        self.running = False


class Command(library.Command):
    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        reload: bool,
        batch: bool,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise library.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            excluded_queue_names=excluded,
            batch=batch,
            **{
                name: options[name]
                for name in ("interval", "backend_name", "startup_delay", "max_tasks", "worker_id")
            },
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the child that runs the worker
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
