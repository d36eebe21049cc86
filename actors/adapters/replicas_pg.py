"""The synchronous side of replicas sharing one PostgreSQL: claims, leases, takeovers, cancels
asked elsewhere, the work queue (`queue_pg`), and the LISTEN connection that hears new events,
cancels and queue wake-ups.

`runtime.replicas.Replicas` owns a `ClaimsDb` (its own connection, one worker thread at a time)
and runs `listen` in a thread of its own. Every statement here is one transaction; errors are
psycopg's (the caller logs them and tries again next tick: a lease outlives several ticks).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Final

import psycopg

from videogen.actors.adapters import queue_pg
from videogen.actors.adapters.queue_pg import QUEUE_CHANNEL
from videogen.actors.adapters.store_pg import EVENTS_CHANNEL, PG_CONNECT_TIMEOUT, PgDb

if TYPE_CHECKING:
    import threading
    from collections.abc import Callable, Sequence

__all__ = ["CANCEL_CHANNEL", "ClaimsDb", "listen"]

# The NOTIFY channel naming a generation someone asked to cancel (payload: its id).
CANCEL_CHANNEL: Final = "videogen_cancel"
# Statuses after which a generation is nobody's to run (and awaiting review: a draft runs
# nowhere until its render is asked for, which claims it again).
_IDLE: Final = "('completed', 'error', 'cancelled', 'interrupted', 'awaiting_review')"
INTERRUPTED_MESSAGE: Final = "⏹️ Interrupted: the replica running it stopped"
# A waiting generation pinned to a replica (its uploads) that stopped renewing it (`queue_pg`).
PIN_GONE_MESSAGE: Final = (
    "⏹️ Interrupted: its uploaded files are on replica {replica}, which stopped before it could"
    " run it; submit it again (with the uploads)"
)


class ClaimsDb:
    """One replica's claims, on a connection of its own."""

    def __init__(self, url: str, replica: str) -> None:
        self.replica = replica
        self._db = PgDb(url, migrate=False)

    def close(self) -> None:
        self._db.close()

    def claim(self, gid: str, lease: float) -> None:
        """Run `gid` here: our claim, a lease of `lease` seconds from now."""
        self._db.connection().execute(
            "UPDATE generations SET claimed_by = %s, lease_until = %s WHERE id = %s",
            (self.replica, time.time() + lease, gid),
        )

    def claim_draft(self, gid: str, lease: float) -> str | None:
        """Take the draft `gid` from `awaiting_review` to `queued`, ours, in one statement:
        of two replicas rendering it at once exactly one gets it. None when it was ours to
        take; else its status now (another replica's render already moved it on)."""
        conn = self._db.connection()
        with conn.transaction():
            row = conn.execute(
                "UPDATE generations SET status = 'queued', claimed_by = %s, lease_until = %s,"
                " cancel_requested = 0 WHERE id = %s AND status = 'awaiting_review' RETURNING id",
                (self.replica, time.time() + lease, gid),
            ).fetchone()
            if row is not None:
                return None
            now = conn.execute("SELECT status FROM generations WHERE id = %s", (gid,)).fetchone()
        return str(now["status"]) if now is not None else "gone"

    def unclaim_draft(self, gid: str) -> None:
        """Undo `claim_draft` for a render that did not start: the draft waits again."""
        self._db.connection().execute(
            "UPDATE generations SET status = 'awaiting_review', claimed_by = NULL,"
            " lease_until = NULL WHERE id = %s AND status = 'queued' AND claimed_by = %s",
            (gid, self.replica),
        )

    def cancel_draft(self, gid: str, message: str, at: float) -> tuple[int, int] | None:
        """End the waiting draft `gid` with its `cancelled` event, in one transaction and only
        while it still waits for its review (nobody's): (seq, progress) of the event, or None
        when a render moved it on meanwhile (it is then cancelled where it runs)."""
        conn = self._db.connection()
        with conn.transaction():
            row = conn.execute(
                "UPDATE generations SET status = 'cancelled', message = %s, updated_at = %s,"
                " claimed_by = %s, lease_until = NULL"
                " WHERE id = %s AND status = 'awaiting_review' RETURNING progress",
                (message, at, self.replica, gid),
            ).fetchone()
            if row is None:
                return None
            seq = conn.execute(
                "INSERT INTO events (generation_id, seq, status, progress, message, at)"
                " SELECT %s, COALESCE(MAX(seq), 0) + 1, 'cancelled', %s, %s, %s"
                " FROM events WHERE generation_id = %s RETURNING seq",
                (gid, row["progress"], message, at, gid),
            ).fetchone()
            conn.execute("SELECT pg_notify(%s, %s)", (EVENTS_CHANNEL, gid))
        assert seq is not None
        return int(seq["seq"]), int(row["progress"])

    def renew(self, gids: list[str], lease: float) -> tuple[set[str], set[str]]:
        """Extend our leases on `gids`: (the ones still ours, those of them asked to cancel).
        One missing from the first was taken over (our lease ran out): it must stop here."""
        rows = (
            self._db.connection()
            .execute(
                "UPDATE generations SET lease_until = %s"
                " WHERE id = ANY(%s) AND claimed_by = %s RETURNING id, cancel_requested",
                (time.time() + lease, gids, self.replica),
            )
            .fetchall()
        )
        return {r["id"] for r in rows}, {r["id"] for r in rows if r["cancel_requested"]}

    def take_over(self, lease: float, limit: int, mine: Sequence[str] = ()) -> list[str]:
        """Mark interrupted (and claim, so no other replica does too) the generations whose
        lease ran out (a waiting one pinned to a replica that stopped renewing it included:
        `queue_pg`), or that were never claimed, are not waiting in the cluster's queue
        (`queue_pg`: those any replica runs later) and unchanged for `lease` seconds, except
        `mine` (what this replica runs or is claiming); returns their ids. Rows another
        replica is taking over right now are skipped, not waited for."""
        now = time.time()
        conn = self._db.connection()
        taken: list[str] = []
        with conn.transaction():
            rows = conn.execute(
                "SELECT id, progress, pinned_to, waiting_since FROM generations"
                f" WHERE status NOT IN {_IDLE}"
                " AND (lease_until < %s OR (lease_until IS NULL AND waiting_since IS NULL"
                " AND updated_at < %s))"
                " AND NOT (id = ANY(%s))"
                " ORDER BY created_at LIMIT %s FOR UPDATE SKIP LOCKED",
                (now, now - lease, list(mine), limit),
            ).fetchall()
            for row in rows:
                gid = row["id"]
                message = INTERRUPTED_MESSAGE
                if row["waiting_since"] is not None and row["pinned_to"] is not None:
                    message = PIN_GONE_MESSAGE.format(replica=row["pinned_to"])
                conn.execute(
                    "INSERT INTO events (generation_id, seq, status, progress, message, at)"
                    " SELECT %s, COALESCE(MAX(seq), 0) + 1, 'interrupted', %s, %s, %s"
                    " FROM events WHERE generation_id = %s",
                    (gid, row["progress"], message, now, gid),
                )
                conn.execute(
                    "UPDATE generations SET status = 'interrupted', message = %s,"
                    " updated_at = %s, claimed_by = %s, lease_until = NULL,"
                    " waiting_since = NULL WHERE id = %s",
                    (message, now, self.replica, gid),
                )
                conn.execute("SELECT pg_notify(%s, %s)", (EVENTS_CHANNEL, gid))
                taken.append(gid)
        return taken

    def next_expiry(self, mine: Sequence[str] = ()) -> float | None:
        """When the first lease held on an unfinished generation, except `mine`, runs out (a
        `time.time()`), or None when none is held: the reaper looks then, not a pass later."""
        row = (
            self._db.connection()
            .execute(
                "SELECT MIN(lease_until) AS until FROM generations"
                f" WHERE status NOT IN {_IDLE} AND lease_until IS NOT NULL"
                " AND NOT (id = ANY(%s))",
                (list(mine),),
            )
            .fetchone()
        )
        return None if row is None or row["until"] is None else float(row["until"])

    def request_cancel(self, gid: str) -> bool:
        """Ask whichever replica runs `gid` to cancel it; False when it has already ended."""
        conn = self._db.connection()
        with conn.transaction():
            row = conn.execute(
                f"UPDATE generations SET cancel_requested = 1 WHERE id = %s"
                f" AND status NOT IN {_IDLE} RETURNING id",
                (gid,),
            ).fetchone()
            if row is not None:
                conn.execute("SELECT pg_notify(%s, %s)", (CANCEL_CHANNEL, gid))
        return row is not None

    def enqueue(self, gid: str, pinned: str | None) -> None:
        """Put `gid` in the cluster's line (see `queue_pg.enqueue`)."""
        queue_pg.enqueue(self._db.connection(), gid, pinned)

    def enqueue_claimed(self, gid: str, pinned: str | None) -> bool:
        """Put `gid`, claimed by us, in the cluster's line (see `queue_pg.enqueue_claimed`)."""
        return queue_pg.enqueue_claimed(self._db.connection(), self.replica, gid, pinned)

    def renew_pins(self) -> None:
        """We live: what waits pinned to us keeps waiting (see `queue_pg.renew_pins`)."""
        queue_pg.renew_pins(self._db.connection(), self.replica)

    def claim_next(self, lease: float) -> str | None:
        """Claim the next waiting generation for this replica (see `queue_pg.claim_next`)."""
        return queue_pg.claim_next(self._db.connection(), self.replica, lease)

    def unclaim(self, gid: str) -> None:
        """Put `gid`, claimed by us but never started, back in the cluster's line."""
        queue_pg.unclaim(self._db.connection(), self.replica, gid)

    def position(self, gid: str) -> int | None:
        """How many wait before `gid` across the cluster (see `queue_pg.position`)."""
        return queue_pg.position(self._db.connection(), gid)

    def cancel_waiting(self, gid: str, message: str) -> bool:
        """Cancel `gid` while it waits in line (see `queue_pg.cancel_waiting`)."""
        return queue_pg.cancel_waiting(self._db.connection(), self.replica, gid, message)

    def wake_pullers(self) -> None:
        """Tell every replica's puller that a slot freed (or work waits): look now."""
        self._db.connection().execute("SELECT pg_notify(%s, '')", (QUEUE_CHANNEL,))

    def waiting(self) -> int:
        """Generations waiting in the cluster's line (`queue_pg`; its index answers it)."""
        row = (
            self._db.connection()
            .execute(
                "SELECT COUNT(*) AS n FROM generations WHERE waiting_since IS NOT NULL"
                " AND claimed_by IS NULL AND status = 'queued'"
            )
            .fetchone()
        )
        return int(row["n"]) if row is not None else 0

    def queued(self, client: str | None = None) -> int:
        """Generations waiting across the cluster (of `client` when given)."""
        mine = " AND client = %s" if client is not None else ""
        args = (client,) if client is not None else ()
        row = (
            self._db.connection()
            .execute(f"SELECT COUNT(*) AS n FROM generations WHERE status = 'queued'{mine}", args)
            .fetchone()
        )
        return int(row["n"]) if row is not None else 0


def listen(
    url: str,
    stop: threading.Event,
    heard: Callable[[str, str], None],
    *,
    wait: float,
) -> None:
    """LISTEN on the events, cancel and queue channels and call `heard(channel, payload)` for each
    notification until `stop` is set (looked at every `wait` seconds). A lost connection is
    opened again after `wait`; meanwhile followers fall back to polling."""
    while not stop.is_set():
        try:
            with psycopg.connect(
                url,
                autocommit=True,
                connect_timeout=PG_CONNECT_TIMEOUT,
                application_name="videogen",
            ) as conn:
                conn.execute(f"LISTEN {EVENTS_CHANNEL}")
                conn.execute(f"LISTEN {CANCEL_CHANNEL}")
                conn.execute(f"LISTEN {QUEUE_CHANNEL}")
                while not stop.is_set():
                    for note in conn.notifies(timeout=wait):
                        heard(note.channel, note.payload)
        except psycopg.Error:
            stop.wait(wait)
