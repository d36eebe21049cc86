"""The synchronous side of the store on PostgreSQL (`--database-url postgresql://…`): the same
schema, migrations and methods as `store_sql.Db`, on one psycopg 3 connection that a worker
thread uses at a time.

Why the sync API: psycopg's async API runs on asyncio only, and the store already runs every
statement on a worker thread under a limiter of one per connection (`store.Store`); a pool
would add nothing to one writer and one reader. psycopg is an extra (`videogen[postgres]`),
imported only here, only when a PostgreSQL URL is given.

Migrations: one per entry of `store_sql.MIGRATIONS`, same numbers; each is SQLite's script
translated (`translate`: REAL → DOUBLE PRECISION, no WITHOUT ROWID), unless `OVERRIDES` gives
PostgreSQL's own text for that number. The version is the one row of `videogen_schema`;
migrating holds an advisory lock, so replicas starting together migrate once.

Refusals that pass (a lock held elsewhere beyond `STORE_BUSY_TIMEOUT`, a full disk, a read-only
server, a server that is down or restarting) map to `StoreBusy`/`StoreUnavailable`, as SQLite's;
a dropped connection is opened again by the next statement. A URL that cannot be used at all
(bad credentials, no such database) is `StoreCorrupt` naming the URL without its password.

Text: PostgreSQL's `text` cannot hold a NUL character, which SQLite keeps (a topic, a failure's
message, narration). Every string this process sends is written with NUL as U+FFFD instead
(`_NulSafeText`, registered for all of psycopg at import), so no such text ever fails a write.
"""

from __future__ import annotations

import math
import re
import time
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row
from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

from videogen.actors.adapters.store_sql import (
    MIGRATIONS,
    GenerationRecord,
    Write,
    _event,
    _record,
)
from videogen.actors.errors import StoreBusy, StoreCorrupt, StoreUnavailable
from videogen.actors.limits import STORE_BUSY_TIMEOUT, STORE_RETRY_INTERVAL
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from collections.abc import Sequence

    from psycopg.abc import Buffer

__all__ = [
    "EVENTS_CHANNEL",
    "OVERRIDES",
    "Error",
    "PgDb",
    "check_pg",
    "is_postgres_url",
    "open_pg",
    "probe_pg",
    "redacted",
    "translate",
    "unavailable_pg",
]

Error: Final = psycopg.Error


class _NulSafeText(StrDumperUnknown):
    """Strings as psycopg sends them (untyped text), with NUL as U+FFFD: PostgreSQL refuses a
    NUL in any text value ("text fields cannot contain NUL bytes"), and the write with it."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace("\x00", "\ufffd"))


class _NulSafeBinaryText(StrBinaryDumper):
    """`_NulSafeText` for binary parameters."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(obj.replace("\x00", "\ufffd"))


# The last dumper registered for a format is its default (binary first, then text, as psycopg
# registers its own).
psycopg.adapters.register_dumper(str, _NulSafeBinaryText)
psycopg.adapters.register_dumper(str, _NulSafeText)
"""The base of every error psycopg raises."""

# PostgreSQL's text for a migration whose SQLite script does not translate (by number).
OVERRIDES: Final[dict[int, str]] = {}

# The NOTIFY channel naming a generation whose events were just written (payload: its id).
EVENTS_CHANNEL: Final = "videogen_events"
# Any one of the `videogen_schema` migrations at a time, across every replica.
_MIGRATE_LOCK: Final = 0x76696465  # "vide"
# How long opening a connection may take before the server counts as unreachable.
PG_CONNECT_TIMEOUT: Final = 3
# A statement that runs longer than this (not waiting on a lock) is cancelled: a reader never
# queues for long behind a stuck server.
PG_STATEMENT_TIMEOUT: Final = 10.0


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def translate(script: str) -> str:
    """SQLite's DDL as PostgreSQL's: floats are DOUBLE PRECISION, tables have no rowid."""
    script = re.sub(r"\bREAL\b", "DOUBLE PRECISION", script)
    return re.sub(r"\)\s*WITHOUT ROWID", ")", script)


