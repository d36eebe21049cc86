"""The synchronous side of the store: the schema and its migrations, rows as records, and one
SQLite connection (`Db`) that a worker thread uses at a time.

`store.Store` owns the `Db`s and the order of writes; this module only knows SQL. It maps
SQLite's refusals (busy, locked, read-only, full, I/O) to `StoreUnavailable`, and a file that is
not a usable database to `StoreCorrupt`.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from videogen.actors.errors import StoreBusy, StoreCorrupt, StoreUnavailable
from videogen.actors.limits import (
    STORE_BUSY_TIMEOUT,
    STORE_RETRY_INTERVAL,
)
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "MIGRATIONS",
    "Db",
    "GenerationRecord",
    "Write",
    "check_database",
    "open_db",
    "probe_write",
    "unavailable",
]


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
    # 3: the artifact cache's index (`artifact_cache`): one row per artifact directory, whose
    # files are whole (written, synced, renamed into place) before the row is written
    """
    CREATE TABLE artifacts (
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        last_used REAL NOT NULL,
        PRIMARY KEY (kind, key)
    ) WITHOUT ROWID;
    CREATE INDEX artifacts_lru ON artifacts (last_used);
    """,
    # 4: review before rendering and revisions: the generation a revision was made from, and
    # the version of a draft's content and script (each edit adds one; a stale edit is refused)
    """
    ALTER TABLE generations ADD COLUMN parent_id TEXT;
    ALTER TABLE generations ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    """,
    # 5: how much of a finished render came from the artifact cache, as JSON
    # (`stages.messages.Reuse`); NULL: no cache
    """
    ALTER TABLE generations ADD COLUMN reuse TEXT;
    """,
    # 6: replicas on one PostgreSQL (`runtime.replicas`): which replica runs a generation, until
    # when its lease holds (epoch seconds), and a cancel asked on another replica. Unused on
    # SQLite, where one process owns the data dir.
    """
    ALTER TABLE generations ADD COLUMN claimed_by TEXT;
    ALTER TABLE generations ADD COLUMN lease_until REAL;
    ALTER TABLE generations ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
    """,
    # 7: the cluster's work queue and rate limit (PostgreSQL with replicas: `runtime.pulling`,
    # `adapters.queue_pg`, `adapters.ratelimit_pg`): since when a generation waits in the
    # database for any replica's free slot (NULL: it is not waiting there), the one replica that
    # may run it (its uploads are on that replica's disk; NULL: any), and one token bucket per
    # client. Unused on SQLite, where one process queues in memory and limits per process.
    """
    ALTER TABLE generations ADD COLUMN waiting_since REAL;
    ALTER TABLE generations ADD COLUMN pinned_to TEXT;
    CREATE INDEX generations_waiting ON generations (waiting_since);
    CREATE TABLE rate_buckets (
        key TEXT PRIMARY KEY,
        tokens REAL NOT NULL,
        at REAL NOT NULL,
        granted INTEGER NOT NULL
    ) WITHOUT ROWID;
    """,
    # 8: browser sessions shared by replicas (`adapters.sessions_pg`): the SHA-256 of the
    # cookie's id, whose they are, until when (epoch seconds). Unused on SQLite, where one
    # process keeps its sessions in memory.
    """
    CREATE TABLE sessions (
        digest TEXT PRIMARY KEY,
        user_name TEXT,
        admin INTEGER NOT NULL,
        expires_at REAL NOT NULL
    );
    CREATE INDEX sessions_expiry ON sessions (expires_at);
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
    parent_id: str | None = None
    """The generation this one is a revision of (None: not a revision)."""
    version: int = 0
    """How many edits its draft's content and script have had."""
    reuse: dict[str, Any] | None = None
    """What came from the artifact cache (`slides_reused`, `slides_total`, per kind)."""
    claimed_by: str | None = None
    """The replica running it (PostgreSQL with replicas, `runtime.replicas`); None otherwise."""


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
        reuse=loads(row["reuse"]),
        owner_user=row["owner_user"],
        owner_token_hash=row["owner_token_hash"],
        parent_id=row["parent_id"],
        version=row["version"],
        claimed_by=row["claimed_by"],
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


Write = tuple[str, dict[str, str | None]] | ProgressEvent
"""A queued write: an event, or (generation id, artifact fields)."""

# SQLite's primary result codes for a refusal that passes: the database is busy or locked by
# another connection, read-only, its disk failed or is full, or its file cannot be opened (a
# vanished mount). Writes are kept for all of them: losing a terminal event is worse.
_SQLITE_BUSY: Final = 5
_SQLITE_LOCKED: Final = 6
_SQLITE_READONLY: Final = 8
_SQLITE_IOERR: Final = 10
_SQLITE_FULL: Final = 13
_SQLITE_CANTOPEN: Final = 14


def unavailable(exc: sqlite3.Error) -> StoreUnavailable | None:
    """The domain error for a refusal that passes; None for any other database error."""
    code = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
    retry = math.ceil(STORE_RETRY_INTERVAL)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return StoreBusy("the database is locked by another connection", retry_after=retry)
    if code == _SQLITE_FULL:
        return StoreUnavailable("the disk holding the database is full", retry_after=retry)
    if code == _SQLITE_READONLY:
        return StoreUnavailable("the database cannot be written (read-only)", retry_after=retry)
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return StoreUnavailable(f"the database's disk failed ({exc})", retry_after=retry)
    return None


