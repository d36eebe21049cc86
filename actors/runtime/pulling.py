"""The cluster's work queue, the registry's side (`Registry` inherits `Pulling`; PostgreSQL with
replicas only: on SQLite `Admission` queues in memory, exactly as before).

    run_registry ─ pull_forever ─ (claims a waiting row) ─ _supervise × N, in the registry's nursery

* **Queued in the database.** A submit that cannot start at once on the replica that admitted it
  (no free slot here, or others already wait across the cluster: they go first, fairly) is
  recorded `queued` and put in line in the database (`queue_pg.enqueue`), not in this replica's
  memory; `submit` hands back a `Generation` that is not live here (`queued_elsewhere`), and its
  status and events are served like those of any generation running elsewhere (`replicas`).
* **Claimed by whoever has a slot.** Every replica's `pull_forever` claims the next waiting
  generation (`FOR UPDATE SKIP LOCKED`: two replicas never take the same one) whenever one of its
  own `max_running` slots is free, rebuilds it from its stored row and events (the request, the
  owner, the `queued` event: its next event is numbered after it) and supervises it like a
  generation admitted here. A NOTIFY on `videogen_queue` (sent when a generation is queued and
  when a slot frees) wakes every puller at once; each also looks every `REPLICA_TICK`.
* **Never losing a job.** A waiting generation belongs to no replica: when the replica that
  admitted it is killed (-9 or otherwise), it stays in line and another replica runs it to its
  end (`take_over` leaves waiting rows alone). Once claimed, it is the claimer's like any other:
  if that one dies, the takeover marks it interrupted (see `replicas`).
* **Uploads.** With a shared artifact store (`--storage-url`: a shared directory or a bucket)
  every upload is kept there too (`adapters.uploads`), so any replica reads it and a request
  naming one runs anywhere. Without one, uploaded documents and music are on the admitting
  replica's own data dir only, so such a request is pinned to that replica (`pinned_to`): only
  its puller claims it, and if it dies the generation waits until it is back, for at most
  `PIN_GRACE`: then it ends `interrupted`, saying its uploads are on a replica that is gone
  and to submit it again (`queue_pg`).
* **Fairness across the cluster**: the next claimed is the oldest waiting generation of the
  client with the fewest running across the cluster (`queue_pg`); the queue bound
  (`max_queued`) counts every replica's waiting generations (`Replicas.starts_here`).

* **Drafts' renders and revisions** wait in the same line (`_render_in_cluster`, and
  `_submit_to_cluster` with the revision's content and script): a waiting row with stored
  content and script is rendered from them by whichever replica claims it; a fresh one has
  none until its writer ran (no column says which: the content does).
"""

from __future__ import annotations

import logging
import math
from typing import TYPE_CHECKING

import trio

from videogen.actors.errors import StorageFailing, StoreUnavailable
from videogen.actors.limits import ADMISSION_RECORD_GRACE, REPLICA_TICK, STORE_RETRY_INTERVAL
from videogen.actors.runtime.admission import Ticket
from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.generation import Generation
from videogen.actors.runtime.ids import generation_id, reference_id
from videogen.actors.runtime.review import draft_of, request_of
from videogen.actors.runtime.reviewing import owner_of
from videogen.actors.runtime.tree import ActorNode

if TYPE_CHECKING:
    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.adapters.store import GenerationRecord, Store
    from videogen.actors.runtime.admission import Admission
    from videogen.actors.runtime.config import RegistryConfig
    from videogen.actors.runtime.ownership import Owner
    from videogen.actors.runtime.replicas import Replicas
    from videogen.actors.stages.messages import Scripted
    from videogen.media.models import GenerationRequest

__all__ = ["Pulling", "pinned"]

log = logging.getLogger("videogen.queue")


def pinned(request: GenerationRequest, *, shared_uploads: bool = False) -> bool:
    """Whether `request` reads uploads from the admitting replica's own data dir (never when
    uploads are kept in a shared artifact store)."""
    if shared_uploads:
        return False
    return request.music is not None or any(s.type == "upload" for s in request.sources)


