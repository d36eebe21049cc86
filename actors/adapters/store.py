"""Persistence: generations and every event in SQLite (`<data-dir>/videogen.db`, WAL mode), or
in PostgreSQL when the store is opened with a `postgresql://` URL (`--database-url`; see
`store_pg`): same schema, migrations and behaviour, down to the refusals below.

`Store` owns a connection that writes, one that reads (replays, listings) and
`STORE_LOOKUP_CONNECTIONS` for point reads (a generation by id or alias: every status), each
used by one worker thread at a time (WAL lets reads go on while anyone writes): the Trio thread
never blocks on disk, and a status never queues behind a write or a replay. Status, replay and
resume read from here, which is why they survive restarts. Schema changes are numbered
migrations tracked in `PRAGMA user_version`.

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
import sqlite3
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, ParamSpec, Protocol, Self, TypeVar

import trio

from videogen.actors.adapters.store_sql import (
    MIGRATIONS,
    GenerationRecord,
    Write,
    open_db,
    probe_write,
    unavailable,
)
from videogen.actors.errors import StoreBusy, StoreRejected, StoreUnavailable
from videogen.actors.limits import (
    MAX_PENDING_WRITES,
    STORE_LOOKUP_CONNECTIONS,
    STORE_PROBE_TIMEOUT,
    STORE_RETRY_INTERVAL,
)
from videogen.actors.runtime.events import ProgressEvent, is_terminal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = [
    "DB_NAME",
    "MIGRATIONS",
    "GenerationRecord",
    "Store",
    "Target",
    "check_database",
    "database",
]

log = logging.getLogger("videogen.store")

P = ParamSpec("P")
T = TypeVar("T")

Target = Path | str
"""Where the database is: a SQLite file, or a `postgresql://` URL."""

# The SQLite store's file in the data dir. With a PostgreSQL store the file stays for the
# artifact cache's index: the cache's directories are this machine's (`artifact_cache`).
DB_NAME: Final = "videogen.db"


def database(data_dir: Path, url: str | None) -> Target:
    """Where a data dir's store is: `url` (`--database-url`), or `<data-dir>/videogen.db`."""
    return url or data_dir / DB_NAME


class Conn(Protocol):
    """What the store asks of one connection (`store_sql.Db`, `store_pg.PgDb`)."""

    def close(self) -> None: ...
    def insert(
        self,
        gid: str,
        alias: str,
        client: str,
        topic: str,
        request: str,
        owner: tuple[str | None, str | None] = ...,
        draft: tuple[str, str, str] | None = ...,
    ) -> None: ...
    def edit_draft(self, gid: str, content: str, script: str, version: int) -> int | None: ...
    def write_batch(self, writes: Sequence[Write]) -> None: ...
    def get(self, gid: str) -> GenerationRecord | None: ...
    def by_alias(self, alias: str, user: str | None) -> GenerationRecord | None: ...
    def listing(
        self, limit: int, before: float | None, user: str | None, client: str | None
    ) -> list[GenerationRecord]: ...
    def events(self, gid: str, after_seq: int) -> list[ProgressEvent]: ...
    def unfinished(self) -> list[tuple[str, int, int]]: ...
    def counts(self) -> dict[str, int]: ...
    def statuses(self) -> dict[str, str]: ...


@dataclass(frozen=True, slots=True)
class Backend:
    """One database engine: how to connect, probe, and tell a refusal that passes."""

    name: str
    open: Callable[..., Conn]  # (target, *, migrate=True)
    probe: Callable[[Any, float], str | None]
    unavailable: Callable[[Any], StoreUnavailable | None]
    error: type[Exception]


def backend(target: Target) -> Backend:
    """SQLite for a path, PostgreSQL for a `postgresql://` URL (psycopg imported only then)."""
    if isinstance(target, str):
        if not target.startswith(("postgresql://", "postgres://")):
            raise ValueError(f"a database URL starts with postgresql://, not {target[:20]!r}")
        from videogen.actors.adapters import store_pg

        return Backend(
            "postgresql",
            store_pg.open_pg,
            store_pg.probe_pg,
            store_pg.unavailable_pg,
            store_pg.Error,
        )
    return Backend("sqlite", open_db, probe_write, unavailable, sqlite3.Error)


