"""A real PostgreSQL for the tests: Debian's `postgresql` package, one server per test session.

`postgres_server` (session) runs `initdb` into a temp dir as the `postgres` user (CI runs as
root, and PostgreSQL refuses to run as root), starts it on a free loopback port with its unix
socket in that dir, waits until it accepts connections, and stops it at the end — `pg_ctl stop
-m fast`, then SIGKILL of the postmaster — on failure too. `pg_url` (per test) creates a
database of its own and drops it afterwards. `store_target` runs a test on both stores.

Without PostgreSQL's binaries the postgres cases are skipped, saying why; in CI (`CI=true`)
they fail instead: CI installs `postgresql` (the Makefile's system step).
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = [
    "PostgresServer",
    "bindir",
    "pg_url",
    "postgres_server",
    "running_postgres",
    "store_target",
]

# How long the server may take to start and to stop.
_START_TIMEOUT: Final = 30
_STOP_TIMEOUT: Final = 10


def _bindir() -> Path | None:
    """The directory of `initdb` and `pg_ctl`: on PATH, else Debian's newest version's."""
    found = shutil.which("initdb")
    if found is not None:
        return Path(found).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def _as_postgres() -> list[str]:
    """The prefix that runs a command as the `postgres` user when we are root."""
    if os.geteuid() != 0:
        return []
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--"]
    return ["su", "postgres", "-s", "/bin/sh", "-c"]  # pragma: no cover (runuser is util-linux)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    """A running server: `url(db)` connects to database `db` as the superuser over TCP."""

    root: Path
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)


def _run(cmd: list[str], *, timeout: float) -> None:
    prefix = _as_postgres()
    if prefix and prefix[0] == "su":  # su takes one shell string
        import shlex

        cmd = [*prefix, shlex.join(cmd)]
    else:
        cmd = [*prefix, *cmd]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{cmd} exited {done.returncode}: {done.stdout}{done.stderr}")


def _kill_postmaster(data: Path) -> None:
    pidfile = data / "postmaster.pid"
    with contextlib.suppress(OSError, ValueError, IndexError):
        pid = int(pidfile.read_text().splitlines()[0])
        os.kill(pid, signal.SIGKILL)


def bindir() -> Path | None:
    """Where PostgreSQL's binaries are, None when not installed."""
    return _bindir()


@contextlib.contextmanager
def running_postgres(binaries: Path) -> Iterator[PostgresServer]:
    """A fresh cluster in a temp dir, running until the block ends (stopped, then killed if it
    will not stop, and its dir removed — whatever the block raised)."""
    root = Path(tempfile.mkdtemp(prefix="videogen-pg-"))
    data, log = root / "data", root / "log"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    started = False
    try:
        _run(
            [str(binaries / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
             "-E", "UTF8", "--no-sync"],
            timeout=120,
        )  # fmt: skip
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off"
        )
        started = True  # from here on, a postmaster may run: stop it whatever happens
        _run(
            [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w",
             "-t", str(_START_TIMEOUT), "start"],
            timeout=_START_TIMEOUT + 5,
        )  # fmt: skip
        server = PostgresServer(root, port)
        _wait_accepting(server)
        yield server
    finally:
        if started:
            try:
                _run(
                    [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                     "-t", str(_STOP_TIMEOUT), "stop"],
                    timeout=_STOP_TIMEOUT + 5,
                )  # fmt: skip
            except (RuntimeError, subprocess.TimeoutExpired):
                _kill_postmaster(data)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    binaries = _bindir()
    if binaries is None:
        reason = "PostgreSQL's binaries (initdb, pg_ctl) are not installed (apt: postgresql)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; CI must install them (make system)")
        pytest.skip(reason)
    with running_postgres(binaries) as server:
        yield server


def _wait_accepting(server: PostgresServer) -> None:
    """Until a connection succeeds (pg_ctl -w waits too; this is what the tests need)."""
    import psycopg

    deadline = time.monotonic() + _START_TIMEOUT
    while True:
        try:
            psycopg.connect(server.url(), connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def pg_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh database of this test's own, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    postgres_server.admin(f"CREATE DATABASE {name}")
    try:
        yield postgres_server.url(name)
    finally:
        postgres_server.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgres"])
def store_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a store test's database is: SQLite in `tmp_path`, or a PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "videogen.db"
    url: str = request.getfixturevalue("pg_url")
    return url
