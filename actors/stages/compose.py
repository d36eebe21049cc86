"""The compose stage: one ffmpeg encode, verified, then renamed into place with its sidecars."""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Composed, Drawn, Spoken
from videogen.media.chapters import chapters_for, chapters_vtt, ffmetadata, youtube_chapters
from videogen.media.subtitles import to_srt, to_vtt
from videogen.media.timeline import cues_for, frame_entries

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.stages.base import StageDeps
    from videogen.media.chapters import Chapter
    from videogen.media.models import Content
    from videogen.media.timeline import Cue

__all__ = ["COMPOSE", "compose"]


async def _encode(
    spoken: Spoken,
    drawn: Drawn,
    deps: StageDeps,
    video: Path,
    cues: list[Cue],
    chapters: list[Chapter],
) -> None:
    total = spoken.script.total_duration
    # The MP4's chapter markers come from the same list as the sidecars, in the same call.
    metadata = deps.workdir / "chapters.ffmetadata"
    await deps.media.save_text(metadata, ffmetadata(chapters, title=spoken.content.topic))
    entries = frame_entries(drawn.frames, spoken.spoken)
    if deps.request.subtitles == "burned":
        entries = await deps.media.burn(
            entries, cues, language=deps.request.language, out_dir=deps.workdir
        )
    partial = deps.workdir / "video.partial.mp4"
    # The encoder reports often; only whole steps of 10 % become events.
    reported = 85
    send, receive = trio.open_memory_channel[int](1)

    def on_progress(fraction: float) -> None:
        # When full, a newer figure follows soon: the bar never needs every tick.
        with contextlib.suppress(trio.WouldBlock):
            send.send_nowait(85 + int(fraction * 10))

    async def relay() -> None:
        nonlocal reported
        async for step in receive:
            if step > reported:
                reported = step
                await deps.say("composing_video", step, f"🎞️ Encoding video ({step - 85}0%)")

    async with trio.open_nursery() as nursery:
        nursery.start_soon(relay)
        with send:
            await deps.media.encode(
                entries,
                narration=spoken.narration,
                total_seconds=total,
                output=partial,
                on_progress=on_progress,
                metadata=metadata,
                music=deps.request.music,
            )
    # Only a verified file gets the public name: a half-written video is never visible.
    os.replace(partial, video)


def _with_quality(content: Content, drawn: Drawn) -> Content:
    """`content` with each slide's quality report, as the slides stage measured it."""
    slides = tuple(
        slide.model_copy(update={"quality": quality})
        for slide, quality in zip(content.slides, drawn.quality, strict=True)
    )
    return content.model_copy(update={"slides": slides})


async def compose(joined: tuple[Spoken, Drawn], deps: StageDeps) -> Composed:
    """Encode and verify the video (`composing_video` 85–95); write the subtitles and the
    chapters (a chapter per slide, as the MP4 carries them) beside it."""
    spoken, drawn = joined
    video = deps.artifacts.video
    await deps.say("composing_video", 85, "🎞️ Composing final video with audio...")
    cues = cues_for(spoken.spoken)
    chapters = chapters_for(spoken.content, spoken.script)
    await _encode(spoken, drawn, deps, video, cues, chapters)
    track = chapters_vtt(chapters, language=deps.request.language)
    await deps.media.save_text(deps.artifacts.chapters_vtt, track)
    await deps.media.save_text(deps.artifacts.chapters_youtube, youtube_chapters(chapters))
    vtt = None
    if deps.request.subtitles != "none":
        vtt = to_vtt(cues, language=deps.request.language)
        await deps.media.save_text(deps.artifacts.vtt, vtt)
        await deps.media.save_text(deps.artifacts.srt, to_srt(cues))
    await deps.say("composing_video", 95, "✅ Video composition complete")
    return Composed(_with_quality(spoken.content, drawn), spoken.script, video, vtt)


COMPOSE: Final = Stage("compose", compose)
