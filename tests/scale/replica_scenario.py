"""Run by test_replica_reads.py in its own process, against the private primary
(DATABASE_URL) and its hot standby (DATABASE_REPLICA_URL): report pages and exports with
the standby's replay paused, so what the replica serves is visibly older than the primary.
Prints what it saw as JSON on its last line."""

import io
import json
import socket
import time

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import DatabaseError, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from factories import HouseholdFactory, UnitFactory, person  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from hardship import replica  # noqa: E402
from hardship.models import ExportLog, Role  # noqa: E402
from reports import jobs, storage  # noqa: E402
from reports.models import Job  # noqa: E402

OLD, NEW = "早已在档户", "刚刚建档户"


def on_replica(sql: str) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)


def wait_replayed() -> None:
    position = replica.primary_position()
    deadline = time.monotonic() + 20
    while not replica.replayed(position):
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.05)


def workbook_text(fileobj) -> str:
    book = load_workbook(fileobj, read_only=True)
    return " ".join(str(v) for ws in book for row in ws.iter_rows(values_only=True) for v in row)


def roster(client, *, watch_replica=True) -> dict:
    """The roster export (a report) as this client gets it, and where its queries ran."""
    with (
        CaptureQueriesContext(connections["replica" if watch_replica else "default"]) as on_standby,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        response = client.get(reverse("roster_xlsx"))
    assert response.status_code == 200, response.status_code
    text = workbook_text(io.BytesIO(b"".join(response.streaming_content)))
    return {
        "old": OLD in text,
        "new": NEW in text,
        "replica_queries": len(on_standby.captured_queries) if watch_replica else None,
        "primary_household_queries": sum(
            "households_household" in q["sql"] for q in on_primary.captured_queries
        ),
    }


def background_roster(user) -> dict:
    """A background roster export run by a worker (at once, TASKS_BACKEND=immediate)."""
    with CaptureQueriesContext(connections["replica"]) as on_standby:
        job = jobs.start(user=user, kind=Job.Kind.ROSTER_XLSX, params={}, total=2)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.message
    with storage.exports().open(job.result_file, "rb") as fileobj:
        text = workbook_text(io.BytesIO(fileobj.read()))
    return {
        "new": NEW in text,
        "read_households_on_replica": any(
            "households_household" in q["sql"] for q in on_standby.captured_queries
        ),
    }


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # not a request: the session is not marked as having written
    return client


def main() -> dict:
    seen = {}
    try:
        on_replica("CREATE TABLE must_fail (id int)")
        seen["replica_writable"] = True
    except DatabaseError as error:
        seen["replica_writable"] = "read-only transaction" not in str(error)

    fed = UnitFactory.federation(code="FED")
    union = UnitFactory.grassroots(parent=UnitFactory.company(parent=fed, code="C1"), code="G1")
    reader = person("reader", "读报表的干事", (Role.CASEWORKER, union))
    HouseholdFactory(union=union, in_file=True, worker_name=OLD)
    wait_replayed()
    on_replica("SELECT pg_wal_replay_pause()")
    HouseholdFactory(union=union, in_file=True, worker_name=NEW)  # on the primary only

    first = signed_in(reader)
    logs = ExportLog.objects.count()
    seen["report"] = roster(first)
    seen["export_logged_on_primary"] = ExportLog.objects.count() - logs
    with CaptureQueriesContext(connections["replica"]) as on_standby:
        status = first.get(reverse("household_list")).status_code
    seen["other_page"] = {"status": status, "replica_queries": len(on_standby.captured_queries)}

    first.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})  # any write
    seen["after_own_write"] = roster(first)

    settings.REPLICA_MAX_LAG_SECONDS = 0  # the paused standby is now too far behind
    replica.forget_health()
    seen["lagging_replica"] = roster(signed_in(reader))
    settings.REPLICA_MAX_LAG_SECONDS = 3600
    replica.forget_health()

    seen["job_replica_behind"] = background_roster(reader)
    on_replica("SELECT pg_wal_replay_resume()")
    wait_replayed()
    seen["job_replica_caught_up"] = background_roster(reader)

    connections["replica"].close()
    with socket.socket() as probe:  # a port nothing listens on: the standby is "down"
        probe.bind(("127.0.0.1", 0))
        connections["replica"].settings_dict["PORT"] = str(probe.getsockname()[1])
    replica.forget_health()
    seen["replica_down"] = roster(signed_in(reader), watch_replica=False)
    return seen


if __name__ == "__main__":
    print(json.dumps(main()))
