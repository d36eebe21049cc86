"""The speech stage: every slide's narration spoken in parallel, measured, then joined.

With an artifact cache (`deps.cache`), a slide whose narration was spoken before with the same
voice, rate and language (`artifact_cache.speech_key`) reuses that WAV and its measured
duration; what is spoken afresh is put into the cache once whole. Every slide's pause is
lengthened (by under one AAC frame, 46 ms) so its slot is whole AAC frames: compose can then
encode and join the narration per slide (`media.aac_segments`). As soon as a slide's WAV and
slot are known, its encoded track is looked up in the cache too (`stages.tracks`, beside the
other slides' speech), and the deck's whole WAV is joined only when compose encodes it whole
(`tracks.whole_track_needed`): an edit's compose then starts encoding its one missing track
at once.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.adapters.artifact_cache import speech_key
from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Scripted, Spoken
from videogen.actors.stages.tracks import look_up_track, whole_track_needed
from videogen.media.aac_segments import slot_pause
from videogen.media.audio import SAMPLE_RATE
from videogen.media.speech import voice_for
from videogen.media.timeline import PAUSE_SECONDS, SpokenSlide, timed_script

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.stages.base import StageDeps
    from videogen.actors.stages.tracks import Track

__all__ = [
    "NARRATION_FILE",
    "SPEECH",
    "SPEECH_FILE",
    "SPEECH_TIMING",
    "speak",
]

# A longer breath after the last slide, so the video does not end on the last syllable.
FINAL_PAUSE: Final = 1.0
# A speech artifact's files: the WAV and its measured duration.
SPEECH_FILE: Final = "speech.wav"
SPEECH_TIMING: Final = "speech.json"
# The joined narration, in the workdir (only when `whole_track_needed`).
NARRATION_FILE: Final = "narration.wav"


async def _cached(key: str, deps: StageDeps) -> tuple[Path, float] | None:
    """The cached WAV and its seconds for `key`, or None (no cache, a miss, or an entry that
    does not read as one: then it is spoken again and put over)."""
    if deps.cache is None:
        return None
    hit = await deps.cache.get("speech", key, lease=deps.lease)
    if hit is None or SPEECH_FILE not in hit.files or SPEECH_TIMING not in hit.files:
        return None
    try:
        text = await trio.Path(hit.file(SPEECH_TIMING)).read_text(encoding="utf-8")
        seconds = float(json.loads(text)["seconds"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return hit.file(SPEECH_FILE), seconds


async def _put(key: str, wav: Path, seconds: float, deps: StageDeps) -> None:
    if deps.cache is None:
        return
    timing = wav.with_suffix(".json")
    await trio.Path(timing).write_text(json.dumps({"seconds": seconds}), encoding="utf-8")
    await deps.cache.put("speech", key, {SPEECH_FILE: wav, SPEECH_TIMING: timing}, lease=deps.lease)


async def _speak_all(
    scripted: Scripted, deps: StageDeps
) -> tuple[list[SpokenSlide], tuple[bool, ...], tuple[Track, ...]]:
    request = deps.request
    voice = voice_for(request.language, request.voice)
    entries = scripted.script.slide_scripts
    count = len(entries)
    spoken: dict[int, SpokenSlide] = {}
    reused: dict[int, bool] = {}
    tracks: dict[int, Track] = {}
    await deps.say("generating_audio", 30, "🎤 Generating voice narration per slide...")

    async def speak_one(index: int) -> None:
        entry = entries[index]
        key = speech_key(
            text=entry.narration_text, voice=voice, rate=request.rate, language=request.language
        )
        found = await _cached(key, deps)
        if found is not None:
            wav, seconds = found
            how = "♻️ Reused audio"
        else:
            wav = deps.workdir / f"narration_{index + 1:02d}.wav"
            seconds = await deps.media.speak(
                entry.narration_text, voice=voice, rate=request.rate, out_path=wav
            )
            how = "✅ Generated audio"
        reused[index] = found is not None
        breath = FINAL_PAUSE if index == count - 1 else PAUSE_SECONDS
        pause = slot_pause(seconds, breath, rate=SAMPLE_RATE)
        slide = SpokenSlide(entry.slide_number, entry.narration_text, wav, seconds, pause)
        async with trio.open_nursery() as nursery:
            if found is None:
                # The put copies the WAV: it is read beside the lookup, not after it.
                nursery.start_soon(_put, key, wav, seconds, deps)
            if deps.cache is not None:
                # Looked up now, beside the other slides' speech: compose then starts
                # encoding only the missing tracks at once (`stages.tracks`).
                tracks[index] = await look_up_track(wav, slide.seconds, deps)
        spoken[index] = slide
        done = len(spoken)
        await deps.say(
            "generating_audio",
            30 + int(done / count * 15),
            f"{how} for slide {entry.slide_number}/{count} ({seconds:.1f}s)",
        )

    async with trio.open_nursery() as nursery:
        for index in range(count):
            nursery.start_soon(speak_one, index)
    flags = tuple(reused[i] for i in range(count)) if deps.cache is not None else ()
    found = tuple(tracks[i] for i in range(count)) if deps.cache is not None else ()
    return [spoken[i] for i in range(count)], flags, found


async def speak(scripted: Scripted, deps: StageDeps) -> Spoken:
    """Speak, measure and join the narration (`generating_audio` 30–45, `combining_audio` 48–49).

    Raises whatever speech raises (a `SpeechError` names the slide and voice).
    """
    spoken, reused, tracks = await _speak_all(scripted, deps)
    await deps.say("combining_audio", 48, "🎵 Combining audio tracks...")
    narration = deps.workdir / NARRATION_FILE
    if whole_track_needed(deps):
        await deps.media.combine([(s.wav, s.pause) for s in spoken], narration)
    # Else compose joins the slides' own tracks (`media.aac_segments`): the whole WAV (the
    # deck's seconds rewritten) would be waste on an edit's critical path.
    await deps.say("combining_audio", 49, "✅ Audio tracks combined")
    script = timed_script(scripted.script, spoken)
    return Spoken(scripted.content, script, tuple(spoken), narration, reused, tracks)


SPEECH: Final = Stage("speech", speak)