class Pulling:
    """The registry's puller: claims waiting generations into its own free slots."""

    # What the registry has (set in `Registry.__init__`).
    store: Store
    config: RegistryConfig
    admission: Admission
    replicas: Replicas | None
    files: ArtifactStore
    node: ActorNode
    _nursery: trio.Nursery
    _live: dict[str, Generation]
    # What `submit` handed back for generations it queued in the database, while they wait.
    _handles: dict[str, Generation]

    if TYPE_CHECKING:

        def _generation(
            self,
            gid: str,
            alias: str,
            client: str,
            request: GenerationRequest,
            ticket: Ticket,
            owner: Owner,
            events: Broadcast,
        ) -> Generation: ...

        async def _supervise(self, gen: Generation, draft: Scripted | None = None) -> None: ...

    async def _submit_to_cluster(
        self,
        request: GenerationRequest,
        client: str,
        owner: Owner,
        *,
        revision: tuple[str, str, Scripted] | None = None,
    ) -> Generation:
        """Record a generation `queued` and put it in the cluster's line; the `Generation`
        handed back is not live here (whichever replica claims it runs it: follow it through
        `subscribe`). `revision` (its parent's id and alias, its content and script): a
        revision, rendered from them wherever it is claimed. Raises `StorageFailing` as
        `Registry.submit` does."""
        replicas = self.replicas
        assert replicas is not None
        gid = generation_id(request.topic)
        draft = None
        message = "⏳ Queued"
        if revision is not None:
            parent, _, scripted = revision
            draft = (parent, scripted.content.model_dump_json(), scripted.script.model_dump_json())
            message = f"⏳ Queued: a revision of {parent}"
        gen = Generation(
            id=gid,
            alias=reference_id(request.topic) if revision is None else revision[1],
            client=client,
            request=request,
            artifacts=self.config.artifacts(gid),
            store=self.store,
            ticket=Ticket(client),  # never granted: it holds no slot here
            node=ActorNode(gid, "generation"),
            owner=owner,
        )
        # Shielded and bounded as `Registry.submit`'s recording. A row recorded but not put in
        # line (cut short) is never claimed: the takeover ends it `interrupted`.
        try:
            with trio.move_on_after(ADMISSION_RECORD_GRACE, shield=True) as recording:
                await self.store.insert(
                    gid,
                    alias=gen.alias,
                    client=client,
                    topic=request.topic,
                    request=request.model_dump(mode="json"),
                    owner=(owner.user, owner.token_hash),
                    draft=draft,
                )
                ahead = await replicas.queued() - 1  # this one is counted: it is `queued`
                waiting = f" ({ahead} ahead across replicas)" if ahead > 0 else ""
                await gen.emit("queued", 0, f"{message}{waiting}")
                await replicas.enqueue(
                    gid, pinned=pinned(request, shared_uploads=self.files.shared)
                )
        except StoreUnavailable as exc:
            raise StorageFailing(f"storage is failing: {exc}", retry_after=exc.retry_after) from exc
        except Exception as exc:  # the claims connection's own refusal (psycopg's)
            raise StorageFailing(
                f"storage is failing: {exc}", retry_after=math.ceil(STORE_RETRY_INTERVAL)
            ) from exc
        if recording.cancelled_caught:
            log.error("%s not queued within %g s: refused", gid, ADMISSION_RECORD_GRACE)
            raise StorageFailing(
                f"storage is failing: the database did not queue the generation within "
                f"{ADMISSION_RECORD_GRACE:g} s",
                retry_after=math.ceil(STORE_RETRY_INTERVAL),
            )
        self._handles[gid] = gen
        self._nursery.start_soon(self._mirror, gen, name=f"queued:{gid}")
        return gen

    async def _starts_here(self) -> bool:
        """Whether work asked here starts here (always without replicas); else it waits in
        the cluster's line (`Replicas.starts_here`: raises `QueueFull`)."""
        if self.replicas is None:
            return True
        return await self.replicas.starts_here(self.admission, shared=self.config.shares_queue)

    async def _render_in_cluster(self, record: GenerationRecord, client: str) -> Generation:
        """Render the draft `record` (awaiting review, checked under its lock) wherever a slot
        frees first: taken from `awaiting_review` atomically (`Replicas.claim_draft`: of two
        renders asked at once, one gets it, the other raises `NotAwaitingReview`), recorded
        `queued` under that claim, then put in line claimed by nobody. The claimer renders it
        from its stored content and script (`_pull_one`). The `Generation` handed back is not
        live here. Raises `NotAwaitingReview` or `StorageFailing`; before its `queued` event
        is written the draft waits for review again; a line the database refuses after it
        leaves the claim to run out, and the takeover ends it `interrupted` (one terminal)."""
        replicas = self.replicas
        assert replicas is not None
        gid = record.id
        request = request_of(record)
        gen = Generation(
            id=gid,
            alias=record.alias,
            client=client,
            request=request,
            artifacts=self.config.artifacts(gid),
            store=self.store,
            ticket=Ticket(client),  # never granted: it holds no slot here
            node=ActorNode(gid, "generation"),
            owner=owner_of(record),
        )
        await replicas.claim_draft(gid)
        recorded = False
        try:
            with trio.move_on_after(ADMISSION_RECORD_GRACE, shield=True) as recording:
                gen.broadcast = Broadcast(await self.store.events(gid))
                gen.status, gen.progress = "awaiting_review", record.progress
                ahead = await replicas.queued() - 1  # this one is counted: it is `queued`
                waiting = f" ({ahead} ahead across replicas)" if ahead > 0 else ""
                await gen.emit("queued", 0, f"⏳ Queued for rendering{waiting}")
                recorded = True
                await replicas.enqueue_claimed(
                    gid, pinned=pinned(request, shared_uploads=self.files.shared)
                )
        except Exception as exc:
            if not recorded:
                await replicas.unclaim_draft(gid)
            else:
                replicas.release(gid)
            raise StorageFailing(
                f"storage is failing: {exc}", retry_after=math.ceil(STORE_RETRY_INTERVAL)
            ) from exc
        if recording.cancelled_caught:
            log.error("render of %s not queued within %g s", gid, ADMISSION_RECORD_GRACE)
            if not recorded:
                await replicas.unclaim_draft(gid)
                raise StorageFailing(
                    f"storage is failing: the database did not queue the render within "
                    f"{ADMISSION_RECORD_GRACE:g} s",
                    retry_after=math.ceil(STORE_RETRY_INTERVAL),
                )
            replicas.release(gid)  # its lease runs out: the takeover ends it interrupted
        return gen

    async def _mirror(self, gen: Generation) -> None:
        """Keep the handle `submit` gave for a generation queued in the database up to date
        (its broadcast, `finished`) for callers in this process (the CLI, the blocking
        `/api/generate`): with the events of whichever replica runs it, read from the store,
        until its puller here claims it (then that run emits into this same handle). Ends with
        the handle closed, unless this replica runs it."""
        replicas = self.replicas
        assert replicas is not None
        try:
            with await replicas.follow(gen.id, list(gen.broadcast.log), gen.seq) as events:
                async for event in events:
                    if gen.ticket.granted.is_set():
                        return  # claimed here (a granted ticket): its run emits into it
                    if event.seq > gen.seq:
                        gen.status, gen.progress, gen.message = (
                            event.status,
                            event.progress,
                            event.message,
                        )
                        gen.updated_at = event.at
                        gen.broadcast.publish(event)
        finally:
            self._handles.pop(gen.id, None)
            if not gen.ticket.granted.is_set():
                gen.broadcast.close()
                gen.finished.set()

    async def waiting_position(self, record: GenerationRecord) -> int | None:
        """Where a generation not live here waits across the cluster (1: next); None when it
        does not wait in the database (or on SQLite)."""
        if self.replicas is None or record.status != "queued":
            return None
        ahead = await self.replicas.position(record.id)
        return None if ahead is None else ahead + 1

    async def pull_forever(self) -> None:
        """Claim and start waiting generations while slots are free here; until admission
        closes (shutdown: what still waits is left for the other replicas)."""
        replicas = self.replicas
        assert replicas is not None
        while not self.admission.closed:
            with trio.move_on_after(REPLICA_TICK):
                await replicas.queue_wake.wait()
            replicas.queue_wake = trio.Event()
            try:
                while await self._pull_one(replicas):
                    pass
            except Exception:  # the database hiccuped: the next tick tries again
                log.warning("could not claim waiting work: trying again", exc_info=True)

    async def _pull_one(self, replicas: Replicas) -> bool:
        """Claim and start one waiting generation, when a slot is free here; whether it did."""
        adm = self.admission
        if adm.closed or adm.queued or adm.running >= adm.max_running:
            return False
        # No slot is held while we look: a submit here meanwhile starts at once, as it should.
        gid = await replicas.claim_next()
        if gid is None:
            return False
        if adm.closed or adm.queued or adm.running >= adm.max_running:
            # Shutting down, or a submit here took the slot meanwhile: back in line.
            self._nursery.start_soon(replicas.unclaim, gid)
            return False
        ticket = adm.reserve("cluster")  # granted: no checkpoint since the look above
        gen: Generation | None = None
        try:
            record = await self.store.get(gid)
            events = await self.store.events(gid)
            assert record is not None  # claimed just now: rows are never deleted
            ticket.client = record.client
            handle = self._handles.pop(gid, None)
            if handle is not None and not handle.broadcast.closed:
                # Queued by this replica: the handle its submit gave runs (see `_mirror`).
                gen = handle
                gen.ticket = ticket
                gen.node = self.node.child(gid, "generation")
                gen.node.detail = gen.request.topic[:80]
            else:
                gen = self._generation(
                    gid,
                    record.alias,
                    record.client,
                    request_of(record),
                    ticket,
                    owner_of(record),
                    Broadcast(events),
                )
                gen.created_at = record.created_at
            # A draft's render or a revision: rendered from its stored content and script.
            stored = record.content is not None and record.script is not None
            draft = draft_of(record) if stored else None
            gen.progress = max(gen.progress, record.progress)  # it never goes down
            self._live[gid] = gen
            log.info("claimed %s from the cluster's queue", gid)
            self._nursery.start_soon(self._supervise, gen, draft, name=f"generation:{gid}")
            return True
        finally:
            if gen is None:  # the store failed us: the slot back, the generation in line
                adm.release(ticket)
                self._nursery.start_soon(replicas.unclaim, gid)