def migrations() -> tuple[str, ...]:
    """PostgreSQL's migration scripts, one per SQLite migration, in order."""
    return tuple(
        OVERRIDES.get(number, translate(script))
        for number, script in enumerate(MIGRATIONS, start=1)
    )


# SQLSTATEs of refusals that pass. Classes 08 (connection), 53 (resources), 57 (operator
# intervention: shutdown, restart) and 58 (system I/O) are matched by their first two digits.
_BUSY: Final = frozenset({"55P03", "40P01", "40001", "57014"})
_READ_ONLY: Final = frozenset({"25006"})


def unavailable_pg(exc: BaseException) -> StoreUnavailable | None:
    """The domain error for a refusal that passes; None for any other database error."""
    if not isinstance(exc, psycopg.Error):
        return None
    retry = math.ceil(STORE_RETRY_INTERVAL)
    state = exc.sqlstate or ""
    if state in _BUSY:
        return StoreBusy("the database is locked by another connection", retry_after=retry)
    if state == "53100":
        return StoreUnavailable("the disk holding the database is full", retry_after=retry)
    if state.startswith("53"):
        return StoreUnavailable(
            f"the database server is out of resources ({exc})", retry_after=retry
        )
    if state in _READ_ONLY:
        return StoreUnavailable("the database cannot be written (read-only)", retry_after=retry)
    if state.startswith(("08", "57", "58")) or (
        not state and isinstance(exc, psycopg.OperationalError)
    ):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return StoreUnavailable(
            f"the database server cannot be reached ({first})", retry_after=retry
        )
    return None


