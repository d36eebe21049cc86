"""One token bucket per client in PostgreSQL (migration 7's `rate_buckets`), shared by every
replica: a client spreading its requests over N replicas still gets the rate once, not N times.

`server.access.ratelimit.ClusterRateLimiter` owns a `PgBuckets` (its own connection, one worker
thread at a time) when the store is PostgreSQL; on SQLite the server keeps its in-process
buckets. Each take is one atomic statement (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`): the
row's lock orders concurrent takes of one client, whichever replica they come from. Errors are
psycopg's (the caller falls back to its own bucket for that request). Time is the database's
clock, so replicas whose clocks differ share one refill.
"""

from __future__ import annotations

from typing import Final

from videogen.actors.adapters.store_pg import PgDb

__all__ = ["PgBuckets"]

# Tokens now: the stored ones refilled for the time since (at `rate` a second, up to `burst`);
# EXCLUDED.at is this take's time (the database's clock, once per statement).
_REFILLED: Final = "LEAST(%(burst)s, b.tokens + GREATEST(0, EXCLUDED.at - b.at) * %(rate)s)"
_TAKE: Final = (
    "INSERT INTO rate_buckets AS b (key, tokens, at, granted)"
    " VALUES (%(key)s, %(burst)s - 1, EXTRACT(EPOCH FROM clock_timestamp()), 1)"
    " ON CONFLICT (key) DO UPDATE SET"
    f" tokens = CASE WHEN {_REFILLED} >= 1 THEN {_REFILLED} - 1 ELSE {_REFILLED} END,"
    f" granted = CASE WHEN {_REFILLED} >= 1 THEN 1 ELSE 0 END,"
    " at = GREATEST(b.at, EXCLUDED.at)"
    " RETURNING granted, tokens"
)


class PgBuckets:
    """Every replica's token buckets, on a connection of its own."""

    def __init__(self, url: str) -> None:
        self._db = PgDb(url, migrate=False)

    def close(self) -> None:
        self._db.close()

    def take(self, key: str, per_minute: int) -> float:
        """Take one of `key`'s tokens (`per_minute` a minute, bursts of as many): 0.0 when
        granted, else seconds until the next token."""
        rate = per_minute / 60.0
        args = {"key": key, "burst": float(per_minute), "rate": rate}
        row = self._db.connection().execute(_TAKE, args).fetchone()
        assert row is not None  # an upsert always returns its row
        if row["granted"]:
            return 0.0
        return max((1.0 - float(row["tokens"])) / rate, 0.0)
