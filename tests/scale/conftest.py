"""Beyond one machine: a real primary and hot standby (one pair per session)."""

import pgcluster
import pytest
from scalekit import COPY


@pytest.fixture(scope="session")
def pg_pair(django_db_setup, django_db_blocker):
    """A private primary and hot standby, the primary holding a copy of the test database."""
    missing = pgcluster.missing_binaries()
    if missing:
        pytest.skip(
            f"PostgreSQL server binaries not found in {pgcluster.PG_BIN} ({', '.join(missing)}): "
            "the replica test starts its own primary and hot standby with them "
            "(apt-get install postgresql-15, or set PG_BIN)"
        )
    from django.db import connection

    cluster = pgcluster.start()
    try:
        with django_db_blocker.unblock():
            pgcluster.copy_database(connection.settings_dict, cluster, COPY)
        pgcluster.wait_replayed(cluster, COPY)
        yield cluster
    finally:
        pgcluster.stop(cluster)
