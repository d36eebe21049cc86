"""Browser sessions shared by replicas on one PostgreSQL (migration 8's `sessions` table).

`server.access.sessions.SessionStore` keeps the sessions it made in memory; with replicas a
browser signed in on one replica sends its cookie to any other, so each sign-in is also
written here and a replica that does not know a cookie (or knew it a while ago) looks it up.
Only the id's SHA-256 is stored, never the id itself: a copy of the table signs nobody in.

`SharedSessions` owns one connection (its own, `PgDb` as the store's), used from one worker
thread at a time. It raises `StoreUnavailable` (503 at the edge) when the database refuses; the
caller decides what a database that does not answer means for the request and bounds the wait
(`SessionStore.refresh`).
"""

from __future__ import annotations

import functools
import time
from typing import TYPE_CHECKING, TypeVar

import trio

from videogen.actors.adapters.store_pg import Error, PgDb
from videogen.actors.errors import StoreUnavailable
from videogen.actors.limits import STORE_CLOSE_GRACE

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["SharedSessions"]

T = TypeVar("T")


class SharedSessions:
    """Sessions in the database: put at sign-in, read by other replicas, dropped at sign-out;
    expired ones are removed as new ones are put."""

    def __init__(self, url: str) -> None:
        self._db = PgDb(url, migrate=False)
        self._limiter = trio.CapacityLimiter(1)
        self._closed = False

    @classmethod
    async def open(cls, url: str) -> SharedSessions:
        return await trio.to_thread.run_sync(cls, url)

    async def _run(self, fn: Callable[..., T], *args: object) -> T:
        """`fn` in the worker thread. Raises `StoreUnavailable` for the database's errors and
        once closed (a request at shutdown must not open a connection again). A caller that
        gives up waiting (its cancel scope) leaves the thread to finish on its own."""
        if self._closed:
            raise StoreUnavailable("the sessions' database connection is closed", retry_after=5)
        try:
            return await trio.to_thread.run_sync(
                functools.partial(fn, *args), limiter=self._limiter, abandon_on_cancel=True
            )
        except Error as exc:
            raise StoreUnavailable(f"the database refused: {exc}", retry_after=5) from exc

    def _put(self, digest: str, user: str | None, admin: bool, expires_at: float) -> None:
        conn = self._db.connection()
        with conn.transaction():
            conn.execute("DELETE FROM sessions WHERE expires_at < %s", (time.time(),))
            conn.execute(
                "INSERT INTO sessions (digest, user_name, admin, expires_at)"
                " VALUES (%s, %s, %s, %s) ON CONFLICT (digest) DO UPDATE SET"
                " user_name = EXCLUDED.user_name, admin = EXCLUDED.admin,"
                " expires_at = EXCLUDED.expires_at",
                (digest, user, int(admin), expires_at),
            )

    def _get(self, digest: str) -> tuple[str | None, bool, float] | None:
        row = (
            self._db.connection()
            .execute(
                "SELECT user_name, admin, expires_at FROM sessions"
                " WHERE digest = %s AND expires_at > %s",
                (digest, time.time()),
            )
            .fetchone()
        )
        if row is None:
            return None
        return row["user_name"], bool(row["admin"]), float(row["expires_at"])

    def _drop(self, digest: str) -> None:
        self._db.connection().execute("DELETE FROM sessions WHERE digest = %s", (digest,))

    async def put(self, digest: str, user: str | None, admin: bool, expires_at: float) -> None:
        """Record a sign-in (`expires_at`: epoch seconds)."""
        await self._run(self._put, digest, user, admin, expires_at)

    async def get(self, digest: str) -> tuple[str | None, bool, float] | None:
        """(user, admin, expires_at) of a live session, or None."""
        return await self._run(self._get, digest)

    async def drop(self, digest: str) -> None:
        """Forget a session (a sign-out): every replica refuses it from its next look-up."""
        await self._run(self._drop, digest)

    async def aclose(self) -> None:
        """Close the connection, shielded for at most `STORE_CLOSE_GRACE` (then the close is
        left to its thread: a peer that went away must not hold a shutdown)."""
        self._closed = True
        with trio.move_on_after(STORE_CLOSE_GRACE, shield=True):
            await trio.to_thread.run_sync(
                self._db.close, limiter=self._limiter, abandon_on_cancel=True
            )
