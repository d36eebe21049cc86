"""The speech stage: every slide's narration spoken in parallel, measured, then joined."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.stages.base import Stage
from videogen.actors.stages.messages import Scripted, Spoken
from videogen.media.speech import voice_for
from videogen.media.timeline import PAUSE_SECONDS, SpokenSlide, timed_script

if TYPE_CHECKING:
    from videogen.actors.stages.base import StageDeps

__all__ = ["SPEECH", "speak"]

# A longer breath after the last slide, so the video does not end on the last syllable.
FINAL_PAUSE: Final = 1.0


async def _speak_all(scripted: Scripted, deps: StageDeps) -> list[SpokenSlide]:
    request = deps.request
    voice = voice_for(request.language, request.voice)
    entries = scripted.script.slide_scripts
    count = len(entries)
    spoken: dict[int, SpokenSlide] = {}
    await deps.say("generating_audio", 30, "🎤 Generating voice narration per slide...")

    async def speak_one(index: int) -> None:
        entry = entries[index]
        wav = deps.workdir / f"narration_{index + 1:02d}.wav"
        seconds = await deps.media.speak(
            entry.narration_text, voice=voice, rate=request.rate, out_path=wav
        )
        pause = FINAL_PAUSE if index == count - 1 else PAUSE_SECONDS
        spoken[index] = SpokenSlide(entry.slide_number, entry.narration_text, wav, seconds, pause)
        done = len(spoken)
        await deps.say(
            "generating_audio",
            30 + int(done / count * 15),
            f"✅ Generated audio for slide {entry.slide_number}/{count} ({seconds:.1f}s)",
        )

    async with trio.open_nursery() as nursery:
        for index in range(count):
            nursery.start_soon(speak_one, index)
    return [spoken[i] for i in range(count)]


async def speak(scripted: Scripted, deps: StageDeps) -> Spoken:
    """Speak, measure and join the narration (`generating_audio` 30–45, `combining_audio` 48–49).

    Raises whatever speech raises (a `SpeechError` names the slide and voice).
    """
    spoken = await _speak_all(scripted, deps)
    await deps.say("combining_audio", 48, "🎵 Combining audio tracks...")
    narration = deps.workdir / "narration.wav"
    await deps.media.combine([(s.wav, s.pause) for s in spoken], narration)
    await deps.say("combining_audio", 49, "✅ Audio tracks combined")
    script = timed_script(scripted.script, spoken)
    return Spoken(scripted.content, script, tuple(spoken), narration)


SPEECH: Final = Stage("speech", speak)
