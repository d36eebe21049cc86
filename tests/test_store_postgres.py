"""What only a PostgreSQL store meets: a server that drops its connections (a restart, a
failover), one that cannot be reached, a URL that names no database, and the flag that selects
it. The behaviours both stores share are tested on both (test_store_busy, test_store_migrations,
test_store_postgres_e2e)."""

from __future__ import annotations

import argparse
import socket
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
import trio

from tests.processes import running
from videogen.actors.adapters.store import Store, check_database, database
from videogen.actors.adapters.store_pg import redacted, translate
from videogen.actors.errors import StoreCorrupt, StoreUnavailable
from videogen.actors.limits import STORE_LOOKUP_CONNECTIONS, STORE_RETRY_INTERVAL
from videogen.actors.runtime.events import ProgressEvent
from videogen.server.settings import add_serve_arguments, settings_from_args

if TYPE_CHECKING:
    from tests.postgres import PostgresServer


def _drop_connections(url: str) -> int:
    """What a server restart does to the store: every videogen connection is terminated."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'videogen' AND datname = current_database()"
        ).fetchall()
    return len(rows)


def _event(gid: str, seq: int, status: str) -> ProgressEvent:
    return ProgressEvent(gid, seq, status, 0, status, at=time.time())  # type: ignore[arg-type]


async def test_connections_the_server_dropped_are_opened_again(pg_url: str) -> None:
    store = await Store.open(pg_url)
    try:
        gid = "dropped-abcdefgh"
        await store.insert(gid, alias="d", client="c", topic="t", request={})
        await store.append(_event(gid, 1, "queued"))
        # The writer, the reader and the point reads' connections.
        assert _drop_connections(pg_url) == 2 + STORE_LOOKUP_CONNECTIONS
        # A read is tried again on a fresh connection: no error reaches the caller.
        record = await store.get(gid)
        assert record is not None and record.status == "queued"
        # The write that meets the dropped connection is queued (StoreUnavailable inside),
        # read back as written, and lands on the next try, on a new connection.
        await store.append(_event(gid, 2, "started"))
        assert store.pending == 1 and store.failure is not None
        assert "cannot be reached" in store.failure
        assert [e.seq for e in await store.events(gid)] == [1, 2]
        with trio.fail_after(STORE_RETRY_INTERVAL + 5):
            await store.settle()
        assert store.pending == 0 and store.failure is None
        with psycopg.connect(pg_url) as conn:
            row = conn.execute("SELECT status FROM generations WHERE id = %s", (gid,)).fetchone()
        assert row == ("started",)
    finally:
        await store.aclose()


async def test_a_point_read_never_waits_behind_the_readers_work(pg_url: str) -> None:
    """A status (one generation by id or alias) has connections of its own: a replay or a
    listing holding the reader does not delay it."""
    store = await Store.open(pg_url)
    try:
        gid = "point-abcdefgh"
        await store.insert(gid, alias="p", client="c", topic="t", request={})
        async with store._read_limiter:  # the reader busy with a long replay
            with trio.fail_after(10):
                found = await store.get(gid)
                by_alias = await store.by_alias("p")
        assert found is not None and by_alias is not None and by_alias.id == gid
    finally:
        await store.aclose()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


async def test_a_server_that_cannot_be_reached_is_unavailable_not_corrupt() -> None:
    url = f"postgresql://videogen:secret@127.0.0.1:{_closed_port()}/videogen"
    with pytest.raises(StoreUnavailable) as refused:
        await Store.open(url)
    assert "cannot be reached" in str(refused.value)
    assert refused.value.retry_after >= 1
    with pytest.raises(StoreUnavailable):
        check_database(url)  # `videogen serve` says so in one line, exit 1


async def test_a_url_naming_no_database_is_refused_naming_it_without_its_password(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.url("no_such_db").replace("postgres@", "postgres:hunter2@")
    with pytest.raises(StoreCorrupt) as refused:
        check_database(url)
    assert "no_such_db" in str(refused.value)
    assert "hunter2" not in str(refused.value)
    assert redacted(url) in str(refused.value)


def test_translated_migrations_keep_sqlite_numbering_and_lose_its_dialect() -> None:
    from videogen.actors.adapters.store_pg import migrations
    from videogen.actors.adapters.store_sql import MIGRATIONS

    pg = migrations()
    assert len(pg) == len(MIGRATIONS)  # a new SQLite migration is a new PostgreSQL one
    for script in pg:
        assert "WITHOUT ROWID" not in script
        assert " REAL " not in f" {script} ".replace(",", " ")
    assert translate("at REAL NOT NULL) WITHOUT ROWID;") == "at DOUBLE PRECISION NOT NULL);"


def _serve_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return parser.parse_args(argv)


def test_database_url_selects_postgresql_from_the_flag_or_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert settings_from_args(_serve_args([])).registry.database_url is None
    config = settings_from_args(_serve_args(["--data-dir", "/tmp/d"])).registry
    assert database(config.data_dir, config.database_url) == Path("/tmp/d/videogen.db")
    url = "postgresql://u@db.example/videogen"
    assert settings_from_args(_serve_args(["--database-url", url])).registry.database_url == url
    monkeypatch.setenv("VIDEOGEN_DATABASE_URL", url)
    assert settings_from_args(_serve_args([])).registry.database_url == url
    with pytest.raises(SystemExit) as bad:
        _serve_args(["--database-url", "mysql://u@h/db"])
    assert bad.value.code == 2
    err = capsys.readouterr().err
    assert "--database-url" in err and "'mysql' is not a database URL" in err
    assert "postgresql://" in err


def test_the_test_server_is_stopped_and_removed_when_its_block_fails() -> None:
    from tests.postgres import bindir, running_postgres

    binaries = bindir()
    assert binaries is not None  # this module's other tests already needed a server
    seen: dict[str, Any] = {}

    def failing_test() -> None:
        with running_postgres(binaries) as pg:
            seen["root"] = pg.root
            seen["pid"] = int((pg.root / "data" / "postmaster.pid").read_text().splitlines()[0])
            psycopg.connect(pg.url(), connect_timeout=2).close()
            raise RuntimeError("a test failed")

    with pytest.raises(RuntimeError, match="a test failed"):
        failing_test()
    assert not seen["root"].exists()
    assert not running(seen["pid"])  # the postmaster is gone, not left behind


async def test_a_read_only_database_refuses_writes_as_unavailable_and_the_probe_says_so(
    pg_url: str, postgres_server: PostgresServer
) -> None:
    store = await Store.open(pg_url)
    try:
        await store.insert("ro-abcdefgh", alias="ro", client="c", topic="t", request={})
        assert await store.probe() is None
        name = pg_url.rsplit("/", 1)[1]
        postgres_server.admin(f"ALTER DATABASE {name} SET default_transaction_read_only = on")
        _drop_connections(pg_url)  # the setting applies to new sessions
        # A write is not tried twice (it may have landed): the dropped connection is a 503 once.
        with pytest.raises(StoreUnavailable, match="cannot be reached"):
            await store.insert("ro2-abcdefgh", alias="ro", client="c", topic="t", request={})
        with pytest.raises(StoreUnavailable, match="read-only"):
            await store.insert("ro2-abcdefgh", alias="ro", client="c", topic="t", request={})
        assert "read-only" in (await store.probe() or "")
        await store.append(_event("ro-abcdefgh", 1, "queued"))  # queued, read back
        assert store.pending == 1 and [e.seq for e in await store.events("ro-abcdefgh")] == [1]
        postgres_server.admin(f"ALTER DATABASE {name} SET default_transaction_read_only = off")
        _drop_connections(pg_url)
        with trio.fail_after(STORE_RETRY_INTERVAL + 5):
            await store.settle()
        assert store.pending == 0 and await store.probe() is None
    finally:
        await store.aclose()


@pytest.mark.parametrize("reason", ["unreachable", "no database"])
def test_serve_with_a_database_it_cannot_use_is_one_line_exit_1(
    tmp_path: Path, postgres_server: PostgresServer, reason: str
) -> None:
    from tests.test_server_e2e import free_port
    from tests.test_startup import one_line, run

    if reason == "unreachable":
        url, expected = f"postgresql://u:hunter2@127.0.0.1:{_closed_port()}/v", "cannot be reached"
    else:
        url = postgres_server.url("nowhere").replace("postgres@", "postgres:hunter2@")
        expected = '"nowhere" does not exist'
    done = run(
        "serve", "--data-dir", str(tmp_path / "data"), "--port", str(free_port()),
        "--database-url", url,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    line = one_line(done)
    assert expected in line and "hunter2" not in line
    assert "serving on" not in done.stderr


async def test_text_with_nul_is_written_not_refused(pg_url: str) -> None:
    """PostgreSQL's text holds no NUL (SQLite's does): a topic or a failure's message with one
    is stored with U+FFFD in its place, never a refused write."""
    store = await Store.open(pg_url)
    try:
        gid = "nul-abcdefgh"
        topic = "Null\x00bytes"
        await store.insert(gid, alias="n\x00", client="c", topic=topic, request={"topic": topic})
        event = ProgressEvent(gid, 1, "error", 0, "broke at \x00", at=time.time())
        await store.append(event)
        await store.set_artifacts(gid, error="ffmpeg said \x00\x00")
        await store.settle()
        record = await store.get(gid)
        assert record is not None
        assert record.topic == "Null\ufffdbytes" and record.error == "ffmpeg said \ufffd\ufffd"
        assert record.status == "error" and record.message == "broke at \ufffd"
        assert (await store.by_alias("n\ufffd")) is not None
        assert [e.message for e in await store.events(gid)] == ["broke at \ufffd"]
    finally:
        await store.aclose()
