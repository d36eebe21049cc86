"""The compose stage: the video encoded, verified, then renamed into place with its sidecars.

Without an artifact cache (or with subtitles burned into the frames), one ffmpeg encode of
every frame and the narration, as always. With one (`deps.cache`), the video is made of
per-slide segments (`media.segments`), each keyed by its frames and their seconds
(`segment_key`):

* most segments missing (a first render, a new theme): ONE ffmpeg encode of the video, which
  leaves the per-slide segments behind (`MediaPort.encode_segmented`) — encoding each slide
  apart would start ffmpeg once per slide (2-3x slower, measured);
* a few missing (an edited slide): only those are encoded, in parallel (bounded by the media
  port).

Either way every segment is then joined by stream copy with the narration (`MediaPort.join`).

The narration is per slide too (`media.aac_segments`): each slide's speech in its slot, encoded
to AAC and normalised on its own, keyed by the WAV's bytes and the slot (`audio_key`, looked up
by the speech stage: `Spoken.tracks`); the missing ones are measured and encoded in one run
(`MediaPort.encode_audio`), started first, before the segments are looked up, and beside the
video segments' encode, and the slides' tracks joined into one (`MediaPort.join_audio`) that
the join copies in. An edited narration then encodes and measures only its own slide.

Every path carries the chapters (`media.chapters`, one per slide, written beside the video too)
and the narration's loudness normalisation (`media.loudness`; per slide here, in the media
port). Either way the file is verified before anything new is put into the
cache — when most of it came from the cache, in proportion to what is new (`join_check.Fresh`:
reused artifacts checked against the digests recorded when they were put, a damaged one
discarded and made again) — and only a verified file gets the public name; a cancel or
failure leaves the cache as it was (puts are whole or absent, see `artifact_cache`). What came
from the cache is reported (`Reuse`).
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.adapters.artifact_cache import segment_key
from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Composed, Drawn, Reuse, Spoken
from videogen.actors.stages.tracks import (
    AUDIO_FILE,
    look_up_track,
    verified_hit,
    whole_track_needed,
)
from videogen.media.aac_segments import AAC_SUFFIX
from videogen.media.chapters import chapters_for, chapters_vtt, ffmetadata, youtube_chapters
from videogen.media.join_check import Fresh
from videogen.media.segments import SEGMENT_SUFFIX
from videogen.media.subtitles import to_srt, to_vtt
from videogen.media.timeline import cues_for, frame_entries

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from pathlib import Path

    from videogen.actors.adapters.artifact_cache import Artifact
    from videogen.actors.stages.base import StageDeps
    from videogen.actors.stages.tracks import Track
    from videogen.media.models import Content
    from videogen.media.timeline import Cue

__all__ = ["AUDIO_FILE", "COMPOSE", "SEGMENT_FILE", "compose"]

# A segment artifact's one file.
SEGMENT_FILE: Final = "segment" + SEGMENT_SUFFIX
# Past this share of slides missing their segment, the whole deck is encoded in one ffmpeg run
# (which leaves every segment behind): each separate segment encode costs an ffmpeg start
# (≈0.15 s) and the join another pass, so encoding more than half apart is slower than once.
FULL_ENCODE_SHARE: Final = 0.5


async def _with_progress(
    deps: StageDeps, run: Callable[[Callable[[float], None]], Awaitable[object]]
) -> None:
    """Run an encode, turning its progress into `composing_video` events (85–95)."""
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
            await run(on_progress)


async def _encode_once(
    spoken: Spoken, drawn: Drawn, deps: StageDeps, partial: Path, cues: list[Cue], metadata: Path
) -> None:
    entries = frame_entries(drawn.frames, spoken.spoken)
    if not whole_track_needed(deps):
        # Speech joined no whole track: it expected per-slide ones (a `Drawn` without keys).
        await deps.media.combine([(s.wav, s.pause) for s in spoken.spoken], spoken.narration)
    if deps.request.subtitles == "burned":
        entries = await deps.media.burn(
            entries, cues, language=deps.request.language, out_dir=deps.workdir
        )
    await _with_progress(
        deps,
        lambda on_progress: deps.media.encode(
            entries,
            narration=spoken.narration,
            total_seconds=spoken.script.total_duration,
            output=partial,
            on_progress=on_progress,
            metadata=metadata,
            music=deps.request.music,
        ),
    )


def _reuse(spoken: Spoken, drawn: Drawn, segments: list[bool]) -> Reuse:
    count = len(spoken.spoken)
    speech = list(spoken.reused) or [False] * count
    frames = list(drawn.reused) or [False] * count
    whole = sum(1 for s, f, g in zip(speech, frames, segments, strict=True) if s and f and g)
    return Reuse(
        slides_total=count,
        slides_reused=whole,
        speech_reused=sum(speech),
        frames_reused=sum(frames),
        segments_reused=sum(segments),
    )


class _Narration:
    """The slides' narration tracks (`tracks`, in order): found in the cache, or to be encoded
    into the workdir (`missing`, keyed by `keys`)."""

    def __init__(self, spoken: Spoken, found: Sequence[Track], out: Path) -> None:
        self.spoken = spoken
        self.keys = [track.key for track in found]
        self.proven = all(track.intact for track in found)
        self.missing: list[int] = []
        self.tracks: list[Path] = []
        for i, track in enumerate(found):
            if track.hit is None or AUDIO_FILE not in track.hit.files:
                self.missing.append(i)
                self.tracks.append(out / f"slide_{i:03d}{AAC_SUFFIX}")
            else:
                self.tracks.append(track.hit.file(AUDIO_FILE))

    async def encode(self, deps: StageDeps) -> None:
        """Encode the missing slides' tracks (one run for them all)."""
        if not self.missing:
            return
        slides = [self.spoken.spoken[i] for i in self.missing]
        await deps.media.encode_audio(
            [(s.wav, s.seconds, self.tracks[i]) for s, i in zip(slides, self.missing, strict=True)]
        )


