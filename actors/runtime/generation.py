"""One generation's live state: identity, request, status, event log and cancel scope.

The registry creates it; its supervisor is the only writer of its events (`emit`); routes and
subscribers only read. `emit` assigns `seq`, persists, then broadcasts, under one lock so the
database, the log and every subscriber see the same order.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import trio

from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import ProgressEvent, Status, is_terminal
from videogen.actors.runtime.ownership import NOBODY, Owner

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.adapters.store import Store
    from videogen.actors.runtime.admission import Ticket
    from videogen.actors.runtime.artifacts import Artifacts
    from videogen.actors.runtime.tree import ActorNode
    from videogen.media.models import GenerationRequest

__all__ = ["EndReason", "Generation"]

EndReason = Literal["cancelled", "interrupted"]


@dataclass(eq=False)
class Generation:
    """A running or queued generation. Finished ones are served from the store."""

    id: str
    alias: str
    client: str
    request: GenerationRequest
    artifacts: Artifacts
    store: Store
    ticket: Ticket
    node: ActorNode
    # Whose it is (the key's user) and its owner token's hash: who may change it.
    owner: Owner = NOBODY
    created_at: float = field(default_factory=time.time)
    scope: trio.CancelScope = field(default_factory=trio.CancelScope)
    broadcast: Broadcast = field(default_factory=Broadcast)
    finished: trio.Event = field(default_factory=trio.Event)
    status: Status = "queued"
    progress: int = 0
    message: str = ""
    updated_at: float = field(default_factory=time.time)
    end_reason: EndReason | None = None
    # What its render got from the artifact cache (set once the video is verified).
    reuse: dict[str, int] | None = None
    _lock: trio.Lock = field(default_factory=trio.Lock)

    @property
    def directory(self) -> Path:
        """`<data-dir>/generations/<id>/`, where its files go (see `artifacts`)."""
        return self.artifacts.directory

    @property
    def seq(self) -> int:
        """The last event's sequence number (0 before the first)."""
        log = self.broadcast.log
        return log[-1].seq if log else 0

    async def emit(
        self,
        status: Status,
        progress: int,
        message: str,
        *,
        stage: str | None = None,
        reuse: dict[str, int] | None = None,
    ) -> ProgressEvent:
        """Record and broadcast the next event. Progress never goes down within a generation.

        Raises `trio.ClosedResourceError` once the terminal event has been emitted, and what
        the store raises when it refuses the write; a refused terminal event is broadcast all
        the same (and the broadcast closed), so no subscriber waits for an end that was
        decided (the next start marks the generation interrupted in the store).
        """
        async with self._lock:
            if self.broadcast.closed:
                raise trio.ClosedResourceError("the generation has already ended")
            event = ProgressEvent(
                generation_id=self.id,
                seq=self.seq + 1,
                status=status,
                progress=max(self.progress, min(progress, 100)),
                message=message,
                at=time.time(),
                stage=stage,
                reuse=reuse,
            )
            try:
                await self.store.append(event)
            except BaseException:  # refused, or cancelled past the terminal write's grace
                if is_terminal(status):
                    self._took(event)
                raise
            self._took(event)
            return event

    def _took(self, event: ProgressEvent) -> None:
        """Make `event` the current state and broadcast it (closing after a terminal one)."""
        self.status, self.progress, self.message = event.status, event.progress, event.message
        self.updated_at = event.at
        if event.stage is not None:  # the debug tree shows the stage a client last heard from
            self.node.stage = event.stage
        self.broadcast.publish(event)
        if is_terminal(event.status):
            self.broadcast.close()

    def cancel(self, reason: EndReason = "cancelled") -> None:
        """Ask the generation to stop; its supervisor records the terminal event."""
        if self.end_reason is None:
            self.end_reason = reason
        self.scope.cancel(reason=reason)
