"""Per-client rate limiting: a token bucket per client address, refilled continuously.

A server-edge policy (per address, over HTTP and the WebSocket alike): the actor runtime never
limits by rate, so `RateLimited` lives here rather than in `actors.errors`. `server.error_map`
answers it with 429 and `Retry-After`; the WebSocket with an `error` message.
"""

from __future__ import annotations

import ipaddress
import math
import time
from dataclasses import dataclass
from typing import Final

__all__ = ["RateLimited", "RateLimiter", "bucket_key"]

# Forget clients idle this long: by then their bucket is full again anyway.
_IDLE_SECONDS: Final = 600.0
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
