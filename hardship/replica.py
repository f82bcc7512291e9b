"""Reading reports from a PostgreSQL streaming replica (hot standby), when one is configured.

Only what is marked goes to the replica: the report pages and exports wrap themselves in
`replica_reads` (a view decorator) or `export_reads` (a background export). Everything else,
every write, and every read inside a transaction on the primary stays on the primary.

Reading one's own writes:
- a web request: after a user's POST (or any other unsafe method) their session is pinned
  to the primary for REPLICA_PIN_SECONDS (`RecentWriteMiddleware`), so the report they open
  right after saving shows what they saved, however far the replica lags;
- a background export: the job carries the primary's WAL position when it was asked for;
  the worker reads from the replica only once the replica has replayed that far (waiting
  at most REPLICA_WAIT_SECONDS), else from the primary.
A replica that is down, not streaming, or more than REPLICA_MAX_LAG_SECONDS behind is left
alone (checked at most every CHECK_SECONDS per process, then not asked again for
RECHECK_UNUSABLE_SECONDS): reports then read the primary.
"""

import contextlib
import functools
import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections

PRIMARY, REPLICA = "default", "replica"
WROTE_AT = "_wrote_at"  # session key: when this session last sent a write (epoch seconds)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
CHECK_SECONDS = 5  # how often a process asks the standby how it is
RECHECK_UNUSABLE_SECONDS = 30  # a standby found unfit is left alone this long
WAIT_STEP_SECONDS = 0.1

logger = logging.getLogger(__name__)
_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)
_health = {"checked": float("-inf"), "usable": False}

# On the standby: whether the WAL receiver streams, and how far behind replay is, in
# seconds (0 when all received WAL is replayed). Without pg_read_all_stats the receiver's
# status reads NULL while its pid does not: then only the lag is judged.
HEALTH_SQL = """
SELECT pg_is_in_recovery(),
       (SELECT status FROM pg_stat_wal_receiver),
       (SELECT pid FROM pg_stat_wal_receiver),
       CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END
"""


def configured() -> bool:
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    """Marked report reads to the replica; all else to the primary. A row read from the
    replica and saved again is written to the primary (db_for_write ignores its origin)."""

    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the two hold the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY  # the standby follows the primary's schema by itself


def forget_health() -> None:
    _health["checked"] = float("-inf")


def usable() -> bool:
    """Whether the replica answers, streams and is close enough behind (cached briefly)."""
    if not configured():
        return False
    now = time.monotonic()
    interval = CHECK_SECONDS if _health["usable"] else RECHECK_UNUSABLE_SECONDS
    if now - _health["checked"] < interval:
        return _health["usable"]
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(HEALTH_SQL)
            recovering, status, pid, lag = cursor.fetchone()
        streaming = status == "streaming" or (status is None and pid is not None)
        ok = bool(recovering and streaming and lag <= settings.REPLICA_MAX_LAG_SECONDS)
    except DatabaseError as error:
        logger.warning("Replica unusable, reports read the primary: %s", error)
        connections[REPLICA].close()
        ok = False
    else:
        if not ok:
            logger.warning(
                "Replica not used: in recovery %s, receiver %s, %s s behind",
                recovering,
                status,
                lag,
            )
    _health.update(checked=now, usable=ok)
    return ok


@contextlib.contextmanager
def _reading(replica: bool):
    token = _reads_from_replica.set(replica)
    try:
        yield replica
    finally:
        _reads_from_replica.reset(token)


def primary_reads():
    """Reads in this block go to the primary, even inside a report view (a background job
    run at once inside the request reads its own job row)."""
    return _reading(False)


def recently_wrote(request) -> bool:
    session = getattr(request, "session", None)
    wrote_at = session.get(WROTE_AT) if session is not None else None
    return wrote_at is not None and time.time() - wrote_at < settings.REPLICA_PIN_SECONDS


def replica_reads(view):
    """A read-only report view: its reads go to the replica, unless the request writes or
    the session wrote a moment ago (then it must see that write) or the replica is unfit."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        replica = (
            configured()
            and request.method in SAFE_METHODS
            and not recently_wrote(request)
            and usable()
        )
        with _reading(replica):
            return view(request, *args, **kwargs)

    return wrapped


class RecentWriteMiddleware:
    """Remembers in the session when a signed-in user last sent a write (installed only
    with a replica; after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.method not in SAFE_METHODS and user is not None and user.is_authenticated:
            request.session[WROTE_AT] = int(time.time())
        return response


def primary_position() -> str:
    """The primary's WAL position now ('' without a replica): everything committed so far
    is on the replica once it has replayed this far."""
    if not configured():
        return ""
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def replayed(position: str) -> bool:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
        return bool(cursor.fetchone()[0])


def _caught_up(position: str) -> bool:
    """Wait (at most REPLICA_WAIT_SECONDS) for the replica to replay up to `position`."""
    deadline = time.monotonic() + settings.REPLICA_WAIT_SECONDS
    try:
        while not replayed(position):
            if time.monotonic() >= deadline:
                logger.info(
                    "Replica has not replayed %s yet: the export reads the primary", position
                )
                return False
            time.sleep(WAIT_STEP_SECONDS)
    except DatabaseError:
        connections[REPLICA].close()
        return False
    return True


@contextlib.contextmanager
def export_reads(position: str):
    """Reads of a background export: from the replica once it holds everything committed
    before the export was asked for (`position`), else from the primary. Yields whether
    the replica is used."""
    replica = bool(position) and configured() and usable() and _caught_up(position)
    with _reading(replica) as used:
        yield used
