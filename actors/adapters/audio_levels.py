"""The measuring passes behind the narration's loudness and the music's mix: ffmpeg runs whose
numbers set the gains the one compose call applies (`media.loudness`, `media.music`).

Owned by the media port (`RealMedia.narration_gain`, `RealMedia.music_mix`), which hands in
the ffmpeg binary and the music's file; each pass is audio-only and run by `run_checked`
(terminated, then killed, on cancellation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.processes import run_checked
from videogen.media import loudness, music

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.models import MusicSpec

__all__ = ["music_mix", "narration_gain"]


async def narration_gain(narration: Path, *, ffmpeg: str) -> float | None:
    """The gain (dB) that brings `narration` to −16 LUFS under the limiter, from two
    audio-only passes (the raw loudness, then two probes through the limiter); None for
    silence (no gain helps).

    Raises `ProcessFailed` when ffmpeg fails, `LoudnessError` when it measured nothing.
    """
    argv = loudness.ebur128_argv(narration, ffmpeg=ffmpeg, true_peak=False)
    gain = loudness.first_gain(loudness.parse_ebur128(await run_checked(argv)))
    if gain is None:
        return None
    gains = (gain, gain + loudness.PROBE_STEP_DB)
    argv = loudness.probe_argv(narration, ffmpeg=ffmpeg, gains_db=gains)
    low, high = loudness.parse_ebur128_all(await run_checked(argv))
    return loudness.corrected_gain((gains[0], low), (gains[1], high))


async def music_mix(
    narration: Path, track: Path, spec: MusicSpec, *, total_seconds: float, ffmpeg: str
) -> tuple[list[str], str] | None:
    """The music's input arguments and the audio graph mixing `track` under `narration`,
    ending in the gain and limiter that bring the mix to −16 LUFS; None when the music is
    silent or its volume zero (the narration alone is normalised then). Two audio-only passes:
    the narration and the looped music measured raw, then the mix through the limiter at two
    gains (`media.music`).

    Raises `ProcessFailed`, `LoudnessError`.
    """
    rate = await trio.to_thread.run_sync(music.wav_rate, narration)
    argv = music.levels_argv(narration, track, seconds=total_seconds, rate=rate, ffmpeg=ffmpeg)
    speech_level, music_level = loudness.parse_ebur128_all(await run_checked(argv))
    music_gain = music.music_gain(music_level.integrated, spec.volume)
    if music_gain is None:
        return None
    # The narration at the target unlimited (none for silence): the sidechain then ducks the
    # same at every narration level, and the mix needs about no more gain.
    narration_gain = loudness.first_gain(speech_level) or 0.0
    levels = music.MixLevels(total_seconds, rate, narration_gain, music_gain)
    gains = (0.0, loudness.PROBE_STEP_DB)
    argv = music.mix_probe_argv(narration, track, levels, gains_db=gains, ffmpeg=ffmpeg)
    low, high = loudness.parse_ebur128_all(await run_checked(argv))
    gain = loudness.corrected_gain((gains[0], low), (gains[1], high))
    graph = music.mix_graph(levels, narration="1:a:0", music="2:a:0", out="vg_mix")
    return music.music_input(track), f"{graph};[vg_mix]{loudness.audio_filter(gain)}[aout]"
