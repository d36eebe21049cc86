"""Each slide's narration encoded to AAC on its own (`media.aac_segments`), and the slides'
tracks joined: the media port's per-slide audio, so an edited slide re-encodes only its own.

Owned by the media port (`RealMedia.encode_audio`, `RealMedia.join_audio`), which hands in the
ffmpeg binary and bounds the runs; every run is `run_checked` (terminated, then killed, on
cancellation). Two ffmpeg runs for any number of slides: their loudness through the limiter at
the two gains of `loudness.GRID_DB`, then the encode at each slide's interpolated gain
(`media.loudness`); a third, probing again, only for a slide whose gain lies far off the grid.
Given the port's limiter, the slides are shared among as many such groups as it has tokens,
run concurrently (`encode_slides`).
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
    """Each WAV's gain to −16 LUFS under the limiter (None: silence, left as it is): one pass
    probing all at `loudness.GRID_DB`, a second only for those far off it."""
    grid = loudness.GRID_DB
    found = loudness.parse_ebur128_all(
        await run_checked(aac_segments.probes_argv([(w, grid) for w in wavs], ffmpeg=ffmpeg))
    )
    first = [
        loudness.grid_gain((grid[0], low), (grid[1], high))
        for low, high in zip(found[0::2], found[1::2], strict=True)
    ]
    again = [
        (wav, (g, g + loudness.PROBE_STEP_DB))
        for wav, (g, settled) in zip(wavs, first, strict=True)
        if g is not None and not settled
    ]
    if not again:
        return [g for g, _ in first]
    probes = loudness.parse_ebur128_all(
        await run_checked(aac_segments.probes_argv(again, ffmpeg=ffmpeg))
    )
    corrected = iter(
        loudness.corrected_gain((g, low), (g + loudness.PROBE_STEP_DB, high))
        for (_, (g, _)), low, high in zip(again, probes[0::2], probes[1::2], strict=True)
    )
    return [g if g is None or settled else next(corrected) for g, settled in first]


async def _encode_run(slides: Sequence[tuple[Path, float, Path]], ffmpeg: str) -> None:
    """One measuring pass and one encode (two ffmpeg runs) for `slides`."""
    rate = (await trio.to_thread.run_sync(audio.wav_format, str(slides[0][0]))).rate
    wavs = [wav for wav, _, _ in slides]
    gains = await _gains(wavs, ffmpeg)
    parts = [
        aac_segments.SlideAudio(wav, round(seconds * rate), gain, out)
        for (wav, seconds, out), gain in zip(slides, gains, strict=True)
    ]
    await run_checked(aac_segments.encode_argv(parts, ffmpeg=ffmpeg))


def _shares(slides: Sequence[tuple[Path, float, Path]], runs: int) -> list[list[int]]:
    """`slides`' indices dealt into at most `runs` groups of about equal seconds (longest
    first, each to the lightest group), none empty."""
    groups: list[list[int]] = [[] for _ in range(max(1, min(runs, len(slides))))]
    load = [0.0] * len(groups)
    for i in sorted(range(len(slides)), key=lambda i: -slides[i][1]):
        lightest = load.index(min(load))
        groups[lightest].append(i)
        load[lightest] += slides[i][1]
    return [sorted(g) for g in groups]


async def encode_slides(
    slides: Sequence[tuple[Path, float, Path]],
    *,
    ffmpeg: str,
    limiter: trio.CapacityLimiter | None = None,
) -> None:
    """Encode each (speech WAV, slot seconds, ADTS output): the speech padded with silence to
    the slot (whole AAC frames: `aac_segments.slot_pause`), normalised on its own.

    With a `limiter`, the slides are dealt into one group per token (by seconds), each group
    measured and encoded by its own runs, concurrently, each holding a token: each ffmpeg run's
    filter graph is one thread, so a first render's 20 slides in one group kept one core busy
    for seconds while the other idled (every slide's result is the same either way: each has
    its own chain and encoder). A failure cancels the other groups.

    Raises `ProcessFailed` when ffmpeg fails, `LoudnessError` when it measured nothing,
    `ValueError` when a slot is not whole AAC frames at the WAV's rate.
    """
    if not slides:
        return
    if limiter is None:
        await _encode_run(slides, ffmpeg)
        return
    failure: Exception | None = None

    async def run(group: list[int], cancel: trio.CancelScope) -> None:
        # The first failure kept and raised as itself (not in an exception group).
        nonlocal failure
        try:
            async with limiter:
                await _encode_run([slides[i] for i in group], ffmpeg)
        except Exception as exc:
            failure = failure or exc
            cancel.cancel()

    async with trio.open_nursery() as nursery:
        for group in _shares(slides, int(limiter.total_tokens)):
            nursery.start_soon(run, group, nursery.cancel_scope)
    if failure is not None:
        raise failure


async def join_slides(parts: Sequence[tuple[Path, float]], output: Path) -> None:
    """Join each (ADTS file, slot seconds) into `output` (`aac_segments.join_adts`).

    Raises `ValueError` when a file does not hold its slot's packets.
    """

    def join() -> None:
        rate = aac_segments.adts_rate(parts[0][0])
        aac_segments.join_adts([(path, round(s * rate)) for path, s in parts], output)

    await trio.to_thread.run_sync(join)
