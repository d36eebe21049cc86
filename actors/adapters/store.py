"""Persistence: generations and every event in SQLite (`<data-dir>/videogen.db`, WAL mode).

`Store` owns two connections, one that writes and one that reads (WAL lets reads go on while
anyone writes), and runs every statement on a worker thread, one at a time per connection, so
the Trio thread never blocks on disk and a status read never queues behind a write. Status,
replay and resume read from here, which is why they survive restarts. Schema changes are
numbered migrations tracked in `PRAGMA user_version`.

A database that another process holds locked (or that is full or read-only) must not lose or
freeze a running generation. Its events and artifacts are therefore queued in order and written
in one transaction; when the database refuses (`StoreUnavailable`), they stay queued, reads see
them as if written, and they are retried after `STORE_RETRY_INTERVAL` — by the next write, by
`settle` (the supervisor, for a terminal event), or by `keep_flushing` (the registry's task).
Everything else that meets a refusing database gets `StoreBusy`/`StoreUnavailable` within
`STORE_BUSY_TIMEOUT`, which the HTTP edge answers with 503 and `Retry-After`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import logging
import math
import os
import sqlite3
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, ParamSpec, Self, TypeVar

import trio

from videogen.actors.errors import StoreBusy, StoreCorrupt, StoreUnavailable
from videogen.actors.limits import (
    MAX_PENDING_WRITES,
    STORE_BUSY_TIMEOUT,
    STORE_PROBE_TIMEOUT,
    STORE_RETRY_INTERVAL,
)
from videogen.actors.runtime.events import ProgressEvent, is_terminal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

__all__ = ["GenerationRecord", "Store", "check_database"]

log = logging.getLogger("videogen.store")

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


def _unavailable(exc: sqlite3.Error) -> StoreUnavailable | None:
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


class _Db:
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
    ) -> None:
        now = time.time()
        self.conn.execute(
            "INSERT INTO generations (id, alias, client, topic, request, status, progress,"
            " message, created_at, updated_at, owner_user, owner_token_hash)"
            " VALUES (?, ?, ?, ?, ?, 'queued', 0, '', ?, ?, ?, ?)",
            (gid, alias, client, topic, request, now, now, *owner),
        )

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

    def statuses(self) -> dict[str, str]:
        """Every generation's id and current status."""
        rows = self.conn.execute("SELECT id, status FROM generations")
        return {r["id"]: r["status"] for r in rows}


def _probe_write(path: Path, timeout: float) -> str | None:
    """Whether a write could start now, on a connection of its own; None, or why not."""
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.Error as exc:
        refusal = _unavailable(exc)
        return str(refusal) if refusal is not None else f"{type(exc).__name__}: {exc}"
    return None


def check_database(path: Path) -> None:
    """Open (creating and migrating as needed) and close the database at `path`, synchronously.

    For startup, before anything is served: raises `StoreCorrupt` naming the file when it is not
    a usable database, `StoreUnavailable` when it is locked, full or read-only.
    """
    db = _open_db(path)
    db.conn.close()


def _open_db(path: Path, *, migrate: bool = True) -> _Db:
    try:
        return _Db(path, migrate=migrate)
    except sqlite3.OperationalError as exc:
        refusal = _unavailable(exc)
        if refusal is not None:
            raise refusal from exc
        raise StoreCorrupt(os.fspath(path), str(exc)) from exc
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt(os.fspath(path), str(exc)) from exc


