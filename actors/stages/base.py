"""What a stage actor is (`Stage`), what it is handed (`StageDeps`), and how it reports.

A stage is a typed `work(item, deps) -> result` function; `Stage.run` is the ritual every stage
shares, written once here: it owns both channel ends it is handed, reports started, and for each
item of its inbox works inside `deps.working()` (which marks its node `running` and arms the
deadline its supervisor chose) and sends the result on. It owns the stage's cancel scope and
turns what the work raises into `StageFailed`/`StageTimedOut`. Because `Stage[In, Out].start`
takes an `Inbox[In]` and an `Outbox[Out]`, a pipeline wired with mismatched
channels is a type error.
"""

from __future__ import annotations

import math
import os
from collections import deque
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

import trio

from videogen.actors.errors import StageFailed, StageTimedOut

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from pathlib import Path

    from videogen.actors.adapters.artifact_cache import ArtifactCache, Lease
    from videogen.actors.adapters.media_port import MediaPort
    from videogen.actors.runtime.artifacts import Artifacts
    from videogen.actors.runtime.events import Status
    from videogen.actors.runtime.tree import ActorNode
    from videogen.media.models import GenerationRequest

__all__ = [
    "HeldEvents",
    "Inbox",
    "Outbox",
    "Reporter",
    "Stage",
    "StageDeps",
    "first_failure",
    "safe_detail",
]

In = TypeVar("In")
Out = TypeVar("Out")
T_co = TypeVar("T_co", covariant=True)
T_contra = TypeVar("T_contra", contravariant=True)


class Inbox(Protocol[T_co]):
    """What a stage receives from: a memory channel's receiving end, or a `Joined` of two.

    `close` is synchronous, so a stage closes its ends without a checkpoint (see `Stage.run`).
    """

    def __aiter__(self) -> AsyncIterator[T_co]: ...

    def close(self) -> None: ...


class Outbox(Protocol[T_contra]):
    """What a stage sends to: a memory channel's sending end, or a `Tee` of two."""

    async def send(self, value: T_contra, /) -> None: ...

    def close(self) -> None: ...


class Reporter(Protocol):
    """Emits one progress event of the generation (see `Generation.emit`)."""

    def __call__(
        self, status: Status, progress: int, message: str, *, stage: str | None = None
    ) -> Awaitable[object]: ...


class HeldEvents:
    """A `Reporter` that holds a stage's events until `release`, then passes them on in order.

    Slides draw while speech speaks, yet a client must see the contract's order (every audio
    event, 30–49, before the first media one, 50–80): the slides stage reports through this,
    and the join before compose releases it once the speech is done. At most one event per
    slide plus one is held, so the queue is bounded by the deck's size.
    """

    def __init__(self, report: Reporter) -> None:
        self._report = report
        self._held: deque[tuple[Status, int, str, str | None]] | None = deque()

    async def __call__(
        self, status: Status, progress: int, message: str, *, stage: str | None = None
    ) -> None:
        if self._held is None:
            await self._report(status, progress, message, stage=stage)
        else:
            self._held.append((status, progress, message, stage))

    async def release(self) -> None:
        """Pass every held event on, then let later ones straight through."""
        # Events reported while these are being passed on join the queue behind them.
        while self._held:
            status, progress, message, stage = self._held.popleft()
            await self._report(status, progress, message, stage=stage)
        self._held = None


@dataclass
class StageDeps:
    """Everything a stage actor may use; nothing else reaches it."""

    stage: str
    generation_id: str
    request: GenerationRequest
    workdir: Path
    """Scratch space, removed when the generation ends."""
    artifacts: Artifacts
    """Where finished files go: `<data-dir>/generations/<id>/` and its named files."""
    media: MediaPort
    report: Reporter
    node: ActorNode
    budget: float
    scope: trio.CancelScope = field(default_factory=trio.CancelScope)
    cache: ArtifactCache | None = None
    """Per-slide artifacts shared across generations; None renders everything afresh."""
    lease: Lease | None = None
    """The generation's hold on what it got from or put into `cache`, released when it ends
    (after the video is verified, or on failure/cancel)."""

    async def say(self, status: Status, progress: int, message: str) -> None:
        """Report progress as this stage."""
        await self.report(status, progress, message, stage=self.stage)

    @asynccontextmanager
    async def working(self) -> AsyncIterator[None]:
        """Mark the stage busy and start its budget; idle again (no deadline) afterwards."""
        self.node.state = "running"
        self.scope.deadline = trio.current_time() + self.budget
        try:
            yield
        finally:
            self.scope.deadline = math.inf
            self.node.state = "idle"