def check_database(target: Target) -> None:
    """Open (creating and migrating as needed) and close the database, synchronously.

    For startup, before anything is served: raises `StoreCorrupt` naming the file (or URL) when
    it is not a usable database, `StoreUnavailable` when it is locked, full, read-only or down.
    """
    backend(target).open(target).close()


class Store:
    """Async access to the database; every call runs on a worker thread, one at a time per
    connection (one writer, one reader, `STORE_LOOKUP_CONNECTIONS` for point reads).

    Open with `Store.open(path)` and close with `aclose()`. A database that refuses for a
    reason that passes raises `StoreBusy` or `StoreUnavailable` (see the module docstring for
    what happens to queued writes); a batch of writes the database rejects raises
    `StoreRejected`; other errors of the engine (`sqlite3.Error`, `psycopg.Error`) pass unchanged.
    """

    def __init__(
        self,
        db: Conn,
        path: Target,
        *,
        reader: Conn | None = None,
        lookups: Sequence[Conn] = (),
        inline: bool = False,
    ) -> None:
        self._backend = backend(path)
        self._db = db
        self._reader = reader if reader is not None else self._backend.open(path, migrate=False)
        # Point reads take whichever lookup is free (`open(inline=True)` gives none: one).
        self._lookups = tuple(lookups) or (self._backend.open(path, migrate=False),)
        self._free_lookups = list(self._lookups)
        self._lookup_limiter = trio.CapacityLimiter(len(self._lookups))
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
    async def open(cls, path: Target, *, inline: bool = False) -> Self:
        """Open (creating and migrating as needed) the database at `path` (a SQLite file, or a
        `postgresql://` URL).

        `inline` runs every statement on the Trio thread, after a checkpoint, instead of a
        worker thread: for tests under a virtual clock (`autojump_clock` would jump while a
        thread works), never for a server, whose event loop would block on the disk.
        Raises `StoreCorrupt` or `StoreUnavailable` (see `check_database`).
        """
        opener = backend(path).open
        if inline:
            await trio.lowlevel.checkpoint()
            return cls(opener(path), path, inline=True)
        opened: list[Conn] = []  # the writer (which migrates), the reader, the lookups
        try:
            for m in (True, *[False] * (1 + STORE_LOOKUP_CONNECTIONS)):
                opened.append(
                    await trio.to_thread.run_sync(functools.partial(opener, path, migrate=m))
                )
        except BaseException:
            with trio.CancelScope(shield=True):  # closing a connection is quick
                for conn in opened:
                    await trio.to_thread.run_sync(conn.close)
            raise
        db, reader, *lookups = opened
        return cls(db, path, reader=reader, lookups=lookups)

    def write_as(self, replica: str) -> None:
        """Write events only for generations `replica` claims or nobody does (PostgreSQL with
        replicas: `runtime.replicas`; SQLite has no claims)."""
        if hasattr(self._db, "replica"):
            self._db.replica = replica

    @property
    def engine(self) -> str:
        """`sqlite` or `postgresql`."""
        return self._backend.name

    async def aclose(self) -> None:
        """Close every connection. Writes still queued are given up (and logged)."""
        if self._pending:
            log.error("closing the database with %d writes not written", len(self._pending))
        for conn in (self._db, self._reader, *self._lookups):
            await self._run(conn.close)

    async def _run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        reading = getattr(fn, "__self__", None) is self._reader
        limiter = self._read_limiter if reading else self._limiter
        return await self._on_thread(functools.partial(fn, *args, **kwargs), limiter)

    async def _on_thread(self, call: Callable[[], T], limiter: trio.CapacityLimiter | None) -> T:
        # `limiter` None: Trio's default (a lookup connection is its caller's alone).
        if self._inline:
            await trio.lowlevel.checkpoint()
            return call()
        return await trio.to_thread.run_sync(call, limiter=limiter)

    async def _call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """`_run`, with a refusal that passes raised as `StoreBusy`/`StoreUnavailable`."""
        try:
            return await self._run(fn, *args, **kwargs)
        except self._backend.error as exc:
            refusal = self._backend.unavailable(exc)
            if refusal is None:
                raise
            raise refusal from exc

    async def _look_up(self, read: Callable[[Conn], T]) -> T:
        """A point read, `read(conn)`, on a free lookup connection (`_call`'s refusals)."""
        async with self._lookup_limiter:
            conn = self._free_lookups.pop()
            try:
                return await self._on_thread(functools.partial(read, conn), None)
            except self._backend.error as exc:
                refusal = self._backend.unavailable(exc)
                if refusal is None:
                    raise
                raise refusal from exc
            finally:
                self._free_lookups.append(conn)

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
        batch (a write the database rejects would block every later one) and is raised as
        `StoreRejected` (the engine's error is its cause).
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
            except self._backend.error as exc:
                log.exception("dropping %d writes the database rejected", len(batch))
                for _ in batch:
                    self._pending.popleft()
                raise StoreRejected(f"{type(exc).__name__}: {exc}") from exc
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
            with contextlib.suppress(StoreRejected):  # logged by `_flush`; the batch is gone
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
        draft: tuple[str, str, str] | None = None,
    ) -> None:
        """Record a newly admitted generation as `queued`, after any queued writes; `owner` is
        (user, token hash); `draft` is a revision's (parent id, content JSON, script JSON).

        Raises `StoreBusy`/`StoreUnavailable` at once while queued writes wait, else within
        `STORE_BUSY_TIMEOUT`.
        """
        await self._flush()
        # Refused only when the database itself refused: under load other generations' writes
        # keep arriving while a batch is written, so an empty queue is no test of health.
        if self.failure is not None:
            raise StoreBusy(
                f"the database is not taking writes ({self.failure})",
                retry_after=math.ceil(STORE_RETRY_INTERVAL),
            )
        await self._call(
            self._db.insert, gid, alias, client, topic, json.dumps(request), owner, draft
        )

    async def edit_draft(self, gid: str, content: str, script: str, *, version: int) -> int | None:
        """Replace a draft's content and script (JSON) if it awaits review at `version`:
        the new version, or None when it does not (a compare-and-set, in one statement).

        Not queued: an edit is answered only once it is in the database. Raises
        `StoreBusy`/`StoreUnavailable` while the database refuses.
        """
        await self._flush()
        if self.failure is not None:
            raise StoreBusy(
                f"the database is not taking writes ({self.failure})",
                retry_after=math.ceil(STORE_RETRY_INTERVAL),
            )
        return await self._call(self._db.edit_draft, gid, content, script, version)

    async def append(self, event: ProgressEvent) -> None:
        """Record an event and make it the generation's current status, atomically.

        Queued (and read back as written) while the database refuses; raises `StoreBusy` only
        when too many writes already wait and `event` is not terminal.
        """
        await self._write(event)

    async def set_artifacts(self, gid: str, **fields: str | None) -> None:
        """Store finished artifacts: content and script (JSON), subtitles, video name, error,
        reuse (JSON: what came from the artifact cache)."""
        allowed = {"content", "script", "subtitles", "video_filename", "error", "reuse"}
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
                for name in ("content", "script", "reuse"):
                    if fields.get(name) is not None:
                        fields[name] = json.loads(fields[name])
                record = dataclasses.replace(record, **fields)
        return record

    async def get(self, gid: str) -> GenerationRecord | None:
        """The generation with this exact id, or None."""
        queued = list(self._pending)
        return self._overlaid(await self._look_up(lambda conn: conn.get(gid)), queued)

    async def by_alias(self, alias: str, *, user: str | None = None) -> GenerationRecord | None:
        """The most recent generation whose documented (reference) id is `alias`, or None.

        With `user`, only that user's generations count.
        """
        queued = list(self._pending)
        return self._overlaid(await self._look_up(lambda conn: conn.by_alias(alias, user)), queued)

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
                self._backend.probe, self.path, STORE_PROBE_TIMEOUT, abandon_on_cancel=True
            )
        return failure
