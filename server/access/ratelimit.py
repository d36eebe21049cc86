"""Per-client rate limiting: a token bucket per client address, refilled continuously.

A server-edge policy (per address, over HTTP and the WebSocket alike): the actor runtime never
limits by rate, so `RateLimited` lives here rather than in `actors.errors`. `server.error_map`
answers it with 429 and `Retry-After`; the WebSocket with an `error` message.

Routes call `admit`. `RateLimiter` keeps its buckets in this process (SQLite: one process);
`ClusterRateLimiter` (PostgreSQL: several replicas, picked at startup by `server.app`) keeps them
in the database (`actors.adapters.ratelimit_pg`), so the rate holds across the cluster; when the
database does not answer, that request is counted in this process's own bucket instead.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.limits import RATE_BUCKET_IDLE

if TYPE_CHECKING:
    from videogen.actors.adapters.ratelimit_pg import PgBuckets

__all__ = ["ClusterRateLimiter", "RateLimited", "RateLimiter", "bucket_key"]

log = logging.getLogger("videogen.ratelimit")

# Forget clients idle this long: by then their bucket is full again anyway (the shared
# buckets' rows are deleted by the same rule: `adapters.ratelimit_pg`).
_IDLE_SECONDS: Final = RATE_BUCKET_IDLE
# At most this many buckets. Past it the least recently seen client is forgotten (it gets a
# fresh burst if it comes back): memory stays bounded whatever the number of addresses.
_MAX_CLIENTS: Final = 10_000
# One host commonly holds a whole IPv6 /64: its addresses share one bucket.
_IPV6_PREFIX: Final = 64


class RateLimited(Exception):
    """The client is over its rate; `retry_after` is when it gets its next token (seconds)."""

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


@dataclass
class _Bucket:
    tokens: float
    at: float


class RateLimiter:
    """`per_minute` requests per client, with bursts up to the same number; 0 turns it off."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, _Bucket] = {}

    def check(self, client: str, now: float | None = None) -> int:
        """Take one token; returns 0 when allowed, else seconds until a token is available."""
        if self.per_minute <= 0:
            return 0
        now = time.monotonic() if now is None else now
        rate = self.per_minute / 60.0
        key = bucket_key(client)
        # Popped and put back: the dict's order is then least recently seen first.
        bucket = self._buckets.pop(key, None)
        if bucket is None:
            self._evict(now)
            bucket = _Bucket(float(self.per_minute), now)
        self._buckets[key] = bucket
        bucket.tokens = min(self.per_minute, bucket.tokens + (now - bucket.at) * rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0
        return max(1, math.ceil((1 - bucket.tokens) / rate))

    def take(self, client: str, *, refusal: str = "Too many requests: slow down") -> None:
        """Take one token for `client`; raises `RateLimited` saying `refusal` when it has none."""
        wait = self.check(client)
        if wait:
            raise RateLimited(refusal, retry_after=wait)

    async def admit(self, client: str, *, refusal: str = "Too many requests: slow down") -> None:
        """`take`, as every limiter answers it (`ClusterRateLimiter` asks the database)."""
        self.take(client, refusal=refusal)

    async def aclose(self) -> None:
        """Nothing to release here (the cluster's limiter closes its connection)."""

    def _evict(self, now: float) -> None:
        """Make room for one more bucket: the idle first, then the least recently seen."""
        # Only the oldest entries are looked at (and only those removed): copying the table
        # for every new client made a full table cost O(n) per request.
        while self._buckets:
            key = next(iter(self._buckets))
            idle = now - self._buckets[key].at > _IDLE_SECONDS
            if not idle and len(self._buckets) < _MAX_CLIENTS:
                return  # oldest first: nobody after this one is idle either
            del self._buckets[key]


class ClusterRateLimiter(RateLimiter):
    """The same rate, its buckets shared by every replica in PostgreSQL (`PgBuckets`); owns
    `buckets` (closed by `aclose`). A take is one statement in a worker thread, one at a time
    on its connection."""

    def __init__(self, per_minute: int, buckets: PgBuckets) -> None:
        super().__init__(per_minute)
        self._shared = buckets
        self._limiter = trio.CapacityLimiter(1)

    @classmethod
    async def open(cls, per_minute: int, url: str) -> ClusterRateLimiter:
        """Connect to the database at `url` (psycopg's errors when it refuses)."""
        from videogen.actors.adapters.ratelimit_pg import PgBuckets  # psycopg only then

        buckets = await trio.to_thread.run_sync(PgBuckets, url)
        return cls(per_minute, buckets)

    async def admit(self, client: str, *, refusal: str = "Too many requests: slow down") -> None:
        if self.per_minute <= 0:
            return
        take = functools.partial(self._shared.take, bucket_key(client), self.per_minute)
        try:
            wait = await trio.to_thread.run_sync(take, limiter=self._limiter)
        except Exception:  # the database's refusal: this process's bucket still limits
            log.warning("the shared rate limit did not answer: counted here", exc_info=True)
            self.take(client, refusal=refusal)
            return
        if wait > 0:
            raise RateLimited(refusal, retry_after=max(1, math.ceil(wait)))

    async def aclose(self) -> None:
        await trio.to_thread.run_sync(self._shared.close, limiter=self._limiter)


def bucket_key(client: str) -> str:
    """The bucket a client address counts against: an IPv6 address by its /64, else itself."""
    try:
        address = ipaddress.ip_address(client)
    except ValueError:
        return client
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/{_IPV6_PREFIX}", strict=False))
    return str(address)
