"""What every stage actor is handed (`StageDeps`), and how the supervisor runs one.

A stage reports progress through `deps.report`, and wraps each piece of work in
`async with deps.working():`, which marks its node `running` and arms the deadline its
supervisor chose. `supervise_stage` is the wrapper the supervisor starts each actor in: it owns
the stage's cancel scope and turns what the actor raises into `StageFailed`/`StageTimedOut`.
"""

from __future__ import annotations

import math
import os
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import trio

from videogen.actors.errors import StageFailed, StageTimedOut

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable
    from pathlib import Path

    from videogen.actors.adapters.media_port import MediaPort
    from videogen.actors.runtime.artifacts import Artifacts
    from videogen.actors.runtime.events import Status
    from videogen.actors.runtime.tree import ActorNode
    from videogen.media.models import GenerationRequest

__all__ = ["Reporter", "StageDeps", "first_failure", "safe_detail", "supervise_stage"]


class Reporter(Protocol):
    """Emits one progress event of the generation (see `Generation.emit`)."""

    def __call__(
        self, status: Status, progress: int, message: str, *, stage: str | None = None
    ) -> Awaitable[object]: ...


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


async def supervise_stage(
    actor: Callable[..., Awaitable[None]],
    inbox: trio.MemoryReceiveChannel[Any],
    outbox: trio.MemorySendChannel[Any],
    deps: StageDeps,
    *,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Run one stage actor inside the scope that carries its budget.

    Raises `StageTimedOut` when the budget ran out, `StageFailed` (with the cause chained)
    when the actor raised; `Cancelled` from outside passes through untouched.
    """
    node = deps.node
    with deps.scope:
        try:
            await actor(inbox, outbox, deps=deps, task_status=task_status)
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
