"""The registry's part for review before rendering, and revisions (`Registry` inherits it).

A draft (`"render": false`) leaves the registry's `_live` when its first run reaches
`awaiting_review`: it waits in the store, for days if need be, holding no slot and no memory
(`review.draft_of` reads it back). A draft someone follows keeps its open broadcast in
`_drafts` (made on demand from the stored events, dropped once nobody follows), so the stream
goes on with the events of its render. Every change of one draft (an edit, its render, its
cancel) takes its turn under `locks`; the store's compare-and-set on the version refuses an edit
against a version that is no longer current. `render` starts a second supervised run of the same
generation into the registry's nursery; `revise` makes a new generation from a completed one.
With replicas on PostgreSQL both wait in the cluster's line instead, as a submit does, when no
slot is free here or others wait already (`pulling`).
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING

import trio

from videogen.actors.errors import (
    AlreadyFinished,
    NotAwaitingReview,
    NotCompleted,
    StoreUnavailable,
    VersionConflict,
)
from videogen.actors.limits import ADMISSION_RECORD_GRACE, TERMINAL_WRITE_GRACE
from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.generation import Generation
from videogen.actors.runtime.ids import generation_id
from videogen.actors.runtime.ownership import SYSTEM, Caller, Owner, authorize_change
from videogen.actors.runtime.review import Draft, KeyedLocks, draft_of, edited, request_of
from videogen.actors.stages.messages import Scripted
from videogen.media import editing

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

    from videogen.actors.adapters.store import GenerationRecord, Store
    from videogen.actors.runtime.admission import Admission, Ticket
    from videogen.actors.runtime.broadcast import Subscription
    from videogen.actors.runtime.registry import RegistryConfig
    from videogen.actors.runtime.replicas import Replicas
    from videogen.actors.runtime.review import Edit
    from videogen.actors.runtime.tree import ActorNode
    from videogen.media.editing import SlideEdit
    from videogen.media.models import Content, GenerationRequest, Script

__all__ = ["Reviewing", "owner_of"]

log = logging.getLogger("videogen.registry")


def owner_of(record: GenerationRecord) -> Owner:
    """Whose a stored generation is."""
    return Owner(record.owner_user, record.owner_token_hash)


class Reviewing:
    """Drafts, their edits and renders, and revisions: the registry's methods for them."""

    # What the registry has (set in `Registry.__init__`).
    store: Store
    config: RegistryConfig
    admission: Admission
    node: ActorNode
    _nursery: trio.Nursery
    _live: dict[str, Generation]
    # Drafts awaiting review that someone follows: their open broadcasts.
    _drafts: dict[str, Broadcast]
    locks: KeyedLocks
    replicas: Replicas | None
    # Renders and revisions between their reservation and `_live` (see `_starting_run`).
    _starting: int

    if TYPE_CHECKING:

        async def record(
            self, key: str, *, alias: bool = True, caller: Caller = SYSTEM
        ) -> GenerationRecord: ...

        async def _require_storage(self) -> None: ...

        def _forget(self, gen: Generation) -> None: ...

        def _note_if_drained(self) -> None: ...

        async def _supervise(self, gen: Generation, draft: Scripted | None = None) -> None: ...

        # The cluster's line (`pulling`), on PostgreSQL with replicas.
        async def _starts_here(self) -> bool: ...

        async def _render_in_cluster(self, record: GenerationRecord, client: str) -> Generation: ...

        async def _submit_to_cluster(
            self,
            request: GenerationRequest,
            client: str,
            owner: Owner,
            *,
            revision: tuple[str, str, Scripted] | None = None,
        ) -> Generation: ...

    @contextlib.contextmanager
    def _starting_run(self) -> Iterator[None]:
        """Count a render or revision from its slot's reservation until it is in `_live` (or
        has failed): a shutdown in between waits for it, then finds it live and interrupts
        it, instead of calling itself drained and closing the nursery it is about to start
        into."""
        self._starting += 1
        try:
            yield
        finally:
            self._starting -= 1
            self._note_if_drained()

    def _keep_draft(self, gid: str, events: Broadcast) -> None:
        """Keep a followed draft's open broadcast; forget those nobody follows any more."""
        for other in [k for k, b in self._drafts.items() if not b.watched]:
            del self._drafts[other]
        self._drafts[gid] = events

    def _subscribe_here(self, gid: str, after_seq: int) -> Subscription | None:
        """A subscription to `gid`'s open broadcast in memory (running, or a followed draft),
        or None when it has none here."""
        gen = self._live.get(gid)
        if gen is not None:
            return gen.broadcast.subscribe(after_seq)
        if gid in self._drafts:
            return self._drafts[gid].subscribe(after_seq)
        return None

    def _subscribe_stored(
        self, gid: str, history: list[ProgressEvent], after_seq: int
    ) -> Subscription:
        """A subscription to a generation not running now, from its stored events: open (and
        kept) for a draft awaiting review, closed for a finished one."""
        # It may have started (a render) while the store was read.
        here = self._subscribe_here(gid, after_seq)
        if here is not None:
            return here
        events = Broadcast(history)
        if history and history[-1].status == "awaiting_review" and not self.admission.closed:
            subscription = events.subscribe(after_seq)  # subscribed first: it is then watched
            self._keep_draft(gid, events)
            return subscription
        events.close()
        return events.subscribe(after_seq)

    async def _cancel_draft(self, gid: str) -> ProgressEvent | None:
        """End a waiting draft with its terminal `cancelled`; None when it is running now."""
        async with self.locks.hold(gid):
            if gid in self._live:
                return None
            record = await self.store.get(gid)
            if record is None or record.status != "awaiting_review":
                raise AlreadyFinished(gid, record.status if record else "gone")
            if self.replicas is not None:
                return await self._cancel_shared_draft(gid)
            events = self._drafts.pop(gid, None) or Broadcast(await self.store.events(gid))
            last = events.log[-1]
            event = ProgressEvent(
                generation_id=gid,
                seq=last.seq + 1,
                status="cancelled",
                progress=last.progress,
                message="🛑 Generation cancelled",
                at=time.time(),
            )
            try:
                with trio.move_on_after(TERMINAL_WRITE_GRACE, shield=True):
                    await self.store.append(event)  # queued, and read back, if refused now
                    await self.store.settle()
            finally:
                events.publish(event)
                events.close()
            return event

    async def _cancel_shared_draft(self, gid: str) -> ProgressEvent | None:
        """With replicas: the draft cancelled in one compare-and-set in the database (a render
        asked on another replica at the same moment wins or loses as a whole); None when it
        won — the draft is then running there, and is cancelled there (`Registry.cancel`).
        Its followers on every replica get the event through the store."""
        assert self.replicas is not None
        message, at = "🛑 Generation cancelled", time.time()
        with trio.move_on_after(TERMINAL_WRITE_GRACE, shield=True):
            ended = await self.replicas.cancel_draft(gid, message, at)
            if ended is None:
                return None
            seq, progress = ended
            return ProgressEvent(
                generation_id=gid,
                seq=seq,
                status="cancelled",
                progress=progress,
                message=message,
                at=at,
            )
        raise StoreUnavailable("the database did not answer the cancel in time", retry_after=5)

    async def _waiting_draft(self, gid: str, caller: Caller) -> GenerationRecord:
        """The draft `gid`, once its first run has let go of it, if `caller` may change it.

        Call under `locks.hold(gid)`. Raises `GenerationNotFound`, `NotOwner` or
        `NotAwaitingReview`.
        """
        live = self._live.get(gid)
        if live is not None and live.status == "awaiting_review":
            await live.finished.wait()  # its draft run is removing its scratch
        record = await self.record(gid, alias=False, caller=caller)
        authorize_change(caller, owner_of(record))
        live = self._live.get(gid)
        status = live.status if live is not None else record.status
        if live is not None or status != "awaiting_review":
            raise NotAwaitingReview(gid, status)
        return record

    async def edit(
        self, gid: str, edit: Edit, *, caller: Caller = SYSTEM, version: int | None = None
    ) -> Draft:
        """Change the draft `gid` (one edit at a time per draft); `version`, when given, must
        be its current one. Returns the new content, script and version.

        Raises `GenerationNotFound`, `NotOwner`, `NotAwaitingReview`, `VersionConflict`,
        `SlideNotFound`, `EditRejected`, `StoreBusy`/`StoreUnavailable`.
        """
        async with self.locks.hold(gid):
            record = await self._waiting_draft(gid, caller)
            if version is not None and version != record.version:
                raise VersionConflict(gid, version, record.version)
            content, script = edited(gid, draft_of(record), request_of(record), edit)
            written = await self.store.edit_draft(
                gid, content.model_dump_json(), script.model_dump_json(), version=record.version
            )
            if written is None:  # another process changed it: the lock is only this one's
                now = await self.record(gid, alias=False)
                if now.status != "awaiting_review":
                    raise NotAwaitingReview(gid, now.status)
                raise VersionConflict(gid, record.version, now.version)
            return Draft(gid, content, script, written)

    async def render(
        self, gid: str, *, client: str = "local", caller: Caller = SYSTEM
    ) -> Generation:
        """Start rendering the draft `gid` from its stored content and script: a new supervised
        run of the same generation, admitted like any other; returns once it is `queued`.

        Raises `GenerationNotFound`, `NotOwner`, `NotAwaitingReview` or `AdmissionRefused`.
        """
        async with self.locks.hold(gid):
            record = await self._waiting_draft(gid, caller)
            scripted = draft_of(record)
            request = request_of(record)
            await self._require_storage()
            if not await self._starts_here():
                return await self._render_in_cluster(record, client)  # see `pulling`
            with self._starting_run():
                ticket = self.admission.reserve(client)
                events = self._drafts.pop(gid, None)
                try:
                    if events is None:
                        events = Broadcast(await self.store.events(gid))
                    if self.replicas is not None:
                        # Out of `awaiting_review` in the database last: of two replicas asked
                        # to render it at once, one does (the other raises NotAwaitingReview).
                        await self.replicas.claim_draft(gid)
                except BaseException:
                    self.admission.release(ticket)
                    if events is not None and events.watched:
                        self._drafts[gid] = events  # its followers keep following the draft
                    raise
                try:
                    gen = self._generation(
                        gid, record.alias, client, request, ticket, owner_of(record), events
                    )
                    gen.status, gen.progress = "awaiting_review", record.progress
                    await self._launch(gen, scripted, "⏳ Queued for rendering", kept=events)
                except BaseException:
                    # Claimed but not started (a refusal, or the request cancelled while the
                    # claim's thread ran): the draft waits again, nobody's.
                    if self.replicas is not None:
                        await self.replicas.unclaim_draft(gid)
                    raise
            return gen

    async def revise(
        self,
        gid: str,
        edits: Sequence[tuple[int, SlideEdit]],
        *,
        render: bool,
        owner: Owner,
        client: str = "local",
        caller: Caller = SYSTEM,
    ) -> str:
        """A new generation (returned: its id) made from the completed `gid` with `edits`
        applied, owned by `owner`; rendered at once (`render`) or left awaiting review. The
        parent is only read.

        Raises `GenerationNotFound`, `NotOwner`, `NotCompleted`, `EditRejected`,
        `AdmissionRefused`.
        """
        parent = await self.record(gid, alias=False, caller=caller)
        authorize_change(caller, owner_of(parent))
        if parent.status != "completed" or parent.content is None or parent.script is None:
            raise NotCompleted(gid, parent.status)
        request = request_of(parent).model_copy(update={"render": render})
        content, script = edited(
            gid,
            draft_of(parent),
            request,
            lambda c, s, r: editing.revise(c, s, edits, r),
        )
        await self._require_storage()
        if render and not await self._starts_here():
            revision = (gid, parent.alias, Scripted(content, script))
            queued = await self._submit_to_cluster(request, client, owner, revision=revision)
            return queued.id  # see `pulling`
        with self._starting_run():
            return await self._revised(gid, parent.alias, request, content, script, owner, client)

    async def _revised(
        self,
        gid: str,
        alias: str,
        request: GenerationRequest,
        content: Content,
        script: Script,
        owner: Owner,
        client: str,
    ) -> str:
        """`revise`'s new generation, recorded and (when `request.render`) launched."""
        render = request.render
        ticket = self.admission.reserve(client) if render else None
        nid = generation_id(request.topic)
        try:
            await self.store.insert(
                nid,
                alias=alias,
                client=client,
                topic=request.topic,
                request=request.model_dump(mode="json"),
                owner=(owner.user, owner.token_hash),
                draft=(gid, content.model_dump_json(), script.model_dump_json()),
            )
        except BaseException:
            if ticket is not None:
                self.admission.release(ticket)
            raise
        if ticket is None:
            ready = ProgressEvent(
                generation_id=nid,
                seq=1,
                status="awaiting_review",
                progress=20,
                message=f"📝 Revision of {gid} ready for review: edit the slides, then render",
                at=time.time(),
            )
            with trio.move_on_after(TERMINAL_WRITE_GRACE, shield=True):
                await self.store.append(ready)
            return nid
        gen = self._generation(nid, alias, client, request, ticket, owner, Broadcast())
        await self._launch(gen, Scripted(content, script), f"⏳ Queued: a revision of {gid}")
        return nid

    def _generation(
        self,
        gid: str,
        alias: str,
        client: str,
        request: GenerationRequest,
        ticket: Ticket,
        owner: Owner,
        events: Broadcast,
    ) -> Generation:
        node = self.node.child(gid, "generation")
        node.detail = request.topic[:80]
        return Generation(
            id=gid,
            alias=alias,
            client=client,
            request=request,
            artifacts=self.config.artifacts(gid),
            store=self.store,
            ticket=ticket,
            node=node,
            owner=owner,
            broadcast=events,
        )

    async def _launch(
        self, gen: Generation, draft: Scripted, message: str, *, kept: Broadcast | None = None
    ) -> None:
        """Record `gen` queued and start its render's supervisor; on failure it stays as it
        was (a draft keeps waiting, with `kept` its broadcast again)."""
        self._live[gen.id] = gen
        try:
            with trio.move_on_after(ADMISSION_RECORD_GRACE, shield=True) as recording:
                position = self.admission.position(gen.ticket)
                waiting = f" ({position} ahead)" if position else ""
                await gen.emit("queued", 0, f"{message}{waiting}")
        except BaseException:
            self.admission.release(gen.ticket)
            self._forget(gen)
            if kept is not None and kept.watched:
                self._drafts[gen.id] = kept
            gen.finished.set()  # a cancel that found it live waits for this: it never ran
            raise
        if recording.cancelled_caught:
            log.error("render of %s not recorded within %g s", gen.id, ADMISSION_RECORD_GRACE)
        if self.admission.closed:
            # A shutdown began while it was being recorded, and has interrupted what ran:
            # its supervisor ends it `interrupted` at once (the cancel holds before it starts).
            gen.cancel("interrupted")
        self._nursery.start_soon(self._supervise, gen, draft, name=f"generation:{gen.id}")
