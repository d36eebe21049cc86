"""The registry: admits, finds, lists, cancels and outlives every generation.

    run_registry (app nursery) ─ generations nursery ─ run_generation × N ─ stage actors

`run_registry` is started into a long-lived nursery (the app's, or the CLI's) and hands back a
`Registry` through `task_status`. It owns the nursery every generation runs in, so no request
ever owns a generation, and the task that retries the store's queued writes. On start it marks
whatever the last process left unfinished as `interrupted` and sweeps the scratch that failed
or crashed generations left; on `shutdown` it stops admitting, gives running generations a grace
period and then interrupts them. Admission refuses while storage fails its check.

Drafts awaiting review, their edits and renders, and revisions: see `reviewing.Reviewing`,
whose methods the registry has.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import math
from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.exports import ExportCache
from videogen.actors.adapters.object_store import LocalStore
from videogen.actors.adapters.storage import StorageHealth
from videogen.actors.errors import (
    AlreadyFinished,
    GenerationNotFound,
    StorageFailing,
    StoreRejected,
    StoreUnavailable,
)
from videogen.actors.limits import (
    ADMISSION_RECORD_GRACE,
    STORAGE_CHECK_TTL,
    STORE_FLUSH_GRACE,
    STORE_RETRY_INTERVAL,
    TERMINAL_WRITE_GRACE,
)
from videogen.actors.runtime.admission import Admission
from videogen.actors.runtime.config import RegistryConfig
from videogen.actors.runtime.generation import Generation
from videogen.actors.runtime.ids import generation_id, reference_id
from videogen.actors.runtime.ownership import (
    NOBODY,
    SYSTEM,
    Caller,
    Owner,
    authorize_change,
    visible,
)
from videogen.actors.runtime.pulling import Pulling
from videogen.actors.runtime.reads import FinishedReads
from videogen.actors.runtime.recovery import recover
from videogen.actors.runtime.replica_rules import runs_elsewhere
from videogen.actors.runtime.review import KeyedLocks
from videogen.actors.runtime.reviewing import Reviewing, owner_of
from videogen.actors.runtime.supervisor import run_generation
from videogen.actors.runtime.tree import ActorNode

if TYPE_CHECKING:
    from videogen.actors.adapters.artifact_cache import ArtifactCache
    from videogen.actors.adapters.media_port import MediaPort
    from videogen.actors.adapters.object_store import ArtifactStore
    from videogen.actors.adapters.store import GenerationRecord, Store
    from videogen.actors.runtime.broadcast import Broadcast, Subscription
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.replicas import Replicas
    from videogen.actors.stages.messages import Scripted
    from videogen.media.models import GenerationRequest

__all__ = ["Registry", "RegistryConfig", "run_registry"]

log = logging.getLogger("videogen.registry")


class Registry(FinishedReads, Reviewing, Pulling):
    """The handle routes and the CLI use. All methods are safe from any task of the same run.

    The finished generation's reads are in `FinishedReads` (`reads.py`); drafts, their edits
    and renders, and revisions in `Reviewing` (`reviewing.py`); the cluster's work queue
    (PostgreSQL) in `Pulling` (`pulling.py`).
    """

    def __init__(
        self,
        nursery: trio.Nursery,
        store: Store,
        media: MediaPort,
        config: RegistryConfig,
        cache: ArtifactCache | None = None,
        files: ArtifactStore | None = None,
    ) -> None:
        self._nursery = nursery
        self.store = store
        self.media = media
        self.config = config
        # Per-slide artifacts shared by every generation (None: every render from scratch).
        self.cache = cache
        self.admission = Admission(max_running=config.max_running, max_queued=config.max_queued)
        self.node = ActorNode("registry", "registry", state="running")
        self.storage = StorageHealth(media, config.data_dir, min_free=config.min_free_bytes)
        self._live: dict[str, Generation] = {}
        # Drafts awaiting review that someone follows: their open broadcasts (see the module).
        self._drafts: dict[str, Broadcast] = {}
        # Every change of one draft (edit, render, cancel) takes its turn under its lock.
        self.locks = KeyedLocks()
        self._drained = trio.Event()
        # Renders and revisions between their slot's reservation and `_live` (reads and writes
        # in between): a shutdown is drained only once none is (`_note_if_drained`).
        self._starting = 0
        # The store's flusher (retrying writes the database refused) lives until `shutdown`,
        # which waits for it to end: `run_registry` must find no task left when it wakes, or
        # a cancel of its owner's nursery arriving meanwhile would escape through it.
        self._flusher = trio.CancelScope()
        self._flusher_done: trio.Event | None = None
        self._stopped = trio.Event()
        # Where finished files are published and read back from (`--storage-url`).
        self.files: ArtifactStore = files or LocalStore(config.generations_dir, shared=False)
        self.exports = ExportCache(self.files)
        # With a PostgreSQL store: claims, takeovers and events across replicas (else None).
        self.replicas: Replicas | None = None
        self._handles: dict[str, Generation] = {}  # see `pulling`

    # -- admission ------------------------------------------------------------------------

    async def submit(
        self, request: GenerationRequest, *, client: str = "local", owner: Owner = NOBODY
    ) -> Generation:
        """Admit a generation and start its supervisor; returns once it is recorded `queued`.

        `owner` (its user and owner token hash) decides who may see and change it later.
        Raises `QueueFull`, `ShuttingDown` or `StorageFailing` (all `AdmissionRefused`) without
        recording it; `StorageFailing` while the data dir fails its storage check or the
        database refuses writes.
        """
        await self._require_storage()
        replicas = self.replicas
        if replicas is not None and not await replicas.starts_here(
            self.admission, shared=self.config.shares_queue
        ):
            return await self._submit_to_cluster(request, client, owner)  # see `pulling`
        ticket = self.admission.reserve(client)
        gid = generation_id(request.topic)
        node = self.node.child(gid, "generation")
        gen = Generation(
            id=gid,
            alias=reference_id(request.topic),
            client=client,
            request=request,
            artifacts=self.config.artifacts(gid),
            store=self.store,
            ticket=ticket,
            node=node,
            owner=owner,
        )
        node.detail = request.topic[:80]
        self._live[gid] = gen
        # Shielded: a client that hangs up mid-submit must not leave a half-recorded generation.
        # Bounded: a database that takes longer refuses the submit instead.
        try:
            with trio.move_on_after(ADMISSION_RECORD_GRACE, shield=True) as recording:
                await self._record_admission(gen)
        except StoreUnavailable as exc:
            raise StorageFailing(f"storage is failing: {exc}", retry_after=exc.retry_after) from exc
        if recording.cancelled_caught:
            log.error("%s not recorded within %g s: refused", gid, ADMISSION_RECORD_GRACE)
            raise StorageFailing(
                f"storage is failing: the database did not record the generation within "
                f"{ADMISSION_RECORD_GRACE:g} s",
                retry_after=math.ceil(STORE_RETRY_INTERVAL),
            )
        self._nursery.start_soon(self._supervise, gen, name=f"generation:{gid}")
        return gen

    async def _require_storage(self) -> None:
        """Raise `StorageFailing` while the database refuses writes or the data dir fails."""
        retry = math.ceil(STORAGE_CHECK_TTL)
        if self.store.failure is not None:
            raise StorageFailing(f"storage is failing: {self.store.failure}", retry_after=retry)
        failure = await self.storage.check()
        if failure is not None:
            raise StorageFailing(f"storage is failing: {failure}", retry_after=retry)

    async def _record_admission(self, gen: Generation) -> None:
        """Store the new generation and its `queued` event; on failure it never existed (or,
        when its row was written but not its event, it ends `error`: see `_abandon`)."""
        inserted = False
        try:
            await self.store.insert(
                gen.id,
                alias=gen.alias,
                client=gen.client,
                topic=gen.request.topic,
                request=gen.request.model_dump(mode="json"),
                owner=(gen.owner.user, gen.owner.token_hash),
            )
            inserted = True
            position = self.admission.position(gen.ticket)
            waiting = f" ({position} ahead)" if position else ""
            await gen.emit("queued", 0, f"⏳ Queued{waiting}")
        except BaseException:
            self.admission.release(gen.ticket)
            self._forget(gen)
            if inserted:  # `start_soon` needs no checkpoint: it runs even while cancelled
                self._nursery.start_soon(self._abandon, gen, name=f"abandon:{gen.id}")
            else:
                gen.finished.set()  # a cancel that found it live waits for this
            raise

    async def _abandon(self, gen: Generation) -> None:
        """End a generation whose row was written but whose submit was cut short before its
        `queued` event: one `error` event, so its record is not left looking queued."""
        message = "❌ Error: storage failed: the generation was not recorded in time"
        try:
            with trio.move_on_after(TERMINAL_WRITE_GRACE):
                try:
                    await gen.emit("error", 0, message)
                except Exception:  # the store is broken: the next start marks it interrupted
                    log.exception("could not end %s", gen.id)
        finally:
            gen.finished.set()  # a cancel that found it live waits for this

    async def _supervise(self, gen: Generation, draft: Scripted | None = None) -> None:
        try:
            if self.replicas is not None:
                # Ours before it runs (retried in the background while the database refuses;
                # this replica's own reaper skips it meanwhile).
                await self.replicas.claim(gen.id)
            await run_generation(
                gen, self.media, self.admission, draft, cache=self.cache, files=self.files
            )
        finally:
            followed = not gen.broadcast.closed and gen.broadcast.watched
            if self.replicas is not None and gen.status == "awaiting_review":
                # Another replica may render or cancel the draft (the event that says it waits
                # also released its claim, `store_pg`): its streams here are fed from the store.
                if followed:
                    self.replicas.adopt(gen.id, gen.broadcast)
                self.replicas.release(gen.id)
                self.replicas.slot_freed()
            elif self.replicas is not None:
                self.replicas.release(gen.id)
                self.replicas.slot_freed()  # any replica's puller may start what waits
            elif followed:
                self._keep_draft(gen.id, gen.broadcast)  # awaiting review, and followed
            self._forget(gen)

    def _forget(self, gen: Generation) -> None:
        self._live.pop(gen.id, None)
        self.node.remove(gen.node)
        self._note_if_drained()

    def _note_if_drained(self) -> None:
        """Set `_drained` once a shutdown began and nothing runs or starts any more."""
        if self.admission.closed and not self._live and not self._starting:
            self._drained.set()

    # -- lookup ---------------------------------------------------------------------------

    def live(self, gid: str) -> Generation | None:
        """The running or queued generation with this exact id, if any."""
        return self._live.get(gid)

    @property
    def running(self) -> int:
        """Generations holding a slot."""
        return self.admission.running

    @property
    def queued(self) -> int:
        """Generations waiting for a slot."""
        return self.admission.queued

    async def record(
        self, key: str, *, alias: bool = True, caller: Caller = SYSTEM
    ) -> GenerationRecord:
        """The stored record for an id, or (when `alias`) the newest for a documented topic ID,
        among the generations `caller` may see.

        Raises `GenerationNotFound` (also for another user's generation).
        """
        found = await self.store.get(key)
        if found is not None and not visible(caller, found.owner_user):
            found = None
        if found is None and alias:
            found = await self.store.by_alias(key, user=caller.only_user)
        if found is None:
            raise GenerationNotFound(key)
        return found

    def queue_position(self, gen: Generation) -> int | None:
        """Where `gen` waits: 1 for the next to start; None once it holds a slot."""
        if gen.ticket.granted.is_set():
            return None
        return self.admission.position(gen.ticket) + 1

    async def page(
        self, *, limit: int, before: float | None, user: str | None, client: str | None
    ) -> tuple[list[GenerationRecord], float | None]:
        """At most `limit` generations newest first (created before `before`, of `user` or
        `client` when given), and the `before` of the following page (None on the last)."""
        records = await self.store.listing(limit=limit + 1, before=before, user=user, client=client)
        page = records[:limit]
        return page, page[-1].created_at if len(records) > limit else None

    # -- health ---------------------------------------------------------------------------

    async def storage_failure(self, *, max_age: float) -> str | None:
        """Why the data dir or the database cannot take work now, or None. A fresh look (not
        admission's cached one) unless the last is under `max_age` old; each part answers within
        its own timeout (`STORAGE_CHECK_TIMEOUT`, `STORE_PROBE_TIMEOUT`)."""
        failure = await self.storage.check(max_age=max_age)
        if failure is None:
            failure = await self.store.probe()
        return failure

    async def check_speech(self) -> float:
        """Seconds of audio a short test phrase gave (see `MediaPort.check_speech`); the caller
        sets the time limit."""
        return await self.media.check_speech()

    def _live_for(self, gid: str, caller: Caller) -> Generation | None:
        gen = self._live.get(gid)
        return gen if gen is not None and visible(caller, gen.owner) else None

    async def subscribe(
        self, key: str, *, after_seq: int = 0, caller: Caller = SYSTEM
    ) -> Subscription:
        """Events of a generation (replay after `after_seq`, then live) by id or alias.

        Raises `GenerationNotFound` (also for another user's generation).
        """
        live = self._live_for(key, caller)
        record = None if live is not None else await self.record(key, caller=caller)
        gid = live.id if live is not None else record.id if record is not None else key
        here = self._subscribe_here(gid, after_seq)
        if here is not None:
            return here
        history = await self.store.events(gid)
        if record is None:
            record = await self.record(gid, alias=False, caller=caller)
        if history and history[-1].status == "completed" and record.reuse is not None:
            # The row keeps what came from the cache; the final event carries it, as it did live.
            history[-1] = dataclasses.replace(history[-1], reuse=record.reuse)
        if self.replicas is not None and (
            runs_elsewhere(record.status, history) or record.status == "awaiting_review"
        ):
            # A draft too: another replica may render or cancel it; its events come through
            # the store.
            return await self.replicas.follow(gid, history, after_seq)
        if history and history[-1].status == "awaiting_review":
            # A draft: its render or cancel may have begun while the store was read, and
            # holds its lock until it is live (or cancelled): look again, in turn with them.
            async with self.locks.hold(gid):
                here = self._subscribe_here(gid, after_seq)
                if here is not None:
                    return here
                history = await self.store.events(gid)
                return self._subscribe_stored(gid, history, after_seq)
        return self._subscribe_stored(gid, history, after_seq)

    # -- cancellation and shutdown --------------------------------------------------------

    async def cancel(self, gid: str, *, caller: Caller = SYSTEM) -> ProgressEvent:
        """Cancel by exact id and wait until its tasks and processes are gone.

        Only the admin or the holder of its owner token may. Returns the terminal event.
        Raises `GenerationNotFound` (also for another user's), `NotOwner` or `AlreadyFinished`.
        """
        while True:
            gen = self._live_for(gid, caller)
            if gen is None:
                record = await self.record(gid, alias=False, caller=caller)
                authorize_change(caller, owner_of(record))
                if self.replicas is not None and runs_elsewhere(record.status, []):
                    return await self.replicas.cancel(
                        gid, functools.partial(self.subscribe, gid, caller=caller)
                    )
                if record.status != "awaiting_review":
                    raise AlreadyFinished(gid, record.status)
                ended = await self._cancel_draft(gid)
                if ended is not None:
                    return ended
                continue  # its render started meanwhile: cancel that
            authorize_change(caller, gen.owner)
            gen.cancel("cancelled")
            await gen.finished.wait()
            if not gen.broadcast.log:  # its submit failed before it was recorded
                raise GenerationNotFound(gid)
            last = gen.broadcast.log[-1]
            if last.status == "awaiting_review":
                continue  # its draft run ended before the cancel: cancel the waiting draft
            if last.status != "cancelled":
                raise AlreadyFinished(gid, last.status)
            return last

    async def shutdown(self) -> None:
        """Stop admitting, let running generations finish within the grace, interrupt the rest."""
        self.admission.close()
        self.node.state = "waiting"
        self._note_if_drained()
        with trio.move_on_after(self.config.shutdown_grace):
            await self._wait_running_done()
        for gen in list(self._live.values()):
            gen.cancel("interrupted")
        await self._drained.wait()
        # Drafts keep waiting in the store; their streams end here and resume after a restart.
        for events in self._drafts.values():
            events.close()
        self._drafts.clear()
        # Writes the database refused so far get a last chance; then the flusher stops.
        if self.store.pending:
            with trio.move_on_after(STORE_FLUSH_GRACE), contextlib.suppress(StoreRejected):
                await self.store.settle()  # a rejected batch was logged by the store
        if self.replicas is not None:
            await self.replicas.stop()  # leases were renewed until the last one here ended
        self._flusher.cancel(reason="registry shut down")
        if self._flusher_done is not None:
            await self._flusher_done.wait()
        self.node.state = "done"
        self._stopped.set()

    async def _keep_flushing(self) -> None:
        self._flusher_done = done = trio.Event()
        try:
            with self._flusher:
                await self.store.keep_flushing()
        finally:
            done.set()

    async def _wait_running_done(self) -> None:
        # Queued generations will not start any more: interrupt them at once.
        for gen in list(self._live.values()):
            if not gen.ticket.granted.is_set():
                gen.cancel("interrupted")
        await self._drained.wait()

    # -- introspection --------------------------------------------------------------------

    def snapshot(self) -> dict[str, object]:
        """The live supervision tree (registry → generations → stages) as JSON-ready dicts."""
        tree = self.node.snapshot()
        tree["running"] = self.running
        tree["queued"] = self.queued
        tree["replica"] = self.config.replica
        for child in tree["children"]:  # type: ignore[attr-defined]
            gen = self._live.get(child["name"])
            if gen is not None:
                child.update(
                    status=gen.status, progress=gen.progress, client=gen.client, user=gen.owner.user
                )
        return tree


async def run_registry(
    store: Store,
    media: MediaPort,
    config: RegistryConfig,
    *,
    recover_first: bool = True,
    cache: ArtifactCache | None = None,
    files: ArtifactStore | None = None,
    task_status: trio.TaskStatus[Registry] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Recover (unless `recover_first` is false: the caller did, or may not), then serve
    generations until `Registry.shutdown` has drained them (and given writes the store still
    holds `STORE_FLUSH_GRACE` more to land).

    Started with `await nursery.start(run_registry, ...)`, which returns the `Registry`.
    """
    config.generations_dir.mkdir(parents=True, exist_ok=True)
    if recover_first:
        await recover(store, config)
    async with trio.open_nursery() as nursery:
        registry = Registry(nursery, store, media, config, cache, files)
        nursery.start_soon(registry._keep_flushing, name="store:flush")
        if store.engine == "postgresql":
            from videogen.actors.runtime.replicas import Replicas  # psycopg only then

            registry.replicas = await Replicas.open(store, config.replica, registry.live)
            # Its first look for dead replicas' generations is this start's recovery.
            await registry.replicas.take_over()
            nursery.start_soon(registry.replicas.run, name="replicas")
            if config.shares_queue:
                nursery.start_soon(registry.pull_forever, name="replicas:queue")
        task_status.started(registry)
        await registry._stopped.wait()
