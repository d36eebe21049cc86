"""The keys a server accepts (`--api-key`, `--api-keys`) and who each one makes the caller.

Keys are compared through their SHA-256 digests with `hmac.compare_digest`, against every key
every time, so neither a key's length nor how much of it matched shows in the time taken.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING, Final

from videogen.actors.runtime.ownership import Caller

if TYPE_CHECKING:
    from videogen.server.settings import Settings

__all__ = ["ANONYMOUS", "KeyRing"]

ANONYMOUS: Final = Caller()
"""The caller on a server without keys: no user, not the admin; it sees every generation."""


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).digest()


class KeyRing:
    """The admin key and the user keys; `caller(key)` says whose a presented key is."""

    def __init__(self, admin_key: str | None, user_keys: tuple[tuple[str, str], ...]) -> None:
        self._entries: list[tuple[bytes, Caller]] = [
            (_digest(key), Caller(user=name)) for name, key in user_keys
        ]
        if admin_key is not None:
            self._entries.append((_digest(admin_key), Caller(admin=True)))

    @classmethod
    def from_settings(cls, settings: Settings) -> KeyRing:
        """The keys `settings` configures."""
        return cls(settings.api_key, settings.api_keys)

    @property
    def required(self) -> bool:
        """Whether every `/api/` request must carry a key."""
        return bool(self._entries)

    def caller(self, key: str) -> Caller | None:
        """The caller `key` belongs to, or None for no key of this server."""
        given = _digest(key)
        found: Caller | None = None
        for digest, caller in self._entries:
            if hmac.compare_digest(given, digest) and found is None:
                found = caller
        return found
