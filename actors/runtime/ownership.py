"""Who owns a generation, who is asking, and whether they may see or change it.

A generation belongs to the user of the key it was made with (`Owner.user`; None without user
keys, and for the admin) and to whoever holds its owner token, a secret shown once on creation.
Only the token's SHA-256 is kept (`Owner.token_hash`). The registry asks `visible` before it
answers about a generation (another user's is `GenerationNotFound`, so its existence does not
leak) and `authorize_change` before it changes one, which raises `NotOwner`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, replace
from typing import Final

from videogen.actors.errors import NotOwner

__all__ = [
    "NOBODY",
    "SYSTEM",
    "Caller",
    "Owner",
    "authorize_change",
    "hash_token",
    "issue_token",
    "visible",
]

# Bytes of randomness in an owner token: 256 bits, well over the 128 the contract asks for.
TOKEN_BYTES: Final = 32


@dataclass(frozen=True, slots=True)
class Owner:
    """Whose a generation is: the key's user (None: no user key) and its token's hash."""

    user: str | None = None
    token_hash: str | None = None


NOBODY: Final = Owner()
"""A generation made without a token (the CLI): only an admin (or the process) may change it."""


@dataclass(frozen=True, slots=True)
class Caller:
    """Who is asking: the key's user (None: no user key, or the admin), whether they are the
    admin, and the owner token they presented, if any."""

    user: str | None = None
    admin: bool = False
    owner_token: str | None = None

    @property
    def only_user(self) -> str | None:
        """The user whose generations alone this caller may see; None: it sees them all."""
        return None if self.admin else self.user

    def with_token(self, token: str | None) -> Caller:
        """The same caller presenting `token`."""
        return replace(self, owner_token=token)


SYSTEM: Final = Caller(admin=True)
"""The process itself (the CLI, benchmarks, tests of the runtime): may see and change anything."""


def issue_token() -> tuple[str, str]:
    """A new owner token and the hash to store: `(token, token_hash)`."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex (a token is random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def visible(caller: Caller, owner: Owner | str | None) -> bool:
    """Whether `caller` may know about a generation of `owner` (an `Owner` or its user)."""
    user = owner.user if isinstance(owner, Owner) else owner
    only = caller.only_user
    return only is None or only == user


def authorize_change(caller: Caller, owner: Owner) -> None:
    """Allow the admin and the holder of the generation's token; raises `NotOwner` otherwise.

    The token's hash is compared in constant time, so a timing cannot reveal it bit by bit.
    """
    if caller.admin:
        return
    given = hash_token(caller.owner_token) if caller.owner_token else ""
    expected = owner.token_hash or ""
    # Both sides are always compared (even when one is empty), so nothing returns early.
    matches = hmac.compare_digest(given.encode(), expected.encode())
    if not (matches and expected):
        raise NotOwner()