class Db:
    """The synchronous side: one connection, used by one worker thread at a time.

    The store opens two: the writer (which migrates) and a reader (`migrate=False`).
    """

    def __init__(self, path: Path, *, migrate: bool = True) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=STORE_BUSY_TIMEOUT
        )
        self.conn.row_factory = sqlite3.Row
        if migrate:
            self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        if migrate:
            self._migrate(path)

    def close(self) -> None:
        self.conn.close()

    def _migrate(self, path: Path) -> None:
        """Bring the schema to the newest version; raises `StoreCorrupt` for a database a newer
        videogen wrote (its tables may mean what this one cannot know: never guess)."""
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            self.conn.close()
            raise StoreCorrupt(
                os.fspath(path),
                f"its schema is version {version}, newer than this videogen's"
                f" ({len(MIGRATIONS)}); run the videogen that wrote it",
            )
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
        draft: tuple[str, str, str] | None = None,
    ) -> None:
        """`draft` (parent id, content JSON, script JSON): a revision, made with its content."""
        now = time.time()
        parent, content, script = draft if draft is not None else (None, None, None)
        self.conn.execute(
            "INSERT INTO generations (id, alias, client, topic, request, status, progress,"
            " message, created_at, updated_at, owner_user, owner_token_hash, parent_id,"
            " content, script)"
            " VALUES (?, ?, ?, ?, ?, 'queued', 0, '', ?, ?, ?, ?, ?, ?, ?)",
            (gid, alias, client, topic, request, now, now, *owner, parent, content, script),
        )

    def edit_draft(self, gid: str, content: str, script: str, version: int) -> int | None:
        """Replace a draft's content and script if it still awaits review at `version`;
        the new version, or None when it does not (edited meanwhile, or no longer a draft)."""
        cursor = self.conn.execute(
            "UPDATE generations SET content = ?, script = ?, version = version + 1"
            " WHERE id = ? AND version = ? AND status = 'awaiting_review'",
            (content, script, gid, version),
        )
        return version + 1 if cursor.rowcount == 1 else None

    def append(self, e: ProgressEvent) -> None:
        """One event and the status it makes current; call inside `write_batch`'s transaction."""
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

    def write_batch(self, writes: Sequence[Write]) -> None:
        """Apply queued writes in order, in one transaction: all of them or none."""
        # IMMEDIATE takes the write lock up front, so a busy database is met (and waited for)
        # here, not half-way through the batch.
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            for write in writes:
                if isinstance(write, ProgressEvent):
                    self.append(write)
                else:
                    self.set_fields(*write)
            self.conn.execute("COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

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
        """(id, last seq, last progress) of every generation that never reached a terminal,
        except drafts awaiting review: they wait across restarts."""
        rows = self.conn.execute(
            "SELECT g.id, g.progress, COALESCE(MAX(e.seq), 0) AS seq FROM generations g"
            " LEFT JOIN events e ON e.generation_id = g.id"
            " WHERE g.status NOT IN ('completed', 'error', 'cancelled', 'interrupted',"
            " 'awaiting_review')"
            " GROUP BY g.id"
        ).fetchall()
        return [(r["id"], r["seq"], r["progress"]) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self.conn.execute("SELECT status, COUNT(*) AS n FROM generations GROUP BY status")
        return {r["status"]: r["n"] for r in rows}

    # -- the artifact cache's index (`artifact_cache.ArtifactCache` owns the files) ------------

    def artifact_bytes(self, kind: str, key: str) -> int | None:
        """The recorded size of one artifact, None when it has no row."""
        row = self.conn.execute(
            "SELECT bytes FROM artifacts WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return None if row is None else int(row["bytes"])

    def artifact_record(self, kind: str, key: str, size: int, used: float) -> None:
        """Record (or touch) one artifact: its size and when it was last used."""
        self.conn.execute(
            "INSERT INTO artifacts (kind, key, bytes, last_used) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (kind, key) DO UPDATE SET bytes = excluded.bytes,"
            " last_used = MAX(last_used, excluded.last_used)",
            (kind, key, size, used),
        )

    def artifact_forget(self, kind: str, key: str) -> None:
        self.conn.execute("DELETE FROM artifacts WHERE kind = ? AND key = ?", (kind, key))

    def artifact_total(self) -> int:
        """Bytes of every recorded artifact."""
        return int(self.conn.execute("SELECT COALESCE(SUM(bytes), 0) FROM artifacts").fetchone()[0])

    def artifact_rows(self) -> list[tuple[str, str, int, float]]:
        """(kind, key, bytes, last used) of every artifact, least recently used first."""
        rows = self.conn.execute(
            "SELECT kind, key, bytes, last_used FROM artifacts ORDER BY last_used, kind, key"
        ).fetchall()
        return [(r["kind"], r["key"], int(r["bytes"]), float(r["last_used"])) for r in rows]

    def statuses(self) -> dict[str, str]:
        """Every generation's id and current status."""
        rows = self.conn.execute("SELECT id, status FROM generations")
        return {r["id"]: r["status"] for r in rows}


def probe_write(path: Path, timeout: float) -> str | None:
    """Whether a write could start now, on a connection of its own; None, or why not."""
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        refusal = unavailable(exc)
        return str(refusal) if refusal is not None else f"{type(exc).__name__}: {exc}"
    return None


def check_database(path: Path) -> None:
    """Open (creating and migrating as needed) and close the database at `path`, synchronously.

    For startup, before anything is served: raises `StoreCorrupt` naming the file when it is not
    a usable database, `StoreUnavailable` when it is locked, full or read-only.
    """
    db = open_db(path)
    db.conn.close()


def open_db(path: Path, *, migrate: bool = True) -> Db:
    try:
        return Db(path, migrate=migrate)
    except sqlite3.OperationalError as exc:
        refusal = unavailable(exc)
        if refusal is not None:
            raise refusal from exc
        raise StoreCorrupt(os.fspath(path), str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt(os.fspath(path), str(exc)) from exc
