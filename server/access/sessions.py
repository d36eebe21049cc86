"""Browser sessions: the random id in the session cookie, mapped server-side to a caller.

EventSource and `<video>` cannot send an `Authorization` header, so the page signs in once
(`server.routes_session`) and the browser carries the cookie. `SessionStore` (owned by the app
state) keys sessions by the id's SHA-256, so a dictionary lookup's timing says nothing about a
live id.

With replicas (`share`: PostgreSQL's `actors.adapters.sessions_pg.SharedSessions`) a sign-in is
also written to the database and a sign-out removed from it, and `refresh` (awaited by the
access checks before a request that needs a caller) looks up a cookie this replica does not
know, or checked more than `SESSION_RECHECK` ago, so round-robin behind a proxy needs no sticky
sessions and a sign-out holds on every replica within that time. A database that does not
answer leaves what this replica knows as it is (its own sign-ins keep working; another's is
refused until it answers), logged.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Final, Protocol

import trio

from videogen.actors.runtime.ownership import Caller

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["COOKIE", "SESSION_SECONDS", "SessionStore"]

COOKIE: Final = "videogen_session"
# How long a sign-in lasts; the browser forgets the cookie at the same time (Max-Age).
SESSION_SECONDS: Final = 12 * 3600
# Signed-in browsers remembered at once; past this the oldest sign-in is forgotten.
MAX_SESSIONS: Final = 10_000
# Random bytes in a session id.
SESSION_BYTES: Final = 32
# With replicas, how long a session read from the database is believed before it is read
# again: the longest a sign-out on another replica takes to hold here.
SESSION_RECHECK: Final = 2.0
# How long a look-up in the database may take before the request goes on with what is known
# here (a database that hangs must not hang every signed-in request).
SESSION_LOOKUP_TIMEOUT: Final = 2.0

log = logging.getLogger("videogen.server")


class Shared(Protocol):
    """Where replicas share sessions (`actors.adapters.sessions_pg.SharedSessions`)."""

    async def put(self, digest: str, user: str | None, admin: bool, expires_at: float) -> None: ...
    async def get(self, digest: str) -> tuple[str | None, bool, float] | None: ...
    async def drop(self, digest: str) -> None: ...


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore:
    """Live sessions: id digest → (caller, expiry). In memory: a restart signs everyone out."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._sessions: OrderedDict[str, tuple[Caller, float]] = OrderedDict()
        self._clock = clock
        self._shared: Shared | None = None
        # With `_shared`: when each session known here was last read from (or put into) it,
        # and when each cookie found in no session was (bounded, oldest forgotten first).
        self._checked: dict[str, float] = {}
        self._missed: OrderedDict[str, float] = OrderedDict()

    def share(self, shared: Shared) -> None:
        """Share sign-ins with the other replicas through `shared` from now on."""
        self._shared = shared

    async def sign_in(self, caller: Caller) -> str:
        """`open`, and the session written where the other replicas read it (raises what
        `Shared.put` raises: the sign-in is then refused, and forgotten here too)."""
        session_id = self.open(caller)
        if self._shared is not None:
            key = _digest(session_id)
            now = self._clock()
            wall = time.time() + (self._sessions[key][1] - now)
            try:
                await self._shared.put(key, caller.user, caller.admin, wall)
            except BaseException:
                self.close(session_id)
                raise
            self._checked[key] = now
        return session_id

    async def sign_out(self, session_id: str) -> None:
        """`close`, on every replica (at once here, within `SESSION_RECHECK` elsewhere).
        Dropped from the database first: when that is refused (raised), the session stays
        signed in everywhere, here too, rather than only here."""
        if self._shared is not None:
            await self._shared.drop(_digest(session_id))
        self.close(session_id)

    async def refresh(self, session_id: str) -> None:
        """With replicas, make what `caller` answers for `session_id` the database's: read
        when unknown here or checked more than `SESSION_RECHECK` ago."""
        if self._shared is None:
            return
        key = _digest(session_id)
        now = self._clock()
        if key in self._sessions or key in self._missed:
            checked = self._checked.get(key, self._missed.get(key, -SESSION_RECHECK))
            if now - checked < SESSION_RECHECK:
                return  # a cookie nobody signed in with is not looked up again meanwhile
        found = None
        with trio.move_on_after(SESSION_LOOKUP_TIMEOUT) as waited:
            try:
                found = await self._shared.get(key)
            except Exception:  # the database refused: what is known here stands
                log.warning("could not look a session up in the database", exc_info=True)
                return
        if waited.cancelled_caught:
            log.warning("no answer from the database for a session in %g s", SESSION_LOOKUP_TIMEOUT)
            return
        if found is None:
            self._sessions.pop(key, None)
            self._checked.pop(key, None)
            self._missed.pop(key, None)
            self._missed[key] = now
            while len(self._missed) > MAX_SESSIONS:
                self._missed.popitem(last=False)
            return
        self._missed.pop(key, None)
        user, admin, expires_at = found
        self._sessions.pop(key, None)  # put back last: least recently seen first
        self._sessions[key] = (Caller(user=user, admin=admin), now + expires_at - time.time())
        self._checked[key] = now
        while len(self._sessions) > MAX_SESSIONS:
            old, _ = self._sessions.popitem(last=False)
            self._checked.pop(old, None)

    def open(self, caller: Caller, now: float | None = None) -> str:
        """A new session for `caller`; returns the id to put in the cookie."""
        now = self._clock() if now is None else now
        session_id = secrets.token_urlsafe(SESSION_BYTES)
        self._sessions[_digest(session_id)] = (caller, now + SESSION_SECONDS)
        while len(self._sessions) > MAX_SESSIONS:
            old, _ = self._sessions.popitem(last=False)
            self._checked.pop(old, None)
        return session_id

    def caller(self, session_id: str, now: float | None = None) -> Caller | None:
        """The caller of a live session, or None (unknown or expired)."""
        now = self._clock() if now is None else now
        key = _digest(session_id)
        found = self._sessions.get(key)
        if found is None:
            return None
        if found[1] <= now:
            del self._sessions[key]
            return None
        return found[0]

    def close(self, session_id: str) -> None:
        """Forget a session (sign-out)."""
        self._sessions.pop(_digest(session_id), None)
        self._checked.pop(_digest(session_id), None)
