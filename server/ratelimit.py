"""Per-client rate limiting: a token bucket per client address, refilled continuously.

A server-edge policy (per address, over HTTP and the WebSocket alike): the actor runtime never
limits by rate, so `RateLimited` lives here rather than in `actors.errors`. `server.error_map`
answers it with 429 and `Retry-After`; the WebSocket with an `error` message.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Final

__all__ = ["RateLimited", "RateLimiter"]

# Forget clients idle this long, so the table cannot grow without bound.
_IDLE_SECONDS: Final = 600.0
_MAX_CLIENTS: Final = 10_000


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
        bucket = self._buckets.get(client)
        if bucket is None:
            self._evict(now)
            bucket = self._buckets[client] = _Bucket(float(self.per_minute), now)
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
        if len(self._buckets) < _MAX_CLIENTS:
            return
        for key, bucket in list(self._buckets.items()):
            if now - bucket.at > _IDLE_SECONDS:
                del self._buckets[key]
