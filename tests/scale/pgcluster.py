"""A private PostgreSQL primary and hot standby on free ports, for the tests that need a real
replica (the machine's own server on 5432 refuses replication connections).

Made from the PostgreSQL 15 server binaries (initdb, pg_ctl, pg_basebackup), as the
`postgres` OS user when the tests run as root (initdb refuses root), with trust
authentication on 127.0.0.1 only; thrown away at the end of the session."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "postgres")


def missing_binaries() -> list[str]:
    return [name for name in NEEDED if not (PG_BIN / name).is_file()]


def free_ports(count: int) -> list[int]:
    """Ports nobody listens on now (held open together, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Cluster:
    root: Path
    primary_port: int
    replica_port: int

    def url(self, port: int, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def primary_url(self, database: str) -> str:
        return self.url(self.primary_port, database)

    def replica_url(self, database: str) -> str:
        return self.url(self.replica_port, database)


def _as_server_user() -> tuple[list[str], pwd.struct_passwd | None]:
    """initdb and the server refuse to run as root: then they run as `postgres`."""
    if os.geteuid() != 0:
        return [], None
    try:
        account = pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError(
            "running as root, and there is no `postgres` OS user to run initdb as"
        ) from None
    runuser = shutil.which("runuser") or shutil.which("su")
    if runuser is None or not runuser.endswith("runuser"):
        raise RuntimeError("running as root without `runuser` to start PostgreSQL as postgres")
    return [runuser, "-u", "postgres", "--"], account


def _run(prefix, *args):
    result = subprocess.run([*prefix, *map(str, args)], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def start() -> Cluster:
    prefix, account = _as_server_user()
    root = Path(tempfile.mkdtemp(prefix="hw-replica-"))
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)
    cluster = Cluster(root, *free_ports(2))
    bin_ = PG_BIN
    try:
        _run(prefix, bin_ / "initdb", "-D", root / "primary", "-A", "trust", "-U", "postgres",
             "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        # Nothing here must survive a crash: no fsync, small memory.
        common = f"-k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=32MB"
        _run(prefix, bin_ / "pg_ctl", "-D", root / "primary", "-l", root / "primary.log", "-w",
             "-o", f"-p {cluster.primary_port} {common}", "start")  # fmt: skip
        _run(prefix, bin_ / "pg_basebackup", "-h", "127.0.0.1", "-p", cluster.primary_port,
             "-U", "postgres", "-D", root / "replica", "-R", "-X", "stream")  # fmt: skip
        _run(prefix, bin_ / "pg_ctl", "-D", root / "replica", "-l", root / "replica.log", "-w",
             "-o", f"-p {cluster.replica_port} {common} -c hot_standby=on", "start")  # fmt: skip
    except Exception:
        stop(cluster)
        raise
    return cluster


def stop(cluster: Cluster) -> None:
    prefix, _account = _as_server_user()
    stopping = [
        subprocess.Popen(
            [
                *prefix,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(cluster.root / name),
                "-m",
                "immediate",
                "stop",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for name in ("replica", "primary")
        if (cluster.root / name / "postmaster.pid").exists()
    ]
    for process in stopping:
        process.wait()
    shutil.rmtree(cluster.root, ignore_errors=True)


def copy_database(source: dict, cluster: Cluster, database: str) -> None:
    """The session's test database (schema and what its migrations wrote) into a new
    database on the private primary; the standby follows by itself."""
    psql = ["psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-U", "postgres"]
    port = str(cluster.primary_port)
    _run([], *psql, "-p", port, "-d", "postgres", "-c", f'CREATE DATABASE "{database}"')
    env = {**os.environ, "PGPASSWORD": source.get("PASSWORD") or ""}
    dump = subprocess.Popen(
        ["pg_dump", "--no-owner", "--no-privileges", "-h", source.get("HOST") or "127.0.0.1",
         "-p", str(source.get("PORT") or 5432), "-U", source.get("USER") or "postgres",
         source["NAME"]],
        stdout=subprocess.PIPE, env=env,
    )  # fmt: skip
    load = subprocess.run(
        [*psql, "-1", "-p", port, "-d", database], stdin=dump.stdout, capture_output=True, text=True
    )
    dump.stdout.close()
    if dump.wait() != 0 or load.returncode != 0:
        raise RuntimeError(f"copying the test database failed:\n{load.stderr[-2000:]}")


def wait_replayed(cluster: Cluster, database: str, timeout: float = 20) -> None:
    """Until the standby has replayed everything the primary has written so far."""
    psql = ["psql", "-tA", "-h", "127.0.0.1", "-U", "postgres", "-d", database]
    position = _run([], *psql, "-p", cluster.primary_port, "-c", "SELECT pg_current_wal_lsn()")
    check = f"SELECT pg_last_wal_replay_lsn() >= '{position.strip()}'::pg_lsn"
    deadline = time.monotonic() + timeout
    while _run([], *psql, "-p", cluster.replica_port, "-c", check).strip() != "t":
        if time.monotonic() > deadline:
            raise RuntimeError("the standby did not catch up with the primary")
        time.sleep(0.1)