class PgDb:
    """One connection to PostgreSQL, used by one worker thread at a time; reopened by the next
    statement after it broke. The store opens two: the writer (which migrates) and a reader."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        # The replica whose claims this connection writes under (`runtime.replicas`); None:
        # only generations nobody claimed are written (one process on the database).
        self.replica: str | None = None
        self._conn: psycopg.Connection[dict[str, Any]] | None = None
        conn = self.connection()
        if migrate:
            try:
                self._migrate()
            except BaseException:
                conn.close()
                raise

    def connection(self) -> psycopg.Connection[dict[str, Any]]:
        """The open connection, opened again if it broke or closed."""
        if self._conn is None or self._conn.closed or self._conn.broken:
            if self._conn is not None:
                self._conn.close()
            self._conn = None
            conn = psycopg.connect(
                self.url,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=PG_CONNECT_TIMEOUT,
                application_name="videogen",
            )
            # A held lock is waited for as long as SQLite's busy timeout, then refused.
            conn.execute(f"SET lock_timeout = {int(STORE_BUSY_TIMEOUT * 1000)}")
            conn.execute(f"SET statement_timeout = {int(PG_STATEMENT_TIMEOUT * 1000)}")
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _rows(self, sql: str, args: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """A read's rows. A connection the server dropped while it was idle (a restart, an
        idle timeout, a failover) is opened again and the read tried once more: reads change
        nothing, so only a second failure reaches the caller."""
        conn = self.connection()
        try:
            return conn.execute(sql, args).fetchall()
        except psycopg.OperationalError:
            if not conn.broken:
                raise
        return self.connection().execute(sql, args).fetchall()

    def _migrate(self) -> None:
        """Bring the schema to the newest version, once across replicas; raises `StoreCorrupt`
        for a database a newer videogen wrote."""
        scripts = migrations()
        conn = self.connection()
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
            conn.execute("CREATE TABLE IF NOT EXISTS videogen_schema (version INTEGER NOT NULL)")
            row = conn.execute("SELECT version FROM videogen_schema").fetchone()
            if row is None:
                conn.execute("INSERT INTO videogen_schema (version) VALUES (0)")
            version = 0 if row is None else int(row["version"])
            if version > len(scripts):
                raise StoreCorrupt(
                    redacted(self.url),
                    f"its schema is version {version}, newer than this videogen's"
                    f" ({len(scripts)}); run the videogen that wrote it",
                )
            for number, script in enumerate(scripts[version:], start=version + 1):
                conn.execute(script)  # our own text, no input
                conn.execute("UPDATE videogen_schema SET version = %s", (number,))

    def version(self) -> int:
        row = self.connection().execute("SELECT version FROM videogen_schema").fetchone()
        return 0 if row is None else int(row["version"])

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
        self.connection().execute(
            "INSERT INTO generations (id, alias, client, topic, request, status, progress,"
            " message, created_at, updated_at, owner_user, owner_token_hash, parent_id,"
            " content, script)"
            " VALUES (%s, %s, %s, %s, %s, 'queued', 0, '', %s, %s, %s, %s, %s, %s, %s)",
            (gid, alias, client, topic, request, now, now, *owner, parent, content, script),
        )

    def edit_draft(self, gid: str, content: str, script: str, version: int) -> int | None:
        """Replace a draft's content and script if it still awaits review at `version`;
        the new version, or None when it does not (one statement: a compare-and-set)."""
        cursor = self.connection().execute(
            "UPDATE generations SET content = %s, script = %s, version = version + 1"
            " WHERE id = %s AND version = %s AND status = 'awaiting_review'",
            (content, script, gid, version),
        )
        return version + 1 if cursor.rowcount == 1 else None

    def write_batch(self, writes: Sequence[Write]) -> None:
        """Apply queued writes in order, in one transaction: all of them or none.

        In pipeline mode: the statements go out without waiting for each answer (one round
        trip per batch, not two per event; `bench.store` measures it)."""
        conn = self.connection()
        notified: set[str] = set()
        with conn.pipeline(), conn.transaction(), conn.cursor() as cur:
            for write in writes:
                if isinstance(write, ProgressEvent):
                    e = write
                    # Only while its claim is ours (or nobody's): a replica whose lease ran out
                    # and was taken over writes nothing more, so one terminal event results.
                    # The UPDATE first: it takes the row's lock and re-reads the claim, so the
                    # INSERT's check cannot race a takeover.
                    # A draft that reached its review is nobody's from that same statement
                    # on: any replica may then render or cancel it (`replicas_pg.claim_draft`,
                    # `cancel_draft`), and no later write of this run can be taken for ours.
                    release = (
                        ", claimed_by = NULL, lease_until = NULL"
                        if e.status == "awaiting_review"
                        else ""
                    )
                    cur.execute(
                        "UPDATE generations SET status = %s, progress = %s, message = %s,"
                        f" updated_at = %s{release} WHERE id = %s"
                        " AND (claimed_by IS NULL OR claimed_by = %s)",
                        (e.status, e.progress, e.message, e.at, e.generation_id, self.replica),
                    )
                    cur.execute(
                        "INSERT INTO events (generation_id, seq, status, progress, message, at,"
                        " stage) SELECT %s, %s, %s, %s, %s, %s, %s WHERE EXISTS (SELECT 1 FROM"
                        " generations WHERE id = %s AND (claimed_by IS NULL OR claimed_by = %s))",
                        (
                            e.generation_id,
                            e.seq,
                            e.status,
                            e.progress,
                            e.message,
                            e.at,
                            e.stage,
                            e.generation_id,
                            self.replica,
                        ),
                    )
                    notified.add(e.generation_id)
                else:
                    gid, fields = write
                    # Column names are the store's own (`Store.set_artifacts` checks them).
                    columns = ", ".join(f"{name} = %s" for name in fields)
                    cur.execute(
                        f"UPDATE generations SET {columns} WHERE id = %s",
                        (*fields.values(), gid),
                    )
            # Replicas following these generations read their new events (delivered on commit).
            for gid in sorted(notified):
                cur.execute("SELECT pg_notify(%s, %s)", (EVENTS_CHANNEL, gid))

    def get(self, gid: str) -> GenerationRecord | None:
        rows = self._rows("SELECT * FROM generations WHERE id = %s", (gid,))
        return _record(rows[0]) if rows else None  # type: ignore[arg-type]

    def by_alias(self, alias: str, user: str | None) -> GenerationRecord | None:
        mine, args = _owned_by(user, None)
        rows = self._rows(
            f"SELECT * FROM generations WHERE alias = %s{mine} ORDER BY created_at DESC LIMIT 1",
            (alias, *args),
        )
        return _record(rows[0]) if rows else None  # type: ignore[arg-type]

    def listing(
        self, limit: int, before: float | None, user: str | None, client: str | None
    ) -> list[GenerationRecord]:
        mine, args = _owned_by(user, client)
        rows = self._rows(
            f"SELECT * FROM generations WHERE created_at < %s{mine}"
            " ORDER BY created_at DESC LIMIT %s",
            (before if before is not None else math.inf, *args, limit),
        )
        return [_record(r) for r in rows]  # type: ignore[arg-type]

    def events(self, gid: str, after_seq: int) -> list[ProgressEvent]:
        rows = self._rows(
            "SELECT * FROM events WHERE generation_id = %s AND seq > %s ORDER BY seq",
            (gid, after_seq),
        )
        return [_event(gid, r) for r in rows]  # type: ignore[arg-type]

    def unfinished(self) -> list[tuple[str, int, int]]:
        rows = self._rows(
            "SELECT g.id, g.progress, COALESCE(MAX(e.seq), 0) AS seq FROM generations g"
            " LEFT JOIN events e ON e.generation_id = g.id"
            " WHERE g.status NOT IN ('completed', 'error', 'cancelled', 'interrupted',"
            " 'awaiting_review')"
            " GROUP BY g.id"
        )
        return [(r["id"], int(r["seq"]), int(r["progress"])) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self._rows("SELECT status, COUNT(*) AS n FROM generations GROUP BY status")
        return {r["status"]: int(r["n"]) for r in rows}

    def statuses(self) -> dict[str, str]:
        rows = self._rows("SELECT id, status FROM generations")
        return {r["id"]: r["status"] for r in rows}


def _owned_by(user: str | None, client: str | None) -> tuple[str, tuple[str, ...]]:
    clause = ""
    args: tuple[str, ...] = ()
    if user is not None:
        clause, args = " AND owner_user = %s", (user,)
    if client is not None:
        clause, args = f"{clause} AND client = %s", (*args, client)
    return clause, args


def probe_pg(url: str, timeout: float) -> str | None:
    """Whether a write could start now, on a connection of its own; None, or why not."""
    try:
        with psycopg.connect(
            url, autocommit=True, connect_timeout=max(1, math.ceil(timeout))
        ) as conn:
            conn.execute(f"SET lock_timeout = {int(timeout * 1000)}")
            # The lock a write takes (a foreign EXCLUSIVE lock stops it), then a write that
            # changes nothing (a read-only server or database refuses it), rolled back.
            with conn.transaction(force_rollback=True):
                conn.execute("LOCK TABLE generations, events IN ROW EXCLUSIVE MODE")
                conn.execute("UPDATE videogen_schema SET version = version")
    except psycopg.Error as exc:
        refusal = unavailable_pg(exc)
        return str(refusal) if refusal is not None else f"{type(exc).__name__}: {exc}"
    return None


def open_pg(url: str, *, migrate: bool = True) -> PgDb:
    """A connection to `url`, migrated; raises `StoreUnavailable` when the server cannot be
    reached now, `StoreCorrupt` when the URL cannot be used (credentials, database, schema)."""
    try:
        return PgDb(url, migrate=migrate)
    except psycopg.Error as exc:
        refusal = unavailable_pg(exc)
        # A server that answers and refuses (a bad password, no such database) will not
        # change its mind: that is a configuration to fix, not a wait.
        if refusal is not None and not _refused_login(exc):
            raise refusal from exc
        raise StoreCorrupt(redacted(url), str(exc).strip() or type(exc).__name__) from exc


def _refused_login(exc: psycopg.Error) -> bool:
    text = str(exc)
    return exc.sqlstate in ("28P01", "28000", "3D000") or any(
        s in text for s in ("password authentication failed", "does not exist", "no pg_hba.conf")
    )


def check_pg(url: str) -> None:
    """Open, migrate and close: the startup check (see `store_sql.check_database`)."""
    open_pg(url).close()
