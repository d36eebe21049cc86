"""The slides stage: every slide drawn in parallel worker processes."""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from videogen.actors.stages.messages import Drawn, Spoken

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.stages.base import StageDeps
    from videogen.media.models import Slide

__all__ = ["run_slides"]


def _reveals(slide: Slide) -> bool:
    # The bullet-by-bullet reveal is this project's offline "animation".
    return slide.needs_animation and len(slide.bullets) >= 2


async def _draw_all(spoken: Spoken, deps: StageDeps) -> tuple[tuple[Path, ...], ...]:
    slides = spoken.content.slides
    count = len(slides)
    frames: dict[int, tuple[Path, ...]] = {}
    await deps.say("generating_media", 50, "🎨 Generating slide visuals...")

    async def draw_one(index: int) -> None:
        slide = slides[index]
        reveal = _reveals(slide)
        frames[index] = await deps.media.draw(
            slide, request=deps.request, total=count, out_dir=deps.workdir, reveal=reveal
        )
        progress = 50 + int(len(frames) / count * 30)
        where = f"{slide.slide_number}/{count}"
        if reveal:
            await deps.say(
                "generating_animation", progress, f"🎬 Animation created for slide {where}"
            )
        else:
            await deps.say("generating_slide", progress, f"✅ Text slide {where} created")

    async with trio.open_nursery() as nursery:
        for index in range(count):
            nursery.start_soon(draw_one, index)
    return tuple(frames[i] for i in range(count))


async def run_slides(
    inbox: trio.MemoryReceiveChannel[Spoken],
    outbox: trio.MemorySendChannel[Drawn],
    *,
    deps: StageDeps,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Draw the slides (`generating_media` 50, then a step per slide up to 80).

    Raises `FontMissingError` (via the stage wrapper) when the language's font is absent.
    """
    with inbox, outbox:
        task_status.started()
        async for spoken in inbox:
            async with deps.working():
                frames = await _draw_all(spoken, deps)
            await outbox.send(Drawn(spoken, frames))
