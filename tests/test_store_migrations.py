"""Store migrations (`PRAGMA user_version` on SQLite, the `videogen_schema` row on PostgreSQL):
a database written at any older schema version opens at the newest and keeps every row; one
written by a newer videogen is refused, naming the file (or URL), before anything reads or
writes it. Every test runs on both stores (`store_target`)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from videogen.actors.adapters.store import MIGRATIONS, Store, check_database
from videogen.actors.errors import StoreCorrupt
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from videogen.actors.adapters.store import Target

NEWEST = len(MIGRATIONS)


class _Pg:
    """The few statements these tests need, on PostgreSQL, with SQLite's placeholders."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.conn = psycopg.connect(url, autocommit=True)

    def execute(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), args)

    def executemany(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), rows)

    def close(self) -> None:
        self.conn.close()


def _connect(target: Target) -> Any:
    if isinstance(target, Path):
        return sqlite3.connect(target, isolation_level=None)
    return _Pg(target)


def _set_version(conn: Any, target: Target, version: int) -> None:
    if isinstance(target, Path):
        conn.execute(f"PRAGMA user_version = {version}")
    else:
        conn.execute("CREATE TABLE IF NOT EXISTS videogen_schema (version INTEGER NOT NULL)")
        conn.execute("DELETE FROM videogen_schema")
        conn.execute("INSERT INTO videogen_schema (version) VALUES (?)", (version,))


def _old_database(target: Target, version: int) -> None:
    """A database as the videogen of schema `version` left it, with one generation of the v1
    columns (every later version kept them) and two of its events."""
    conn = _connect(target)
    try:
        if isinstance(target, Path):
            for number, script in enumerate(MIGRATIONS[:version], start=1):
                conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")
        else:
            from videogen.actors.adapters.store_pg import migrations

            for script in migrations()[:version]:
                conn.execute(script)
            _set_version(conn, target, version)
        if version >= 1:
            conn.execute(
                "INSERT INTO generations (id, alias, client, topic, request, status, progress,"
                " message, created_at, updated_at, error, video_filename, content, script,"
                " subtitles) VALUES ('old-aaaaaaaa', 'old', '10.0.0.1', 'Tides',"
                " '{\"topic\": \"Tides\"}', 'completed', 100, 'done', 1.0, 2.0, NULL,"
                " 'old-aaaaaaaa.mp4', '{\"slides\": []}', NULL, 'WEBVTT')"
            )
            conn.executemany(
                "INSERT INTO events (generation_id, seq, status, progress, message, at, stage)"
                " VALUES ('old-aaaaaaaa', ?, ?, ?, ?, ?, ?)",
                [(1, "queued", 0, "queued", 1.0, None), (2, "completed", 100, "done", 2.0, None)],
            )
    finally:
        conn.close()


def _version(target: Target) -> int:
    conn = _connect(target)
    try:
        sql = (
            "PRAGMA user_version"
            if isinstance(target, Path)
            else "SELECT version FROM videogen_schema"
        )
        version: int = conn.execute(sql).fetchone()[0]
        return version
    finally:
        conn.close()


@pytest.mark.parametrize("version", range(NEWEST))
async def test_an_older_database_migrates_to_the_newest_and_keeps_its_rows(
    store_target: Target, version: int
) -> None:
    path = store_target
    _old_database(path, version)
    store = await Store.open(path)
    try:
        assert _version(path) == NEWEST
        if version >= 1:
            record = await store.get("old-aaaaaaaa")
            assert record is not None
            assert (record.topic, record.status, record.progress) == ("Tides", "completed", 100)
            assert record.request == {"topic": "Tides"}
            assert record.content == {"slides": []}
            assert record.video_filename == "old-aaaaaaaa.mp4"
            assert record.subtitles == "WEBVTT"
            assert (record.owner_user, record.owner_token_hash) == (None, None)  # admin only
            assert (record.parent_id, record.version) == (None, 0)  # no revision, no edit
            events = await store.events("old-aaaaaaaa")
            assert [(e.seq, e.status) for e in events] == [(1, "queued"), (2, "completed")]
            assert await store.by_alias("old") == record
        # The migrated database takes what the newest schema has: an owned generation.
        await store.insert(
            "new-bbbbbbbb",
            alias="new",
            client="10.0.0.2",
            topic="Moons",
            request={"topic": "Moons"},
            owner=("ada", "f" * 64),
        )
        await store.append(ProgressEvent("new-bbbbbbbb", 1, "queued", 0, "queued", at=3.0))
        # ... and a revision of the old one, made with its content, waiting for review.
        await store.insert(
            "rev-cccccccc",
            alias="old",
            client="10.0.0.2",
            topic="Tides",
            request={"topic": "Tides"},
            draft=("old-aaaaaaaa", '{"slides": [1]}', '{"slide_scripts": []}'),
        )
        await store.append(ProgressEvent("rev-cccccccc", 1, "awaiting_review", 20, "r", at=4.0))
        assert await store.edit_draft("rev-cccccccc", "{}", "{}", version=1) is None  # stale
        assert await store.edit_draft("rev-cccccccc", "{}", "{}", version=0) == 1
        revision = await store.get("rev-cccccccc")
        assert revision is not None
        assert (revision.parent_id, revision.version, revision.content) == ("old-aaaaaaaa", 1, {})
        assert await store.unfinished() == [("new-bbbbbbbb", 1, 0)]  # a draft is not lost work
        mine = await store.listing(limit=10, user="ada")
        assert [(r.id, r.owner_token_hash) for r in mine] == [("new-bbbbbbbb", "f" * 64)]
        assert await store.counts() == (
            {"completed": 1, "queued": 1, "awaiting_review": 1}
            if version >= 1
            else {"queued": 1, "awaiting_review": 1}
        )
    finally:
        await store.aclose()
    # Opening again migrates nothing more and loses nothing.
    check_database(path)
    assert _version(path) == NEWEST


async def test_a_database_from_a_newer_videogen_is_refused_naming_the_file(
    store_target: Target,
) -> None:
    path = store_target
    _old_database(path, NEWEST)
    conn = _connect(path)
    _set_version(conn, path, NEWEST + 1)
    conn.close()
    expected = (
        f"the database {path} cannot be used: its schema is version {NEWEST + 1}, newer than"
        f" this videogen's ({NEWEST}); run the videogen that wrote it"
    )
    with pytest.raises(StoreCorrupt) as refused:
        await Store.open(path)
    assert str(refused.value) == expected
    with pytest.raises(StoreCorrupt):
        check_database(path)  # the startup check, before anything is served
    assert _version(path) == NEWEST + 1  # untouched
    conn = _connect(path)
    assert conn.execute("SELECT COUNT(*) FROM generations").fetchone()[0] == 1
    conn.close()
