"""The synchronous side of the cluster's work queue on PostgreSQL: putting a generation in line,
claiming the next one fairly, and where one waits.

`replicas_pg.ClaimsDb` calls these on its own connection (one worker thread at a time); every
call is one transaction; errors are psycopg's (the caller logs them and tries again next tick).

A waiting generation is a row with `status = 'queued'`, `waiting_since` set and no claim.
Claiming it (`claim_next`) clears `waiting_since` and sets the claim and its lease in the same
transaction as the `SELECT … FOR UPDATE SKIP LOCKED` that chose it, so two replicas never take
the same one and a replica that dies before claiming leaves it waiting for the others.

A pinned row (its uploads are on one replica's disk) also has a `lease_until`: its replica
renews it (`renew_pins`) while it lives; once that runs out for `PIN_GRACE`, the takeover ends
it `interrupted`, saying where its uploads were (`replicas_pg.ClaimsDb.take_over`), instead of
leaving it to wait for ever for a replica that is gone.

Fairness, as `runtime.admission` does it on one process as far as it applies across processes:
the next is the oldest waiting generation of the client with the fewest generations running
across the cluster (claimed and not finished). Positions follow the same order: a client's k-th
waiting generation counts as if that client ran k more (`position`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Final

from videogen.actors.adapters.store_pg import EVENTS_CHANNEL
from videogen.actors.limits import PIN_GRACE

if TYPE_CHECKING:
    import psycopg

__all__ = [
    "QUEUE_CHANNEL",
    "cancel_waiting",
    "claim_next",
    "enqueue",
    "enqueue_claimed",
    "position",
    "renew_pins",
    "unclaim",
]

# The NOTIFY channel saying "work is waiting, or a slot freed": pullers look at once.
QUEUE_CHANNEL: Final = "videogen_queue"
# Statuses after which a generation runs nowhere (as `replicas_pg._IDLE`).
_IDLE: Final = "('completed', 'error', 'cancelled', 'interrupted', 'awaiting_review')"
# A waiting row, that `replica` may run.
_WAITING: Final = (
    "g.status = 'queued' AND g.waiting_since IS NOT NULL AND g.claimed_by IS NULL"
    " AND (g.pinned_to IS NULL OR g.pinned_to = %(replica)s)"
)
# How many of a client's generations run across the cluster.
_RUNNING_OF: Final = (
    "(SELECT COUNT(*) FROM generations r WHERE r.client = g.client"
    f" AND r.claimed_by IS NOT NULL AND r.status NOT IN {_IDLE})"
)


def enqueue(conn: psycopg.Connection[dict[str, Any]], gid: str, pinned: str | None) -> None:
    """Put the recorded `gid` in line (for `pinned` only, when given) and wake the pullers."""
    with conn.transaction():
        now = time.time()
        conn.execute(
            "UPDATE generations SET waiting_since = %s, pinned_to = %s, lease_until = %s"
            " WHERE id = %s AND claimed_by IS NULL",
            (now, pinned, _pin_lease(now, pinned), gid),
        )
        conn.execute("SELECT pg_notify(%s, %s)", (QUEUE_CHANNEL, gid))


def _pin_lease(now: float, pinned: str | None) -> float | None:
    """A waiting row's `lease_until`: none unless it is pinned (see `renew_pins`)."""
    return None if pinned is None else now + PIN_GRACE


def renew_pins(conn: psycopg.Connection[dict[str, Any]], replica: str) -> None:
    """`replica` lives: the waiting generations pinned to it keep waiting `PIN_GRACE` more."""
    conn.execute(
        f"UPDATE generations g SET lease_until = %(until)s WHERE {_WAITING}"
        " AND g.pinned_to = %(replica)s",
        {"until": time.time() + PIN_GRACE, "replica": replica},
    )


def enqueue_claimed(
    conn: psycopg.Connection[dict[str, Any]], replica: str, gid: str, pinned: str | None
) -> bool:
    """Put `gid`, `queued` and claimed by `replica` (a draft whose render `replica` took from
    `awaiting_review` and recorded queued, but has no slot for), in line as the newest waiting
    one, claimed by nobody, and wake the pullers. False when the claim was no longer ours."""
    with conn.transaction():
        now = time.time()
        row = conn.execute(
            "UPDATE generations SET claimed_by = NULL, lease_until = %s, waiting_since = %s,"
            " pinned_to = %s WHERE id = %s AND claimed_by = %s AND status = 'queued'"
            " RETURNING id",
            (_pin_lease(now, pinned), now, pinned, gid, replica),
        ).fetchone()
        conn.execute("SELECT pg_notify(%s, %s)", (QUEUE_CHANNEL, gid))
    return row is not None