async def _hits(
    deps: StageDeps, kind: str, keys: list[str], name: str
) -> tuple[list[Artifact | None], bool]:
    """`verified_hit` for every key, all looked up at once (each is a few thread hops: one after
    the other, twenty slides' cost more than a slide's encode); and whether all are proven."""
    found: list[tuple[Artifact | None, bool]] = [(None, True)] * len(keys)

    async def look(i: int) -> None:
        found[i] = await verified_hit(deps, kind, keys[i], name)

    async with trio.open_nursery() as nursery:
        for i in range(len(keys)):
            nursery.start_soon(look, i)
    return [hit for hit, _ in found], all(intact for _, intact in found)


async def _narration(spoken: Spoken, deps: StageDeps) -> _Narration:
    """The tracks the speech stage looked up (`Spoken.tracks`), or, for a `Spoken` made
    without them, each looked up now."""
    found = list(spoken.tracks)
    if len(found) != len(spoken.spoken):
        found = [await look_up_track(s.wav, s.seconds, deps) for s in spoken.spoken]
    out = deps.workdir / "audio"
    await trio.Path(out).mkdir(parents=True, exist_ok=True)
    return _Narration(spoken, found, out)


async def _encode_segments(
    spoken: Spoken, drawn: Drawn, deps: StageDeps, partial: Path, metadata: Path
) -> Reuse:
    cache = deps.cache
    assert cache is not None
    narration = await _narration(spoken, deps)
    track = deps.workdir / f"narration{AAC_SUFFIX}"
    count = len(spoken.spoken)
    width, height = deps.request.size
    per_slide = [
        frame_entries([frames], [audio])
        for frames, audio in zip(drawn.frames, spoken.spoken, strict=True)
    ]
    keys = [
        segment_key(frames=fk, seconds=[s for _, s in entries], width=width, height=height)
        for fk, entries in zip(drawn.keys, per_slide, strict=True)
    ]
    made_dir = deps.workdir / "segments"
    total = spoken.script.total_duration
    made: dict[int, Path] = {}
    seconds = [slide.seconds for slide in spoken.spoken]
    progress_done = False

    async def one(i: int) -> None:
        out = made_dir / f"segment_{i:03d}{SEGMENT_SUFFIX}"
        await deps.media.encode_segment(per_slide[i], seconds=spoken.spoken[i].seconds, output=out)
        made[i] = out

    async with trio.open_nursery() as nursery:
        # The missing narration first (its tracks were looked up by the speech stage): an
        # edit's measure-then-encode is its longest run, so it starts before the segments are
        # even looked up and runs beside their encode (both bounded by the media port).
        nursery.start_soon(narration.encode, deps)
        hits, proven = await _hits(deps, "segment", keys, SEGMENT_FILE)
        missing = [i for i, hit in enumerate(hits) if hit is None]
        reuse = _reuse(spoken, drawn, [i not in missing for i in range(count)])
        if reuse.slides_reused:
            await deps.say(
                "composing_video",
                85,
                f"♻️ {reuse.slides_reused} of {count} slides from the cache",
            )
        if len(missing) > FULL_ENCODE_SHARE * count:
            # One encode of the whole deck's video; it leaves every slide's segment behind.
            # The narration is encoded beside it (two processes, two cores), then the join
            # adds it.
            segments: list[Path] = []

            async def full(on_progress: Callable[[float], None]) -> None:
                segments.extend(
                    await deps.media.encode_segmented(
                        per_slide,
                        narration=None,
                        total_seconds=total,
                        output=deps.workdir / "video.segmented.mp4",
                        segments_dir=made_dir,
                        on_progress=on_progress,
                    )
                )

            await _with_progress(deps, full)
            made = {i: segments[i] for i in missing}
            progress_done = True
        else:
            await trio.Path(made_dir).mkdir(parents=True, exist_ok=True)
            for i in missing:
                nursery.start_soon(one, i)
    proven = proven and narration.proven
    await deps.media.join_audio(list(zip(narration.tracks, seconds, strict=True)), track)
    parts: list[tuple[Path, float]] = []
    for i, hit in enumerate(hits):
        path = made[i] if i in made else hit.file(SEGMENT_FILE) if hit else None
        assert path is not None
        parts.append((path, spoken.spoken[i].seconds))

    # What was verified when it was made, and is intact, is not decoded again (see
    # `media.join_check`): only the new slides, unless the encode made most of them.
    fresh = None
    if proven and not progress_done:
        new_tracks = tuple(narration.tracks[i] for i in narration.missing)
        fresh = Fresh(parts=tuple(sorted(made)), tracks=new_tracks)

    async def join(on_progress: Callable[[float], None]) -> None:
        await deps.media.join(
            parts,
            narration=track,
            total_seconds=total,
            output=partial,
            on_progress=on_progress,
            metadata=metadata,
            fresh=fresh,
        )

    if progress_done:
        # The encode reported the video's progress; the join's copy is a moment.
        await join(lambda _fraction: None)
    else:
        await _with_progress(deps, join)
    # Verified (encode_segmented and join verify): only now do its new segments enter the cache.
    for i in missing:
        await cache.put("segment", keys[i], {SEGMENT_FILE: made[i]}, lease=deps.lease)
    for i in narration.missing:
        files = {AUDIO_FILE: narration.tracks[i]}
        await cache.put("audio", narration.keys[i], files, lease=deps.lease)
    return reuse


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
    # The MP4's chapter markers come from the same list as the sidecars, in the same call.
    metadata = deps.workdir / "chapters.ffmetadata"
    await deps.media.save_text(metadata, ffmetadata(chapters, title=spoken.content.topic))
    partial = deps.workdir / "video.partial.mp4"
    reuse: Reuse | None = None
    if deps.cache is None or not drawn.keys:
        await _encode_once(spoken, drawn, deps, partial, cues, metadata)
    elif deps.request.subtitles == "burned" or deps.request.music is not None:
        # Burned frames differ from the cached ones, and the music's mix is made only by the
        # single call: encoded whole, the segments not cached (speech and frames still are).
        await _encode_once(spoken, drawn, deps, partial, cues, metadata)
        reuse = _reuse(spoken, drawn, [False] * len(spoken.spoken))
    else:
        reuse = await _encode_segments(spoken, drawn, deps, partial, metadata)
    # Only a verified file gets the public name: a half-written video is never visible.
    os.replace(partial, video)
    track = chapters_vtt(chapters, language=deps.request.language)
    await deps.media.save_text(deps.artifacts.chapters_vtt, track)
    await deps.media.save_text(deps.artifacts.chapters_youtube, youtube_chapters(chapters))
    vtt = None
    if deps.request.subtitles != "none":
        vtt = to_vtt(cues, language=deps.request.language)
        await deps.media.save_text(deps.artifacts.vtt, vtt)
        await deps.media.save_text(deps.artifacts.srt, to_srt(cues))
    await deps.say("composing_video", 95, "✅ Video composition complete")
    return Composed(_with_quality(spoken.content, drawn), spoken.script, video, vtt, reuse)


COMPOSE: Final = Stage("compose", compose)
