"""Several replicas on one PostgreSQL: who runs what, takeovers, and events and cancels that
cross replicas.

    run_registry ─ Replicas.run ─ tick (leases, cancels) · reaper · listener thread · followers

Only with a PostgreSQL store; on SQLite one process owns the data dir and none of this runs.

* A generation is claimed (`claimed_by`, `lease_until`) by the replica whose registry starts
  it, and its lease renewed every `REPLICA_TICK`. Each replica's store writes events only for
  generations claimed by it or by nobody (`store_pg.PgDb.write_batch`).
* A replica that dies stops renewing. Any replica that finds a lease expired for
  `REPLICA_LEASE` takes the generation over in one transaction (`FOR UPDATE SKIP LOCKED`, so two
  replicas never take the same one) and marks it **interrupted** with one terminal event. Chosen
  over restarting it: its scratch and its per-slide cache are on the dead replica's own disk, a
  restart would redo every writer call for a client that may be gone, and the client can
  resubmit (the cache of its own replica then reuses what it made). Its claim moving to the
  taker means any late write of the old owner is dropped, so the generation has exactly one
  terminal event whoever crashes; the old owner, if it was only slow, learns at its next renewal
  that the claim is gone and stops it.
* At start this replaces recovery's "whatever is unfinished was interrupted": another live
  replica's generations have fresh leases and are left alone.
* Events: every write NOTIFYs `videogen_events` with the generation's id; a replica with a
  subscriber for a generation running elsewhere keeps a `Broadcast` fed from the store, woken
  by the listener thread (`adapters.replicas_pg.listen`) and polling every `REPLICA_FOLLOW_POLL`
  as a fallback. It ends after the terminal event or when nobody follows any more.
* Work waits in the database when it cannot start where it was admitted, and any replica with
  a free slot claims it: see `pulling` (and why a waiting generation is never lost).
* A generation pinned to a replica (its uploads on that disk, no shared store) waits only as
  long as that replica lives (renewed every `REPLICA_REAP_INTERVAL`, `PIN_GRACE` after it
  stopped): then the takeover ends it `interrupted`, saying to submit it again.
* Cancels: a cancel asked on a replica that does not run the generation sets
  `cancel_requested` and NOTIFYs `videogen_cancel`; the running replica hears it at once, or at
  its next renewal.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
import time
from typing import TYPE_CHECKING, Final, TypeVar

import trio

from videogen.actors.adapters.queue_pg import QUEUE_CHANNEL
from videogen.actors.adapters.replicas_pg import CANCEL_CHANNEL, ClaimsDb, listen
from videogen.actors.adapters.sessions_pg import SharedSessions
from videogen.actors.adapters.store_pg import EVENTS_CHANNEL, Error, open_pg
from videogen.actors.errors import (
    AlreadyFinished,
    NotAwaitingReview,
    QueueFull,
    StoreUnavailable,
)
from videogen.actors.limits import (
    ADMISSION_RECORD_GRACE,
    REPLICA_CANCEL_WAIT,
    REPLICA_FOLLOW_POLL,
    REPLICA_LEASE,
    REPLICA_LISTEN_WAIT,
    REPLICA_REAP_BATCH,
    REPLICA_REAP_INTERVAL,
    REPLICA_REAP_MARGIN,
    REPLICA_TICK,
    STORE_CLOSE_GRACE,
)
from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import is_terminal

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from videogen.actors.adapters.store import Store
    from videogen.actors.runtime.admission import Admission
    from videogen.actors.runtime.broadcast import Subscription
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.generation import Generation

__all__ = ["Replicas"]

T = TypeVar("T")

# The message of a generation cancelled while it waited (as `supervisor._stopped`'s).
CANCELLED_MESSAGE: Final = "🛑 Generation cancelled"

log = logging.getLogger("videogen.replicas")


class Replicas:
    """This replica's part of the cluster. Created by `run_registry` for a PostgreSQL store;
    `run` (started in the registry's nursery) runs its tasks until `stop`."""

    def __init__(
        self,
        store: Store,
        claims: ClaimsDb,
        live: Callable[[str], Generation | None],
        sessions: SharedSessions | None = None,
    ) -> None:
        assert isinstance(store.path, str)
        self.replica = claims.replica
        self.url = store.path
        self.store = store
        self._live = live
        self._claims = claims
        self._limiter = trio.CapacityLimiter(1)
        # The puller's claims on a connection of their own: a claim waiting on a held lock
        # never delays a renewal or a submit's look at the line (opened by `open`).
        self._pulls: ClaimsDb | None = None
        self._pull_limiter = trio.CapacityLimiter(1)
        # Generations this replica runs under a claim it holds, and those it is claiming.
        self._claimed: set[str] = set()
        self._claiming: set[str] = set()
        # Generations running elsewhere that someone here follows: their fed broadcasts.
        self._following: dict[str, Broadcast] = {}
        self._wake: dict[str, trio.Event] = {}
        # Browser sessions every replica reads (`server.access.sessions`).
        self.sessions = sessions
        self._scope = trio.CancelScope()
        self._done = trio.Event()
        self._nursery: trio.Nursery | None = None
        # Set when a NOTIFY says work waits or a slot freed somewhere (`pulling`).
        self.queue_wake = trio.Event()

    @classmethod
    async def open(
        cls, store: Store, replica: str, live: Callable[[str], Generation | None]
    ) -> Replicas:
        """Connect for `replica`'s claims; from now on `store` writes under them. Raises
        `StoreUnavailable`/`StoreCorrupt` as the store's own open does."""
        assert isinstance(store.path, str)
        claims = await trio.to_thread.run_sync(functools.partial(_open_claims, store.path, replica))
        opened: list[ClaimsDb] = [claims]
        try:
            pulls = await trio.to_thread.run_sync(ClaimsDb, store.path, replica)
            opened.append(pulls)
            sessions = await SharedSessions.open(store.path)
        except BaseException:
            await _close_within(STORE_CLOSE_GRACE, *(conn.close for conn in opened))
            raise
        store.write_as(replica)
        replicas = cls(store, claims, live, sessions)
        replicas._pulls = pulls
        return replicas

    async def _sql(self, fn: Callable[..., T], *args: object) -> T:
        return await trio.to_thread.run_sync(functools.partial(fn, *args), limiter=self._limiter)

    async def _pull(self, fn: Callable[[ClaimsDb], T]) -> T:
        """`fn` on the puller's connection (the claims' one before `open` made it)."""
        pulls = self._pulls or self._claims
        return await trio.to_thread.run_sync(fn, pulls, limiter=self._pull_limiter)

    # -- claims ---------------------------------------------------------------------------

    async def claim(self, gid: str) -> None:
        """Claim `gid` for this replica before it runs here. When the database refuses (a held
        lock, a restart) the generation runs anyway — its writes wait in the store's queue, and
        a row claimed by nobody is writable — and the claim is retried every `REPLICA_TICK` in
        the background; this replica's own reaper skips it meanwhile (`take_over`)."""
        self._claiming.add(gid)
        try:
            await self._sql(self._claims.claim, gid, REPLICA_LEASE)
        except Error:
            log.warning("could not claim %s yet: retrying", gid, exc_info=True)
            if self._nursery is not None:
                self._nursery.start_soon(self._claim_later, gid)
            return
        self._claiming.discard(gid)
        self._claimed.add(gid)

    async def claim_draft(self, gid: str) -> None:
        """Claim the draft `gid` to render it here, moving it out of `awaiting_review` in the
        database first, so a render asked on two replicas at once runs on one. Raises
        `NotAwaitingReview` when another replica got it; the database's errors pass through
        (the render is refused, the draft keeps waiting)."""
        status = await self._sql(self._claims.claim_draft, gid, REPLICA_LEASE)
        if status is not None:
            raise NotAwaitingReview(gid, status)
        self._claimed.add(gid)

    async def unclaim_draft(self, gid: str) -> None:
        """The render `claim_draft` was for did not start: the draft waits again."""
        self.release(gid)
        with trio.move_on_after(REPLICA_CANCEL_WAIT, shield=True):
            try:
                await self._sql(self._claims.unclaim_draft, gid)
            except Error:
                log.warning("could not put the draft %s back", gid, exc_info=True)

    async def _claim_later(self, gid: str) -> None:
        while gid in self._claiming:
            await trio.sleep(REPLICA_TICK)
            try:
                await self._sql(self._claims.claim, gid, REPLICA_LEASE)
            except Error:
                continue
            if gid in self._claiming:  # still running here
                self._claiming.discard(gid)
                self._claimed.add(gid)
            return

    def release(self, gid: str) -> None:
        """`gid` stopped running here (its claim stays, on a finished row, harmlessly)."""
        self._claimed.discard(gid)
        self._claiming.discard(gid)

    async def cancel_draft(self, gid: str, message: str, at: float) -> tuple[int, int] | None:
        """End the waiting draft `gid` with `cancelled` in one transaction, only while it
        still waits (see `ClaimsDb.cancel_draft`): (seq, progress), or None when a render
        started meanwhile. Raises the database's errors (the cancel is then refused)."""
        try:
            return await self._sql(self._claims.cancel_draft, gid, message, at)
        except Error as exc:
            raise StoreUnavailable(
                f"the database refused the cancel: {exc}", retry_after=5
            ) from exc

    async def queued(self) -> int:
        """Generations waiting across the cluster."""
        return await self._sql(self._claims.queued)

    async def starts_here(self, admission: Admission, *, shared: bool = True) -> bool:
        """Whether a submit here starts (or, not `shared`, waits) here: a slot is free here and
        nothing waits across the cluster (what waits goes first, fairly); else it is to wait in
        the database. Not `shared` (the CLI): always here. Raises `QueueFull` when it would wait
        and the cluster's waiting generations already reach `max_queued`."""
        free = not admission.queued and admission.running < admission.max_running
        if free and (not shared or not await self._sql(self._claims.waiting)):
            return True
        waiting = await self.queued()
        if waiting >= admission.max_queued:
            raise QueueFull(
                f"{waiting} generations are already waiting across replicas", retry_after=10
            )
        return not shared

    async def enqueue(self, gid: str, *, pinned: bool) -> None:
        """Put the recorded `gid` in the cluster's line (for this replica only when `pinned`)
        and wake every puller."""
        await self._sql(self._claims.enqueue, gid, self.replica if pinned else None)

    async def enqueue_claimed(self, gid: str, *, pinned: bool) -> bool:
        """Put `gid`, claimed here (`claim_draft`) and recorded queued, in the cluster's line,
        nobody's: whichever replica has a slot first runs it. False when our claim was gone."""
        try:
            return await self._sql(
                self._claims.enqueue_claimed, gid, self.replica if pinned else None
            )
        finally:
            self.release(gid)

    async def claim_next(self) -> str | None:
        """Claim the next waiting generation for this replica (fairly: `queue_pg`); its id."""
        gid = await self._pull(lambda pulls: pulls.claim_next(REPLICA_LEASE))
        if gid is not None:
            self._claimed.add(gid)
        return gid

    async def unclaim(self, gid: str) -> None:
        """Put `gid`, claimed here but not started, back in line (bounded by
        `ADMISSION_RECORD_GRACE`: past it, its lease runs out and the takeover ends it)."""
        self.release(gid)
        with trio.move_on_after(ADMISSION_RECORD_GRACE, shield=True):
            try:
                await self._pull(lambda pulls: pulls.unclaim(gid))
            except Error:
                log.warning("could not put %s back in line", gid, exc_info=True)

    async def position(self, gid: str) -> int | None:
        """How many wait before `gid` across the cluster; None once it waits no more."""
        return await self._sql(self._claims.position, gid)

    def slot_freed(self) -> None:
        """A slot here freed: this puller looks at once, and every other replica's (a NOTIFY,
        in the background: the caller is ending a generation and must not wait for it)."""
        self.queue_wake.set()
        if self._nursery is not None:
            self._nursery.start_soon(self._notify_queue)

    async def _notify_queue(self) -> None:
        with contextlib.suppress(Error):
            await self._sql(self._claims.wake_pullers)

    async def cancel(
        self, gid: str, subscribe: Callable[[], Awaitable[Subscription]]
    ) -> ProgressEvent:
        """Cancel `gid`, which runs on another replica: ask it, then wait (at most
        `REPLICA_CANCEL_WAIT`) for its terminal event through `subscribe`. Returns the
        `cancelled` event; raises `AlreadyFinished` when it ended otherwise. One that still
        waits in the database is ended here, at once."""
        if await self._sql(self._claims.cancel_waiting, gid, CANCELLED_MESSAGE):
            return (await self.store.events(gid))[-1]
        if not await self._sql(self._claims.request_cancel, gid):
            raise AlreadyFinished(gid, "finished")
        last: ProgressEvent | None = None
        with trio.move_on_after(REPLICA_CANCEL_WAIT), await subscribe() as events:
            async for event in events:
                last = event
        if last is None or last.status != "cancelled":
            raise AlreadyFinished(gid, last.status if last is not None else "running")
        return last

    # -- following generations that run elsewhere -----------------------------------------

    async def follow(self, gid: str, history: list[ProgressEvent], after_seq: int) -> Subscription:
        """A subscription to `gid`, running on another replica, from its stored `history`."""
        events = self._following.get(gid)
        if events is None:
            events = Broadcast(history)
            if self._nursery is None or (history and is_terminal(history[-1].status)):
                events.close()
            else:
                self._following[gid] = events
                self._wake[gid] = trio.Event()
                self._nursery.start_soon(self._feed, gid, events, name=f"follow:{gid}")
        return events.subscribe(after_seq)

    def adopt(self, gid: str, events: Broadcast) -> None:
        """Feed `events` from the store from now on: the open broadcast of a draft whose run
        here ended waiting for its review, which another replica may render or cancel. Closed
        instead (its streams end; a client resumes with Last-Event-ID) when this replica is
        stopping or already follows `gid` through another broadcast."""
        if self._nursery is None or gid in self._following:
            events.close()
            return
        self._following[gid] = events
        self._wake[gid] = trio.Event()
        self._nursery.start_soon(self._feed, gid, events, name=f"follow:{gid}")

    async def _feed(self, gid: str, events: Broadcast) -> None:
        """Publish `gid`'s new stored events into `events` until its terminal one, or until
        nobody follows it (checked at every wake-up)."""
        try:
            while not events.closed:
                with trio.move_on_after(REPLICA_FOLLOW_POLL):
                    await self._wake[gid].wait()
                self._wake[gid] = trio.Event()
                last = events.log[-1].seq if events.log else 0
                try:
                    new = await self.store.events(gid, after_seq=last)
                except Exception:  # the database hiccuped: the next poll tries again
                    log.warning("could not read %s's events", gid, exc_info=True)
                    continue
                for event in new:
                    events.publish(event)
                    if is_terminal(event.status):
                        events.close()
                        break
                if not events.closed and not events.watched:
                    events.close()
        finally:
            events.close()
            self._following.pop(gid, None)
            self._wake.pop(gid, None)

    def _heard(self, channel: str, gid: str) -> None:
        if channel == EVENTS_CHANNEL:
            wake = self._wake.get(gid)
            if wake is not None:
                wake.set()
        elif channel == QUEUE_CHANNEL:
            self.queue_wake.set()
        elif channel == CANCEL_CHANNEL and gid in self._claimed:
            self._cancel_here(gid)

    def _cancel_here(self, gid: str) -> None:
        gen = self._live(gid)
        if gen is not None:
            log.info("cancelling %s as asked on another replica", gid)
            gen.cancel("cancelled")

    # -- the tasks ------------------------------------------------------------------------

    async def run(self) -> None:
        """Renew leases, take over expired ones, listen, feed followers; until `stop`."""
        try:
            with self._scope:
                async with trio.open_nursery() as nursery:
                    self._nursery = nursery
                    nursery.start_soon(self._renew_forever, name="replicas:leases")
                    nursery.start_soon(self._reap_forever, name="replicas:takeover")
                    nursery.start_soon(self._listen, name="replicas:listen")
        finally:
            self._nursery = None
            for events in list(self._following.values()):
                events.close()
            closes = [self._claims.close]
            if self._pulls is not None:
                closes.append(self._pulls.close)
            await _close_within(STORE_CLOSE_GRACE, *closes)
            if self.sessions is not None:
                await self.sessions.aclose()  # bounded in itself
            self._done.set()

    async def stop(self) -> None:
        """End `run` and wait for it (after the registry drained: leases are renewed until
        the last generation here has ended)."""
        self._scope.cancel(reason="registry shut down")
        await self._done.wait()

    async def take_over(self) -> list[str]:
        """Mark the generations of replicas that died interrupted; their ids. What waits
        pinned to this replica is renewed first (it lives, or is back with its data dir)."""
        await self._sql(self._claims.renew_pins)
        mine = sorted(self._claiming | self._claimed)
        taken = await self._sql(self._claims.take_over, REPLICA_LEASE, REPLICA_REAP_BATCH, mine)
        for gid in taken:
            log.warning("took over %s from a replica whose lease ran out: interrupted", gid)
        return taken

    async def _renew_forever(self) -> None:
        while True:
            await trio.sleep(REPLICA_TICK)
            gids = sorted(self._claimed)
            if not gids:
                continue
            try:
                held, cancels = await self._sql(self._claims.renew, gids, REPLICA_LEASE)
            except Error:
                log.warning("could not renew %d leases", len(gids), exc_info=True)
                continue
            for gid in gids:
                if gid not in held and gid in self._claimed:
                    log.error("%s was taken over by another replica: stopping it here", gid)
                    self._claimed.discard(gid)
                    gen = self._live(gid)
                    if gen is not None:
                        gen.cancel("interrupted")
                elif gid in cancels:
                    self._cancel_here(gid)

    async def _reap_forever(self) -> None:
        """Take over every `REPLICA_REAP_INTERVAL`, and as soon as the first lease held
        elsewhere runs out: a replica killed right after renewing is taken over when its lease
        ends, not up to a pass later. A lease already out (another replica is taking it over,
        or it was skipped while locked) is looked at again after `REPLICA_TICK`, not at once."""
        overdue = False
        while True:
            delay = REPLICA_REAP_INTERVAL
            with contextlib.suppress(Error):
                await self.take_over()
                mine = sorted(self._claiming | self._claimed)
                expiry = await self._sql(self._claims.next_expiry, mine)
                if expiry is not None:
                    wait = expiry - time.time()
                    if wait > 0:
                        delay, overdue = min(delay, wait + REPLICA_REAP_MARGIN), False
                    else:  # once at once (it may have run out just now), then every tick
                        delay, overdue = (REPLICA_TICK if overdue else REPLICA_REAP_MARGIN), True
            await trio.sleep(delay)

    async def _listen(self) -> None:
        stop = threading.Event()
        token = trio.lowlevel.current_trio_token()

        def heard(channel: str, payload: str) -> None:
            with contextlib.suppress(trio.RunFinishedError):
                trio.from_thread.run_sync(self._heard, channel, payload, trio_token=token)

        try:
            await trio.to_thread.run_sync(
                functools.partial(listen, self.url, stop, heard, wait=REPLICA_LISTEN_WAIT),
                abandon_on_cancel=True,
            )
        finally:
            stop.set()  # the abandoned thread ends within `REPLICA_LISTEN_WAIT`


def _open_claims(url: str, replica: str) -> ClaimsDb:
    open_pg(url, migrate=False).close()  # the store's refusals, mapped, before our own connect
    return ClaimsDb(url, replica)


async def _close_within(grace: float, *closes: Callable[[], object]) -> None:
    """Run each of `closes` (a connection's close) in a worker thread, shielded for `grace` in
    all: a peer that went away must not hold a shutdown for ever (the thread is abandoned, and
    finishes or dies with the process)."""
    with trio.move_on_after(grace, shield=True) as scope:
        for close in closes:
            await trio.to_thread.run_sync(close, abandon_on_cancel=True)
    if scope.cancelled_caught:
        log.error("database connections not closed within %g s: left to their threads", grace)
