"""The slides stage: every slide drawn in parallel worker processes.

Each drawing comes with the slide's quality report (`media.slides.quality`): the stage logs one
warning per issue and passes the reports on in `Drawn`, for compose to put into the content.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Drawn, Scripted

if TYPE_CHECKING:
    from videogen.actors.stages.base import StageDeps
    from videogen.media.models import Content, Slide
    from videogen.media.slides import SlideImages

__all__ = ["SLIDES", "draw"]

log = logging.getLogger("videogen.slides")


def _reveals(slide: Slide) -> bool:
    # The bullet-by-bullet reveal is this project's offline "animation".
    return slide.needs_animation and len(slide.bullets) >= 2


def _log_quality(deps: StageDeps, images: SlideImages) -> None:
    for issue in images.quality.issues:
        log.warning(
            "generation %s slide %d: %s: %s",
            deps.generation_id,
            images.slide_number,
            issue.kind,
            issue.detail,
        )


async def _draw_all(content: Content, deps: StageDeps) -> tuple[SlideImages, ...]:
    slides = content.slides
    count = len(slides)
    frames: dict[int, SlideImages] = {}
    await deps.say("generating_media", 50, "🎨 Generating slide visuals...")

    async def draw_one(index: int) -> None:
        slide = slides[index]
        reveal = _reveals(slide)
        frames[index] = images = await deps.media.draw(
            slide, request=deps.request, total=count, out_dir=deps.workdir, reveal=reveal
        )
        _log_quality(deps, images)
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


async def draw(scripted: Scripted, deps: StageDeps) -> Drawn:
    """Draw the slides (`generating_media` 50, then a step per slide up to 80).

    Needs only the content: it runs beside speech, and compose times the frames.
    Raises `FontMissingError` (via the stage wrapper) when the language's font is absent.
    """
    drawn = await _draw_all(scripted.content, deps)
    return Drawn(tuple(i.frames for i in drawn), tuple(i.quality for i in drawn))


SLIDES: Final = Stage("slides", draw)
