"""Browser sessions: the random id in the session cookie, mapped server-side to a caller.

EventSource and `<video>` cannot send an `Authorization` header, so the page signs in once
(`server.routes_session`) and the browser carries the cookie. `SessionStore` (owned by the app
state) keys sessions by the id's SHA-256, so a dictionary lookup's timing says nothing about a
live id.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from videogen.actors.runtime.ownership import Caller

__all__ = ["COOKIE", "SESSION_SECONDS", "SessionStore"]

COOKIE: Final = "videogen_session"
# How long a sign-in lasts; the browser forgets the cookie at the same time (Max-Age).
SESSION_SECONDS: Final = 12 * 3600
# Signed-in browsers remembered at once; past this the oldest sign-in is forgotten.
MAX_SESSIONS: Final = 10_000
# Random bytes in a session id.
SESSION_BYTES: Final = 32


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


class SessionStore:
    """Live sessions: id digest → (caller, expiry). In memory: a restart signs everyone out."""

    def __init__(self) -> None:
        self._sessions: OrderedDict[str, tuple[Caller, float]] = OrderedDict()

    def open(self, caller: Caller, now: float | None = None) -> str:
        """A new session for `caller`; returns the id to put in the cookie."""
        now = time.monotonic() if now is None else now
        session_id = secrets.token_urlsafe(SESSION_BYTES)
        self._sessions[_digest(session_id)] = (caller, now + SESSION_SECONDS)
        while len(self._sessions) > MAX_SESSIONS:
            self._sessions.popitem(last=False)
        return session_id

    def caller(self, session_id: str, now: float | None = None) -> Caller | None:
        """The caller of a live session, or None (unknown or expired)."""
        now = time.monotonic() if now is None else now
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
