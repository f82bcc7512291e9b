"""The demo data for tests that start from it: `seed_demo` runs once per test process, and
later tests get its rows, sequences, uploaded files and printed output copied back in well
under a second instead of seeding again (10-25 s each on PostgreSQL; two dozen tests start
from the demo).

Only on PostgreSQL (CI's database), and only for a test whose database holds nothing but
what the migrations put there, as seed_demo's own first run expects: every table is
emptied and refilled with the rows as they stood right after that first run. The copy is
written with triggers off (session_replication_role = replica): its rows already carry
what the triggers computed when they were first written, and the append-only guards would
refuse the TRUNCATE. A test that checks seed_demo repeats nothing still runs it a second
time for real. On SQLite seed_demo simply runs."""

import shutil
import tempfile
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection


@dataclass
class _Snapshot:
    tables: dict[str, bytes]  # every table: its rows in COPY's binary format
    sequences: list[tuple[str, int | None]]  # every sequence: its last value (None: unused)
    media: Path  # the uploaded files
    output: str  # what seed_demo printed


_snapshot: _Snapshot | None = None


def load_demo(stdout=None, **options) -> None:
    """The state `call_command("seed_demo", **options)` leaves, and its output in `stdout`."""
    global _snapshot
    stdout = stdout if stdout is not None else StringIO()
    if connection.vendor != "postgresql":
        call_command("seed_demo", stdout=stdout, **options)
        return
    if _snapshot is None:
        out = StringIO()
        call_command("seed_demo", stdout=out, **options)
        _snapshot = _take(out.getvalue())
    else:
        _restore(_snapshot)
    stdout.write(_snapshot.output)


def _tables() -> list[str]:
    return connection.introspection.table_names(include_views=False)


def _take(output: str) -> _Snapshot:
    tables = {}
    with connection.cursor() as cursor:
        for table in _tables():
            with cursor.cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        sequences = cursor.fetchall()
    media = Path(tempfile.mkdtemp(prefix="demo-media-"))
    if Path(settings.MEDIA_ROOT).exists():
        shutil.copytree(settings.MEDIA_ROOT, media, dirs_exist_ok=True)
    return _Snapshot(tables, sequences, media, output)


def _restore(snapshot: _Snapshot) -> None:
    with connection.cursor() as cursor:
        # Checks the test's own writes left deferred are run now: TRUNCATE refuses a table
        # with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET session_replication_role = replica")
        try:
            names = ", ".join(f'"{table}"' for table in snapshot.tables)
            cursor.execute(f"TRUNCATE {names}")
            for table, rows in snapshot.tables.items():
                with cursor.cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                    copy.write(rows)
            for sequence, value in snapshot.sequences:
                if value is None:
                    cursor.execute("SELECT setval(%s, 1, false)", [sequence])
                else:
                    cursor.execute("SELECT setval(%s, %s, true)", [sequence, value])
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    shutil.copytree(snapshot.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