def first_failure(exc: BaseException) -> BaseException:
    """The exception to report from a (possibly nested) group: a stage's own failure first,
    then any other error, ignoring the cancellations the first failure caused."""
    leaves: list[BaseException] = []

    def walk(e: BaseException) -> None:
        if isinstance(e, BaseExceptionGroup):
            for inner in e.exceptions:
                walk(inner)
        elif not isinstance(e, trio.Cancelled):
            leaves.append(e)

    walk(exc)
    failed = [e for e in leaves if isinstance(e, StageFailed)]
    return (failed or leaves or [exc])[0]


def safe_detail(exc: BaseException, workdir: Path | None = None) -> str:
    """A message about `exc` fit for a client: no traceback, no repr, no absolute path."""
    text = str(exc) or type(exc).__name__
    if workdir is not None:
        text = text.replace(os.fspath(workdir) + os.sep, "").replace(os.fspath(workdir), "")
    # Any other absolute path keeps only its last component.
    words = [w.rsplit(os.sep, 1)[-1] if w.startswith(os.sep) else w for w in text.split(" ")]
    return " ".join(words)[:500]


@dataclass(frozen=True, slots=True)
class Stage(Generic[In, Out]):
    """One stage actor: `work` turns each item of its inbox into one item of its outbox.

    `work` runs inside `deps.working()`; whatever it raises fails the stage (see `run`).
    """

    name: str
    work: Callable[[In, StageDeps], Awaitable[Out]]

    async def start(
        self,
        nursery: trio.Nursery,
        inbox: Inbox[In],
        outbox: Outbox[Out],
        deps: StageDeps,
    ) -> None:
        """Start `run` in `nursery` (the supervisor's) and return once it is receiving."""
        await nursery.start(self.run, inbox, outbox, deps)

    async def run(
        self,
        inbox: Inbox[In],
        outbox: Outbox[Out],
        deps: StageDeps,
        *,
        task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
    ) -> None:
        """Serve `inbox` until it closes, inside the scope that carries the stage's budget.

        Owns (closes) both ends. Raises `StageTimedOut` when the budget ran out, `StageFailed`
        (with the cause chained) when the work raised; `Cancelled` from outside passes through.
        """
        node = deps.node
        with deps.scope:
            try:
                await self._serve(inbox, outbox, deps, task_status)
            except StageFailed:  # a nested stage's own; anything else is this stage's failure
                node.state = "failed"
                raise
            except Exception as exc:
                node.state = "failed"
                cause = first_failure(exc)
                if isinstance(cause, StageFailed):
                    raise cause from exc
                raise StageFailed(deps.stage, safe_detail(cause, deps.workdir)) from exc
        if deps.scope.cancelled_caught:
            node.state = "failed"
            raise StageTimedOut(deps.stage, deps.budget)
        node.state = "done"

    async def _serve(
        self,
        inbox: Inbox[In],
        outbox: Outbox[Out],
        deps: StageDeps,
        task_status: trio.TaskStatus[None],
    ) -> None:
        try:
            task_status.started()
            async for item in inbox:
                async with deps.working():
                    result = await self.work(item, deps)
                await outbox.send(result)
        finally:
            # Closed at once, with no checkpoint on the way out: a checkpoint would let the
            # next stage see the end of its inbox and the supervisor cancel this one, and the
            # `Cancelled` would replace the failure this stage is about to report.
            inbox.close()
            outbox.close()
