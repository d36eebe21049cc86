"""Each slide's narration encoded to AAC on its own (`media.aac_segments`), and the slides'
tracks joined: the media port's per-slide audio, so an edited slide re-encodes only its own.

Owned by the media port (`RealMedia.encode_audio`, `RealMedia.join_audio`), which hands in the
ffmpeg binary and bounds the runs; every run is `run_checked` (terminated, then killed, on
cancellation). Three ffmpeg runs for any number of slides: their loudness raw, then through
the limiter at two gains, then the encode at each slide's interpolated gain (`media.loudness`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import trio

from videogen.actors.adapters.processes import run_checked
from videogen.media import aac_segments, audio, loudness

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = ["encode_slides", "join_slides"]


async def _gains(wavs: Sequence[Path], ffmpeg: str) -> list[float | None]:
    """Each WAV's gain to −16 LUFS under the limiter (None: silence, left as it is)."""
    raw = loudness.parse_ebur128_all(
        await run_checked(aac_segments.levels_argv(wavs, ffmpeg=ffmpeg))
    )
    firsts = [loudness.first_gain(level) for level in raw]
    probed = [(wav, g) for wav, g in zip(wavs, firsts, strict=True) if g is not None]
    if not probed:
        return firsts
    probes = loudness.parse_ebur128_all(
        await run_checked(aac_segments.probes_argv(probed, ffmpeg=ffmpeg))
    )
    corrected = iter(
        loudness.corrected_gain((g, low), (g + loudness.PROBE_STEP_DB, high))
        for (_, g), low, high in zip(probed, probes[0::2], probes[1::2], strict=True)
    )
    return [None if g is None else next(corrected) for g in firsts]


async def encode_slides(slides: Sequence[tuple[Path, float, Path]], *, ffmpeg: str) -> None:
    """Encode each (speech WAV, slot seconds, ADTS output): the speech padded with silence to
    the slot (whole AAC frames: `aac_segments.slot_pause`), normalised on its own.

    Raises `ProcessFailed` when ffmpeg fails, `LoudnessError` when it measured nothing,
    `ValueError` when a slot is not whole AAC frames at the WAV's rate.
    """
    if not slides:
        return
    rate = (await trio.to_thread.run_sync(audio.wav_format, str(slides[0][0]))).rate
    wavs = [wav for wav, _, _ in slides]
    gains = await _gains(wavs, ffmpeg)
    parts = [
        aac_segments.SlideAudio(wav, round(seconds * rate), gain, out)
        for (wav, seconds, out), gain in zip(slides, gains, strict=True)
    ]
    await run_checked(aac_segments.encode_argv(parts, ffmpeg=ffmpeg))


async def join_slides(parts: Sequence[tuple[Path, float]], output: Path) -> None:
    """Join each (ADTS file, slot seconds) into `output` (`aac_segments.join_adts`).

    Raises `ValueError` when a file does not hold its slot's packets.
    """

    def join() -> None:
        rate = aac_segments.adts_rate(parts[0][0])
        aac_segments.join_adts([(path, round(s * rate)) for path, s in parts], output)

    await trio.to_thread.run_sync(join)
