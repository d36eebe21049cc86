"""The writer and scripts stages: a request becomes slides, the slides become narration."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from videogen.actors.stages.messages import Drafted, Scripted

if TYPE_CHECKING:
    from videogen.actors.adapters.writers import Progress
    from videogen.actors.runtime.events import Status
    from videogen.actors.stages.base import StageDeps
    from videogen.media.models import GenerationRequest

__all__ = ["run_scripts", "run_writer"]


def _reporter(deps: StageDeps, status: Status, start: int, icon: str) -> Progress:
    """A writer's progress as this stage's events: `fraction` maps onto start..start+9 %."""

    async def progress(fraction: float, note: str) -> None:
        step = min(9, max(0, int(fraction * 9)))
        await deps.say(status, start + step, f"{icon} {note}")

    return progress


async def run_writer(
    inbox: trio.MemoryReceiveChannel[GenerationRequest],
    outbox: trio.MemorySendChannel[Drafted],
    *,
    deps: StageDeps,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Turn each request into the deck's content (`generating_content`, 10-19 %)."""
    with inbox, outbox:
        task_status.started()
        async for request in inbox:
            async with deps.working():
                writer = deps.media.writer_name
                await deps.say(
                    "generating_content",
                    10,
                    f"📝 Generating presentation content ({writer} writer)...",
                )
                progress = _reporter(deps, "generating_content", 10, "📝")
                content = await deps.media.write_content(request, progress=progress)
            await outbox.send(Drafted(content))


async def run_scripts(
    inbox: trio.MemoryReceiveChannel[Drafted],
    outbox: trio.MemorySendChannel[Scripted],
    *,
    deps: StageDeps,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Write the narration for each deck (`generating_scripts`, 20-29 %)."""
    with inbox, outbox:
        task_status.started()
        async for drafted in inbox:
            async with deps.working():
                await deps.say("generating_scripts", 20, "📜 Generating voice scripts...")
                progress = _reporter(deps, "generating_scripts", 20, "📜")
                script = await deps.media.write_script(
                    deps.request, drafted.content, progress=progress
                )
            await outbox.send(Scripted(drafted.content, script))
