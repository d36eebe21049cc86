"""The writer and scripts stages: a request becomes slides, the slides become narration."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from actors.messages import Drafted, Scripted

if TYPE_CHECKING:
    from actors.stage import StageDeps
    from media.models import GenerationRequest

__all__ = ["run_scripts", "run_writer"]


async def run_writer(
    inbox: trio.MemoryReceiveChannel[GenerationRequest],
    outbox: trio.MemorySendChannel[Drafted],
    *,
    deps: StageDeps,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Turn each request into the deck's content (`generating_content`, 10 %)."""
    with inbox, outbox:
        task_status.started()
        async for request in inbox:
            async with deps.working():
                await deps.say("generating_content", 10, "📝 Generating presentation content...")
                content = await deps.media.write_content(request)
            await outbox.send(Drafted(content))


async def run_scripts(
    inbox: trio.MemoryReceiveChannel[Drafted],
    outbox: trio.MemorySendChannel[Scripted],
    *,
    deps: StageDeps,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Write the narration for each deck (`generating_scripts`, 20 %)."""
    with inbox, outbox:
        task_status.started()
        async for drafted in inbox:
            async with deps.working():
                await deps.say("generating_scripts", 20, "📜 Generating voice scripts...")
                script = await deps.media.write_script(deps.request, drafted.content)
            await outbox.send(Scripted(drafted.content, script))