class Store:
    """Async access to the database; every call runs on a worker thread, one at a time per
    connection (one writer, one reader).

    Open with `Store.open(path)` and close with `aclose()`. A database that refuses for a
    reason that passes raises `StoreBusy` or `StoreUnavailable` (see the module docstring for
    what happens to queued writes); other `sqlite3.Error`s pass unchanged.
    """

    def __init__(
        self, db: _Db, path: Path, *, reader: _Db | None = None, inline: bool = False
    ) -> None:
        self._db = db
        self._reader = reader if reader is not None else _open_db(path, migrate=False)
        self.path = path
        self._inline = inline
        self._limiter = trio.CapacityLimiter(1)
        self._read_limiter = trio.CapacityLimiter(1)
        # Writes not yet in the database, oldest first; only `_flush` removes them.
        self._pending: deque[Write] = deque()
        self._flush_lock = trio.Lock()
        # No write is tried before this (trio time): the database refused the last one.
        self._retry_at = -math.inf
        self._stalled = trio.Event()
        self.failure: str | None = None
        """Why the last write was refused, while writes wait; None when the database is fine."""

    @classmethod
    async def open(cls, path: Path, *, inline: bool = False) -> Self:
        """Open (creating and migrating as needed) the database at `path`.

        `inline` runs every statement on the Trio thread, after a checkpoint, instead of a
        worker thread: for tests under a virtual clock (`autojump_clock` would jump while a
        thread works), never for a server, whose event loop would block on the disk.
        Raises `StoreCorrupt` or `StoreUnavailable` (see `check_database`).
        """
        if inline:
            await trio.lowlevel.checkpoint()
            return cls(_open_db(path), path, inline=True)
        db = await trio.to_thread.run_sync(_open_db, path)
        reader = await trio.to_thread.run_sync(functools.partial(_open_db, path, migrate=False))
        return cls(db, path, reader=reader)

    async def aclose(self) -> None:
        """Close both connections. Writes still queued are given up (and logged)."""
        if self._pending:
            log.error("closing the database with %d writes not written", len(self._pending))
        await self._run(self._db.conn.close)
        await self._run(self._reader.conn.close)

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        def call() -> T:
            return fn(*args, **kwargs)

        if self._inline:
            await trio.lowlevel.checkpoint()
            return call()
        owner = getattr(fn, "__self__", None)
        reading = owner is self._reader or owner is self._reader.conn
        limiter = self._read_limiter if reading else self._limiter
        return await trio.to_thread.run_sync(call, limiter=limiter)

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`_run`, with a refusal that passes raised as `StoreBusy`/`StoreUnavailable`."""
        try:
            return await self._run(fn, *args, **kwargs)
        except sqlite3.OperationalError as exc:
            refusal = _unavailable(exc)
            if refusal is None:
                raise
            raise refusal from exc

    # -- writes -----------------------------------------------------------------------------

    @property
    def pending(self) -> int:
        """Writes queued because the database refused them."""
        return len(self._pending)

    async def _write(self, write: Write) -> None:
        """Queue `write` and write the queue now, unless the database just refused or another
        task is writing it (the queue is then written by whoever retries next).

        Once queued, a write is never taken back: a cancel is only honoured before it is
        queued, and the attempt to write it is shielded (it is bounded by the busy timeout).
        The caller can therefore publish what it wrote as soon as this returns.
        """
        await trio.lowlevel.checkpoint_if_cancelled()
        terminal = not isinstance(write, ProgressEvent) or is_terminal(write.status)
        if not terminal and len(self._pending) >= MAX_PENDING_WRITES:
            raise StoreBusy(
                f"the database has refused writes for too long ({self.failure})",
                retry_after=math.ceil(STORE_RETRY_INTERVAL),
            )
        self._pending.append(write)
        if self._flush_lock.locked() or trio.current_time() < self._retry_at:
            self._stalled.set()
            await trio.lowlevel.cancel_shielded_checkpoint()
            return
        with trio.CancelScope(shield=True):
            await self._flush()

    async def _flush(self) -> bool:
        """Write every queued write in one transaction; True when the queue is empty.

        On a refusal that passes the writes stay queued, `failure` says why, and the next try
        waits until `STORE_RETRY_INTERVAL` has passed. Any other database error drops the
        batch (a write the database rejects would block every later one) and is raised.
        """
        async with self._flush_lock:
            if not self._pending:
                return True
            if trio.current_time() < self._retry_at:
                return False
            batch = list(self._pending)
            try:
                await self._call(self._db.write_batch, batch)
            except StoreUnavailable as exc:
                if self.failure is None:
                    log.warning("database refused %d writes: %s; retrying", len(batch), exc)
                self.failure = str(exc)
                self._retry_at = trio.current_time() + STORE_RETRY_INTERVAL
                self._stalled.set()
                return False
            except sqlite3.Error:
                log.exception("dropping %d writes the database rejected", len(batch))
                for _ in batch:
                    self._pending.popleft()
                raise
            for _ in batch:
                self._pending.popleft()
            if self.failure is not None:
                log.info("database accepts writes again")
            self.failure = None
            self._retry_at = -math.inf
            return not self._pending

    async def settle(self) -> None:
        """Retry queued writes until none are left; the caller bounds it with a cancel scope."""
        while not await self._flush():  # noqa: ASYNC110
            # A deadline, not an event: nothing signals that another process let go of its lock.
            await trio.sleep_until(self._retry_at)

    async def keep_flushing(self) -> None:
        """Retry queued writes whenever some wait; runs until cancelled (the registry's task)."""
        while True:
            await self._stalled.wait()
            with contextlib.suppress(sqlite3.Error):  # logged by `_flush`; the batch is gone
                await self.settle()
            if not self._pending:
                self._stalled = trio.Event()

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
        """Record a newly admitted generation as `queued`, after any queued writes; `owner` is
        (user, token hash).

        Raises `StoreBusy`/`StoreUnavailable` at once while queued writes wait, else within
        `STORE_BUSY_TIMEOUT`.
        """
        if not await self._flush():
            raise StoreBusy(
                f"the database is not taking writes ({self.failure})",
                retry_after=math.ceil(STORE_RETRY_INTERVAL),
            )
        await self._call(self._db.insert, gid, alias, client, topic, json.dumps(request), owner)

    async def append(self, event: ProgressEvent) -> None:
        """Record an event and make it the generation's current status, atomically.

        Queued (and read back as written) while the database refuses; raises `StoreBusy` only
        when too many writes already wait and `event` is not terminal.
        """
        await self._write(event)

    async def set_artifacts(self, gid: str, **fields: str | None) -> None:
        """Store finished artifacts: content and script (JSON), subtitles, video name, error."""
        allowed = {"content", "script", "subtitles", "video_filename", "error"}
        if not fields.keys() <= allowed:
            raise ValueError(f"unknown fields {sorted(fields.keys() - allowed)}")
        await self._write((gid, dict(fields)))

    # -- reads (queued writes included) -----------------------------------------------------

    def _overlaid(
        self, record: GenerationRecord | None, queued: Sequence[Write]
    ) -> GenerationRecord | None:
        """`record` as it will be once the writes that were queued before it was read land."""
        if record is None:
            return None
        for write in queued:
            if isinstance(write, ProgressEvent):
                # A write that landed while the row was read is in it already; only a newer
                # event (by its time) changes the status.
                if write.generation_id == record.id and write.at >= record.updated_at:
                    record = dataclasses.replace(
                        record,
                        status=write.status,
                        progress=write.progress,
                        message=write.message,
                        updated_at=write.at,
                    )
            elif write[0] == record.id:
                fields: dict[str, Any] = dict(write[1])
                for name in ("content", "script"):
                    if fields.get(name) is not None:
                        fields[name] = json.loads(fields[name])
                record = dataclasses.replace(record, **fields)
        return record

    async def get(self, gid: str) -> GenerationRecord | None:
        """The generation with this exact id, or None."""
        queued = list(self._pending)
        return self._overlaid(await self._call(self._reader.get, gid), queued)

    async def by_alias(self, alias: str, *, user: str | None = None) -> GenerationRecord | None:
        """The most recent generation whose documented (reference) id is `alias`, or None.

        With `user`, only that user's generations count.
        """
        queued = list(self._pending)
        return self._overlaid(await self._call(self._reader.by_alias, alias, user), queued)

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
        queued = list(self._pending)
        records = await self._call(self._reader.listing, limit, before, user, client)
        return [r for r in (self._overlaid(r, queued) for r in records) if r is not None]

    async def events(self, gid: str, *, after_seq: int = 0) -> list[ProgressEvent]:
        """The generation's events after `after_seq`, in order."""
        queued = [w for w in self._pending if isinstance(w, ProgressEvent)]
        stored = await self._call(self._reader.events, gid, after_seq)
        last = stored[-1].seq if stored else after_seq
        return stored + [w for w in queued if w.generation_id == gid and w.seq > last]

    async def unfinished(self) -> list[tuple[str, int, int]]:
        """Generations without a terminal event: (id, last seq, last progress)."""
        return await self._call(self._reader.unfinished)

    async def counts(self) -> dict[str, int]:
        """How many generations are in each status."""
        return await self._call(self._reader.counts)

    async def statuses(self) -> dict[str, str]:
        """Every generation's id and status (for sweeping the data dir at startup)."""
        return await self._call(self._reader.statuses)

    async def probe(self) -> str | None:
        """Whether the database takes writes now: None, or why not (never waits long).

        While writes wait, that is the answer; otherwise a connection of its own tries to take
        the write lock within `STORE_PROBE_TIMEOUT`.
        """
        if self._pending and self.failure is not None:
            return f"{self.failure}; {len(self._pending)} writes waiting"
        failure: str | None = f"no answer within {STORE_PROBE_TIMEOUT + 1:g} s"
        with trio.move_on_after(STORE_PROBE_TIMEOUT + 1):
            failure = await trio.to_thread.run_sync(
                _probe_write, self.path, STORE_PROBE_TIMEOUT, abandon_on_cancel=True
            )
        return failure
