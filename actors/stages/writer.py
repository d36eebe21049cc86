"""The writer and scripts stages: a request becomes slides, the slides become narration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Drafted, Scripted
from videogen.media.pictures import save_pictures
from videogen.media.writer.credits import with_faithfulness
from videogen.media.writer.pictures import deck_pictures

if TYPE_CHECKING:
    from videogen.actors.adapters.writers import Progress
    from videogen.actors.runtime.events import Status
    from videogen.actors.stages.base import StageDeps
    from videogen.media.models import GenerationRequest

__all__ = ["SCRIPTS", "WRITER", "script", "write"]


def _reporter(deps: StageDeps, status: Status, start: int, icon: str) -> Progress:
    """A writer's progress as this stage's events: `fraction` maps onto start..start+9 %."""

    async def progress(fraction: float, note: str) -> None:
        step = min(9, max(0, int(fraction * 9)))
        await deps.say(status, start + step, f"{icon} {note}")

    return progress


async def write(request: GenerationRequest, deps: StageDeps) -> Drafted:
    """The deck's content for `request` (`generating_content`, 10-19 %), and its pictures
    written to the work directory (`media.pictures.save_pictures`; OSError when it cannot)."""
    writer = deps.media.writer_name
    await deps.say(
        "generating_content", 10, f"📝 Generating presentation content ({writer} writer)..."
    )
    grounding = await deps.media.ground(request)
    if grounding.note:
        icon = "📚" if grounding.grounded else "🔎"
        await deps.say("generating_content", 10, f"{icon} {grounding.note}")
    progress = _reporter(deps, "generating_content", 10, "📝")
    content = await deps.media.write_content(request, grounding=grounding, progress=progress)
    # The slides name their pictures by content; the renderer (a worker process) reads the
    # bytes from the work directory, so they are written there before any slide is drawn.
    pictures = deck_pictures(content, grounding)
    if pictures:
        await trio.to_thread.run_sync(save_pictures, pictures, deps.workdir)
    return Drafted(content, grounding)


async def script(drafted: Drafted, deps: StageDeps) -> Scripted:
    """The narration for the deck (`generating_scripts`, 20-29 %)."""
    await deps.say("generating_scripts", 20, "📜 Generating voice scripts...")
    progress = _reporter(deps, "generating_scripts", 20, "📜")
    narration = await deps.media.write_script(
        deps.request, drafted.content, grounding=drafted.grounding, progress=progress
    )
    content = drafted.content
    if content.grounded:
        # Every bullet and sentence against every source sentence: up to tens of milliseconds
        # for a long deck, so off the event loop.
        content = await trio.to_thread.run_sync(
            with_faithfulness, content, narration, drafted.grounding, deps.request.language
        )
    return Scripted(content, narration)


WRITER: Final = Stage("writer", write)
SCRIPTS: Final = Stage("scripts", script)
