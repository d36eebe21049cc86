"""One token bucket per client in PostgreSQL (migration 7's `rate_buckets`), shared by every
replica: a client spreading its requests over N replicas still gets the rate once, not N times.

`server.access.ratelimit.ClusterRateLimiter` owns a `PgBuckets` (its own connection, one worker
thread at a time) when the store is PostgreSQL; on SQLite the server keeps its in-process
buckets. Each take is one atomic statement (`INSERT … ON CONFLICT … DO UPDATE … RETURNING`): the
row's lock orders concurrent takes of one client, whichever replica they come from. Errors are
psycopg's (the caller falls back to its own bucket for that request). Time is the database's
clock, so replicas whose clocks differ share one refill.

Rows of clients idle for `RATE_BUCKET_IDLE` are deleted (their bucket is full again: a fresh row
is the same), at most `RATE_SWEEP_BATCH` at a time, by a take at most every
`RATE_SWEEP_INTERVAL` on each replica (`sweep`): the table does not grow with every address
ever seen.
"""

from __future__ import annotations

import logging
import time
from typing import Final

import psycopg

from videogen.actors.adapters.store_pg import PgDb
from videogen.actors.limits import RATE_BUCKET_IDLE, RATE_SWEEP_BATCH, RATE_SWEEP_INTERVAL

__all__ = ["PgBuckets"]

log = logging.getLogger("videogen.ratelimit")

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
# Idle rows, a bounded batch; rows a concurrent take holds are skipped (they are not idle).
_SWEEP: Final = (
    "DELETE FROM rate_buckets WHERE key IN (SELECT key FROM rate_buckets"
    " WHERE at < EXTRACT(EPOCH FROM clock_timestamp()) - %(idle)s"
    " LIMIT %(batch)s FOR UPDATE SKIP LOCKED)"
)


class PgBuckets:
    """Every replica's token buckets, on a connection of its own."""

    def __init__(self, url: str) -> None:
        self._db = PgDb(url, migrate=False)
        self._swept = -RATE_SWEEP_INTERVAL  # monotonic: the first take sweeps

    def close(self) -> None:
        self._db.close()

    def take(self, key: str, per_minute: int) -> float:
        """Take one of `key`'s tokens (`per_minute` a minute, bursts of as many): 0.0 when
        granted, else seconds until the next token."""
        rate = per_minute / 60.0
        args = {"key": key, "burst": float(per_minute), "rate": rate}
        row = self._db.connection().execute(_TAKE, args).fetchone()
        assert row is not None  # an upsert always returns its row
        if time.monotonic() - self._swept >= RATE_SWEEP_INTERVAL:
            try:
                self.sweep()
            except psycopg.Error:  # the take stands; the next interval's sweep tries again
                log.warning("could not delete idle rate buckets", exc_info=True)
        if row["granted"]:
            return 0.0
        return max((1.0 - float(row["tokens"])) / rate, 0.0)

    def sweep(self) -> int:
        """Delete up to `RATE_SWEEP_BATCH` buckets idle for `RATE_BUCKET_IDLE`; how many."""
        self._swept = time.monotonic()
        args = {"idle": RATE_BUCKET_IDLE, "batch": RATE_SWEEP_BATCH}
        return self._db.connection().execute(_SWEEP, args).rowcount
