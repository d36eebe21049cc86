"""The slides stage: every slide drawn in parallel worker processes.

Each drawing comes with the slide's quality report (`media.slides.quality`): the stage logs one
warning per issue and passes the reports on in `Drawn`, for compose to put into the content.

With an artifact cache (`deps.cache`), a slide drawn before exactly so (`frames_key`: what it
shows, its layout and visuals, its number of the total, the deck's topic and language, the theme
or brand kit, the frame size, whether its bullets are revealed) reuses those frames and their
quality report (cached beside them); what is drawn afresh is put into the cache once whole.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

import trio

from videogen.actors.adapters.artifact_cache import frames_key
from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Drawn, Scripted
from videogen.media.models import SlideQuality

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.stages.base import StageDeps
    from videogen.media.models import Content, GenerationRequest, Slide

__all__ = ["SLIDES", "draw", "slide_frames_key"]

# Fields of a slide that are not drawn (its estimated duration, its sources' ids, the report of
# a previous drawing): left out of its frames' key, so a revision that changes only them reuses
# the frames.
_NOT_DRAWN: Final = frozenset({"duration", "sources", "quality"})
# The quality report's name among a slide's cached files (the frames are `frame_NNN.png`).
_QUALITY: Final = "quality.json"

log = logging.getLogger("videogen.slides")


def _reveals(slide: Slide) -> bool:
    # The bullet-by-bullet reveal is this project's offline "animation".
    return slide.needs_animation and len(slide.bullets) >= 2


def slide_frames_key(slide: Slide, request: GenerationRequest, *, total: int) -> str:
    """The cache key of `slide`'s frames as `media.draw` draws them for `request`."""
    shown: dict[str, Any] = {
        k: v for k, v in slide.model_dump(mode="json").items() if k not in _NOT_DRAWN
    }
    # The topic is drawn in the footer, the language picks the font and the direction.
    shown["deck"] = {"topic": request.topic, "language": request.language}
    width, height = request.size
    return frames_key(
        slide=shown,
        number=slide.slide_number,
        total=total,
        theme=request.style.model_dump(mode="json"),
        width=width,
        height=height,
        aspect_ratio=request.aspect_ratio,
        reveal=_reveals(slide),
    )


def _log_quality(deps: StageDeps, number: int, quality: SlideQuality) -> None:
    for issue in quality.issues:
        log.warning(
            "generation %s slide %d: %s: %s",
            deps.generation_id,
            number,
            issue.kind,
            issue.detail,
        )


def _frame_name(j: int, path: Path) -> str:
    return f"frame_{j:03d}{path.suffix}"


async def _cached(key: str, deps: StageDeps) -> tuple[tuple[Path, ...], SlideQuality] | None:
    if deps.cache is None:
        return None
    hit = await deps.cache.get("frames", key, lease=deps.lease)
    if hit is None or _QUALITY not in hit.files:
        return None
    report = await trio.Path(hit.file(_QUALITY)).read_text("utf-8")
    # Named in order (`_frame_name`), so the sorted listing is the reveal order.
    frames = tuple(hit.file(name) for name in hit.files if name.startswith("frame_"))
    return frames, SlideQuality.model_validate_json(report)


async def _put(
    key: str, frames: tuple[Path, ...], quality: SlideQuality, number: int, deps: StageDeps
) -> None:
    if deps.cache is None or not frames:
        return
    report = deps.workdir / f"slide_{number:02d}_{_QUALITY}"
    await trio.Path(report).write_text(quality.model_dump_json(), "utf-8")
    files = {_frame_name(j, path): path for j, path in enumerate(frames)}
    files[_QUALITY] = report
    await deps.cache.put("frames", key, files, lease=deps.lease)


async def _draw_all(content: Content, deps: StageDeps) -> Drawn:
    slides = content.slides
    count = len(slides)
    frames: dict[int, tuple[Path, ...]] = {}
    qualities: dict[int, SlideQuality] = {}
    keys = [slide_frames_key(slide, deps.request, total=count) for slide in slides]
    reused: dict[int, bool] = {}
    await deps.say("generating_media", 50, "🎨 Generating slide visuals...")

    async def draw_one(index: int) -> None:
        slide = slides[index]
        reveal = _reveals(slide)
        found = await _cached(keys[index], deps)
        if found is None:
            images = await deps.media.draw(
                slide, request=deps.request, total=count, out_dir=deps.workdir, reveal=reveal
            )
            await _put(keys[index], images.frames, images.quality, slide.slide_number, deps)
            found_frames, quality = images.frames, images.quality
        else:
            found_frames, quality = found
        _log_quality(deps, slide.slide_number, quality)
        reused[index] = found is not None
        qualities[index] = quality
        frames[index] = found_frames
        progress = 50 + int(len(frames) / count * 30)
        where = f"{slide.slide_number}/{count}"
        if found is not None:
            await deps.say("generating_slide", progress, f"♻️ Slide {where} reused")
        elif reveal:
            await deps.say(
                "generating_animation", progress, f"🎬 Animation created for slide {where}"
            )
        else:
            await deps.say("generating_slide", progress, f"✅ Text slide {where} created")

    async with trio.open_nursery() as nursery:
        for index in range(count):
            nursery.start_soon(draw_one, index)
    ordered = tuple(frames[i] for i in range(count))
    quality = tuple(qualities[i] for i in range(count))
    if deps.cache is None:
        return Drawn(ordered, quality)
    return Drawn(ordered, quality, keys=tuple(keys), reused=tuple(reused[i] for i in range(count)))


async def draw(scripted: Scripted, deps: StageDeps) -> Drawn:
    """Draw the slides (`generating_media` 50, then a step per slide up to 80).

    Needs only the content: it runs beside speech, and compose times the frames.
    Raises `FontMissingError` (via the stage wrapper) when the language's font is absent.
    """
    return await _draw_all(scripted.content, deps)


SLIDES: Final = Stage("slides", draw)
