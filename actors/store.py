"""Persistence: generations and every event in SQLite (`<data-dir>/videogen.db`, WAL mode).

`Store` owns one connection and runs every statement on a worker thread, one at a time, so the
Trio thread never blocks on disk. Status, replay and resume read from here, which is why they
survive restarts. Schema changes are numbered migrations tracked in `PRAGMA user_version`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

import trio

from actors.events import ProgressEvent

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = ["GenerationRecord", "Store"]

P = ParamSpec("P")
T = TypeVar("T")

MIGRATIONS: Final[tuple[str, ...]] = (
    # 1: generations and their events
    """
    CREATE TABLE generations (
        id TEXT PRIMARY KEY,
        alias TEXT NOT NULL,
        client TEXT NOT NULL,
        topic TEXT NOT NULL,
        request TEXT NOT NULL,
        status TEXT NOT NULL,
        progress INTEGER NOT NULL,
        message TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        error TEXT,
        video_filename TEXT,
        content TEXT,
        script TEXT,
        subtitles TEXT
    );
    CREATE INDEX generations_alias ON generations (alias, created_at);
    CREATE INDEX generations_created ON generations (created_at);
    CREATE TABLE events (
        generation_id TEXT NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        status TEXT NOT NULL,
        progress INTEGER NOT NULL,
        message TEXT NOT NULL,
        at REAL NOT NULL,
        stage TEXT,
        PRIMARY KEY (generation_id, seq)
    ) WITHOUT ROWID;
    """,
    # 2: who owns a generation: the key's user (NULL: no user key) and the SHA-256 of its owner
    # token (NULL: made without one, e.g. by the CLI or before this migration; admin only)
    """
    ALTER TABLE generations ADD COLUMN owner_user TEXT;
    ALTER TABLE generations ADD COLUMN owner_token_hash TEXT;
    CREATE INDEX generations_owner ON generations (owner_user, created_at);
    """,
)


@dataclass(frozen=True, slots=True)
class GenerationRecord:
    """One row of `generations`: what `/api/status` and the listings show."""

    id: str
    alias: str
    client: str
    topic: str
    request: dict[str, Any]
    status: str
    progress: int
    message: str
    created_at: float
    updated_at: float
    error: str | None
    video_filename: str | None
    content: dict[str, Any] | None
    script: dict[str, Any] | None
    subtitles: str | None
    owner_user: str | None = None
    owner_token_hash: str | None = None


def _record(row: sqlite3.Row) -> GenerationRecord:
    def loads(text: str | None) -> Any:
        return json.loads(text) if text else None

    return GenerationRecord(
        id=row["id"],
        alias=row["alias"],
        client=row["client"],
        topic=row["topic"],
        request=json.loads(row["request"]),
        status=row["status"],
        progress=row["progress"],
        message=row["message"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        error=row["error"],
        video_filename=row["video_filename"],
        content=loads(row["content"]),
        script=loads(row["script"]),
        subtitles=row["subtitles"],
        owner_user=row["owner_user"],
        owner_token_hash=row["owner_token_hash"],
    )


def _event(gid: str, row: sqlite3.Row) -> ProgressEvent:
    return ProgressEvent(
        generation_id=gid,
        seq=row["seq"],
        status=row["status"],
        progress=row["progress"],
        message=row["message"],
        at=row["at"],
        stage=row["stage"],
    )


def _owned_by(user: str | None, client: str | None) -> tuple[str, tuple[str, ...]]:
    """An `AND …` clause keeping one user's (and/or one client's) generations; empty for all."""
    clause = ""
    args: tuple[str, ...] = ()
    if user is not None:
        clause, args = " AND owner_user = ?", (user,)
    if client is not None:
        clause, args = f"{clause} AND client = ?", (*args, client)
    return clause, args


class _Db:
    """The synchronous side: one connection, used by one worker thread at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.conn.executescript(f"BEGIN; {script}; PRAGMA user_version = {number}; COMMIT;")

    def insert(
        self,
        gid: str,
        alias: str,
        client: str,
        topic: str,
        request: str,
        owner: tuple[str | None, str | None] = (None, None),
    ) -> None:
        now = time.time()
        self.conn.execute(
            "INSERT INTO generations (id, alias, client, topic, request, status, progress,"
            " message, created_at, updated_at, owner_user, owner_token_hash)"
            " VALUES (?, ?, ?, ?, ?, 'queued', 0, '', ?, ?, ?, ?)",
            (gid, alias, client, topic, request, now, now, *owner),
        )

    def append(self, e: ProgressEvent) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute(
                "INSERT INTO events (generation_id, seq, status, progress, message, at, stage)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (e.generation_id, e.seq, e.status, e.progress, e.message, e.at, e.stage),
            )
            self.conn.execute(
                "UPDATE generations SET status = ?, progress = ?, message = ?, updated_at = ?"
                " WHERE id = ?",
                (e.status, e.progress, e.message, e.at, e.generation_id),
            )

    def set_fields(self, gid: str, fields: dict[str, str | None]) -> None:
        columns = ", ".join(f"{name} = ?" for name in fields)
        self.conn.execute(f"UPDATE generations SET {columns} WHERE id = ?", (*fields.values(), gid))

    def get(self, gid: str) -> GenerationRecord | None:
        row = self.conn.execute("SELECT * FROM generations WHERE id = ?", (gid,)).fetchone()
        return _record(row) if row else None

    def by_alias(self, alias: str, user: str | None) -> GenerationRecord | None:
        mine, args = _owned_by(user, None)
        row = self.conn.execute(
            f"SELECT * FROM generations WHERE alias = ?{mine} ORDER BY created_at DESC LIMIT 1",
            (alias, *args),
        ).fetchone()
        return _record(row) if row else None

    def listing(
        self, limit: int, before: float | None, user: str | None, client: str | None
    ) -> list[GenerationRecord]:
        mine, args = _owned_by(user, client)
        rows = self.conn.execute(
            f"SELECT * FROM generations WHERE created_at < ?{mine}"
            " ORDER BY created_at DESC LIMIT ?",
            (before if before is not None else float("inf"), *args, limit),
        ).fetchall()
        return [_record(r) for r in rows]

    def events(self, gid: str, after_seq: int) -> list[ProgressEvent]:
        rows = self.conn.execute(
            "SELECT * FROM events WHERE generation_id = ? AND seq > ? ORDER BY seq",
            (gid, after_seq),
        ).fetchall()
        return [_event(gid, r) for r in rows]

    def unfinished(self) -> list[tuple[str, int, int]]:
        """(id, last seq, last progress) of every generation that never reached a terminal."""
        rows = self.conn.execute(
            "SELECT g.id, g.progress, COALESCE(MAX(e.seq), 0) AS seq FROM generations g"
            " LEFT JOIN events e ON e.generation_id = g.id"
            " WHERE g.status NOT IN ('completed', 'error', 'cancelled', 'interrupted')"
            " GROUP BY g.id"
        ).fetchall()
        return [(r["id"], r["seq"], r["progress"]) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT status, COUNT(*) AS n FROM generations GROUP BY status")
        return {r["status"]: r["n"] for r in rows}


class Store:
    """Async access to the database; every call runs on a worker thread, one at a time.

    Open with `Store.open(path)` and close with `aclose()`. Raises `sqlite3.Error` subclasses
    unchanged when the database itself fails.
    """

    def __init__(self, db: _Db, path: Path) -> None:
        self._db = db
        self.path = path
        self._limiter = trio.CapacityLimiter(1)

    @classmethod
    async def open(cls, path: Path) -> Store:
        """Open (creating and migrating as needed) the database at `path`."""
        db = await trio.to_thread.run_sync(_Db, path)
        return cls(db, path)

    async def aclose(self) -> None:
        """Close the connection."""
        await self._run(self._db.conn.close)

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        def call() -> T:
            return fn(*args, **kwargs)

        return await trio.to_thread.run_sync(call, limiter=self._limiter)

    async def insert(
        self,
        gid: str,
        *,
        alias: str,
        client: str,
        topic: str,
        request: dict[str, Any],
        owner: tuple[str | None, str | None] = (None, None),
    ) -> None:
        """Record a newly admitted generation as `queued`; `owner` is (user, token hash)."""
        await self._run(self._db.insert, gid, alias, client, topic, json.dumps(request), owner)

    async def append(self, event: ProgressEvent) -> None:
        """Record an event and make it the generation's current status, atomically."""
        await self._run(self._db.append, event)

    async def set_artifacts(self, gid: str, **fields: str | None) -> None:
        """Store finished artifacts: content and script (JSON), subtitles, video name, error."""
        allowed = {"content", "script", "subtitles", "video_filename", "error"}
        if not fields.keys() <= allowed:
            raise ValueError(f"unknown fields {sorted(fields.keys() - allowed)}")
        await self._run(self._db.set_fields, gid, dict(fields))

    async def get(self, gid: str) -> GenerationRecord | None:
        """The generation with this exact id, or None."""
        return await self._run(self._db.get, gid)

    async def by_alias(self, alias: str, *, user: str | None = None) -> GenerationRecord | None:
        """The most recent generation whose documented (reference) id is `alias`, or None.

        With `user`, only that user's generations count.
        """
        return await self._run(self._db.by_alias, alias, user)

    async def listing(
        self,
        *,
        limit: int,
        before: float | None = None,
        user: str | None = None,
        client: str | None = None,
    ) -> list[GenerationRecord]:
        """Generations newest first, created strictly before `before` when given.

        With `user` (or `client`), only the generations of that user (or client address).
        """
        return await self._run(self._db.listing, limit, before, user, client)

    async def events(self, gid: str, *, after_seq: int = 0) -> list[ProgressEvent]:
        """The generation's events after `after_seq`, in order."""
        return await self._run(self._db.events, gid, after_seq)

    async def unfinished(self) -> list[tuple[str, int, int]]:
        """Generations without a terminal event: (id, last seq, last progress)."""
        return await self._run(self._db.unfinished)

    async def counts(self) -> dict[str, int]:
        """How many generations are in each status."""
        return await self._run(self._db.counts)
