"""Report pages and exports read from a real hot standby; everything else, and a user's
reads right after their own write, from the primary (hardship/replica.py).

The standby's replay is paused half-way, so a household filed on the primary afterwards is
missing from whatever the standby serves: each assertion sees where a read really went."""

import json

import pytest
from scalekit import COPY, project_env, run_python

# The session's test database must exist: the private primary starts as a copy of it.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seen(pg_pair, tmp_path_factory):
    env = project_env(
        tmp_path_factory.mktemp("replica"),
        DATABASE_URL=pg_pair.primary_url(COPY),
        DATABASE_REPLICA_URL=pg_pair.replica_url(COPY),
        TASKS_BACKEND="immediate",
        REPLICA_WAIT_SECONDS=1,
        REPLICA_MAX_LAG_SECONDS=3600,
    )
    return json.loads(run_python("replica_scenario.py", env).strip().splitlines()[-1])


def test_the_standby_is_real_and_refuses_writes(seen):
    assert seen["replica_writable"] is False


def test_a_report_reads_the_replica(seen):
    report = seen["report"]
    assert report["old"] and not report["new"]  # as the paused standby has it
    assert report["replica_queries"] > 0
    assert report["primary_household_queries"] == 0


def test_a_report_writes_its_export_log_to_the_primary(seen):
    assert seen["export_logged_on_primary"] == 1


def test_other_pages_read_only_the_primary(seen):
    assert seen["other_page"] == {"status": 200, "replica_queries": 0}


def test_after_their_own_write_a_user_reads_the_primary(seen):
    after = seen["after_own_write"]
    assert after["old"] and after["new"]
    assert after["replica_queries"] == 0


def test_a_replica_too_far_behind_is_not_used(seen):
    assert seen["lagging_replica"]["new"]
    assert seen["lagging_replica"]["primary_household_queries"] > 0


def test_an_export_job_does_not_read_a_replica_behind_its_request(seen):
    assert seen["job_replica_behind"] == {"new": True, "read_households_on_replica": False}


def test_an_export_job_reads_a_replica_that_caught_up(seen):
    assert seen["job_replica_caught_up"] == {"new": True, "read_households_on_replica": True}


def test_reports_read_the_primary_while_the_replica_is_down(seen):
    down = seen["replica_down"]
    assert down["old"] and down["new"]
    assert down["primary_household_queries"] > 0