def claim_next(conn: psycopg.Connection[dict[str, Any]], replica: str, lease: float) -> str | None:
    """Claim the next waiting generation `replica` may run (lease `lease` seconds); its id, or
    None when none waits. Rows another replica is claiming right now are skipped."""
    with conn.transaction():
        row = conn.execute(
            f"SELECT g.id FROM generations g WHERE {_WAITING}"
            f" ORDER BY {_RUNNING_OF}, g.waiting_since, g.id"
            " LIMIT 1 FOR UPDATE OF g SKIP LOCKED",
            {"replica": replica},
        ).fetchone()
        if row is None:
            return None
        conn.execute(
            "UPDATE generations SET claimed_by = %s, lease_until = %s, waiting_since = NULL"
            " WHERE id = %s",
            (replica, time.time() + lease, row["id"]),
        )
        return str(row["id"])


def unclaim(conn: psycopg.Connection[dict[str, Any]], replica: str, gid: str) -> None:
    """Put `gid`, claimed by `replica` but never started, back in line (first: it waited)."""
    with conn.transaction():
        conn.execute(
            "UPDATE generations SET claimed_by = NULL, waiting_since = created_at,"
            " lease_until = CASE WHEN pinned_to IS NULL THEN NULL ELSE %s END"
            " WHERE id = %s AND claimed_by = %s AND status = 'queued'",
            (time.time() + PIN_GRACE, gid, replica),
        )
        conn.execute("SELECT pg_notify(%s, %s)", (QUEUE_CHANNEL, gid))


def position(conn: psycopg.Connection[dict[str, Any]], gid: str) -> int | None:
    """How many waiting generations go before `gid` (0: it is next); None once it waits no
    more. The order `claim_next` takes them in, as far as it is known now."""
    row = conn.execute(
        "WITH w AS (SELECT g.id, g.waiting_since,"
        f" {_RUNNING_OF} + ROW_NUMBER() OVER (PARTITION BY g.client ORDER BY g.waiting_since,"
        " g.id) AS turn FROM generations g WHERE g.status = 'queued'"
        " AND g.waiting_since IS NOT NULL AND g.claimed_by IS NULL)"
        " SELECT (SELECT COUNT(*) FROM w WHERE (w.turn, w.waiting_since, w.id)"
        " < (me.turn, me.waiting_since, me.id)) AS ahead FROM w me WHERE me.id = %s",
        (gid,),
    ).fetchone()
    return None if row is None else int(row["ahead"])


def cancel_waiting(
    conn: psycopg.Connection[dict[str, Any]], replica: str, gid: str, message: str
) -> bool:
    """End `gid` `cancelled` while it still waits (nobody runs it: nobody else would write its
    terminal event), with the claim moving to `replica` so no puller takes it meanwhile and one
    terminal event results; False when it waits no more (then whoever claimed it cancels it)."""
    now = time.time()
    with conn.transaction():
        row = conn.execute(
            f"SELECT g.id, g.progress FROM generations g WHERE {_WAITING} AND g.id = %(gid)s"
            " FOR UPDATE",
            {"replica": replica, "gid": gid},
        ).fetchone()
        if row is None:
            return False
        conn.execute(
            "INSERT INTO events (generation_id, seq, status, progress, message, at)"
            " SELECT %s, COALESCE(MAX(seq), 0) + 1, 'cancelled', %s, %s, %s"
            " FROM events WHERE generation_id = %s",
            (gid, row["progress"], message, now, gid),
        )
        conn.execute(
            "UPDATE generations SET status = 'cancelled', message = %s, updated_at = %s,"
            " claimed_by = %s, lease_until = NULL, waiting_since = NULL WHERE id = %s",
            (message, now, replica, gid),
        )
        conn.execute("SELECT pg_notify(%s, %s)", (EVENTS_CHANNEL, gid))
    return True
