"""Narration loudness: measured with ffmpeg's `ebur128` filter, normalised by a gain and a limiter.

The target is EBU R128 / ITU-R BS.1770 for online video: −16 LUFS integrated, true peak at most
−1 dBTP. `loudnorm` was measured and not used: espeak's narration is about −21 LUFS with peaks
near −2.6 dBTP, so reaching −16 needs more gain than the peaks allow, and `loudnorm` then leaves
its linear mode for its dynamic one, which landed at −17.1 LUFS on that file. Instead a plain
`volume` gain goes before an `alimiter` at the narration's own rate. Limiting the peaks
lowers the loudness (0.9 LU at +4.7 dB, more the harder it works), so the narration is measured
once raw, then once more through the limiter at two gains (one pass, split), and the gain is
interpolated between them (a single probe's correction left a German narration at −17.0 LUFS).
Resampling to 48 kHz before the limiter gave the same true peak after AAC and made the
composition call 70 % slower.

Only argv builders, parsers and the filter text live here (plain sync code); the media port runs
the audio-only measuring passes before the one composition call, which applies `audio_filter`.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "GRID_DB",
    "PROBE_STEP_DB",
    "TARGET_LUFS",
    "TARGET_TRUE_PEAK",
    "Loudness",
    "LoudnessError",
    "audio_filter",
    "corrected_gain",
    "ebur128_argv",
    "first_gain",
    "grid_gain",
    "parse_ebur128",
    "parse_ebur128_all",
    "probe_argv",
]

# EBU R128 for streaming and online video (YouTube, Spotify and Apple use −14 to −16).
TARGET_LUFS: Final = -16.0
# The ceiling a listener's decoder must not exceed after AAC.
TARGET_TRUE_PEAK: Final = -1.0
# The limiter's ceiling (−3 dBFS sample peak): inter-sample peaks and AAC's overshoot add up to
# about 2.2 dB (a German narration limited at −2.05 dBFS measured −0.8 dBTP after encoding).
_LIMIT: Final = 0.708
# Quieter than this is silence (ebur128 reports −70 for digital silence): no gain is applied.
_SILENT_LUFS: Final = -60.0
# No more than this gain either way: more would only amplify noise.
_MAX_GAIN_DB: Final = 30.0
# The second probe's gain above the first: far enough apart for a slope, near enough for a line.
PROBE_STEP_DB: Final = 2.0
# The gains every slide is first probed at, in one pass with no raw measure before it: espeak's
# narration needed +6.7 to +13.5 dB under the limiter (en, de, fr, es, ja and a one-word slide),
# and a line between these two probes lands within 0.3 dB of the two-pass gain there.
GRID_DB: Final = (6.0, 10.0)
# How far past the grid a gain is read off its line; further, it is probed again around it.
_REACH_DB: Final = 2.0
# Below this slope (LU per dB) the limiter would be doing all the work: no more gain is sought.
_MIN_SLOPE: Final = 0.3


class LoudnessError(RuntimeError):
    """ffmpeg's ebur128 output held no summary (the input had no audio)."""


@dataclass(frozen=True, slots=True)
class Loudness:
    """What `ebur128` measured: integrated loudness (LUFS) and true peak (dBTP)."""

    integrated: float
    true_peak: float


def audio_filter(gain_db: float) -> str:
    """The narration's filter chain: the gain, then the peak limiter (`level=false`: it does
    not undo the gain)."""
    return f"volume={gain_db:.2f}dB,alimiter=limit={_LIMIT}:attack=5:release=50:level=false"


def ebur128_argv(media: Path, *, ffmpeg: str, true_peak: bool = True) -> list[str]:
    """Measure `media`'s first audio stream as it is.

    Without `true_peak` only the loudness is measured (the 4× oversampled peak meter is most of
    the pass's cost); the summary's peak is then -inf. The summary goes to stderr (info level):
    parse it with `parse_ebur128`.
    """
    return [
        *_head(media, ffmpeg),
        "-af",
        f"ebur128=peak={'true' if true_peak else 'none'}:framelog=quiet",
        "-f",
        "null",
        "-",
    ]


def probe_argv(media: Path, *, ffmpeg: str, gains_db: Sequence[float]) -> list[str]:
    """One pass measuring `media`'s loudness through `audio_filter(g)` for every g in
    `gains_db` (split branches, one summary each, in order: `parse_ebur128_all`)."""
    labels = [f"p{n}" for n in range(len(gains_db))]
    branches = ";".join(
        f"[{label}]{audio_filter(gain)},ebur128=peak=none:framelog=quiet[o{label}]"
        for label, gain in zip(labels, gains_db, strict=True)
    )
    graph = f"[0:a:0]asplit={len(labels)}" + "".join(f"[{x}]" for x in labels) + ";" + branches
    maps = [arg for label in labels for arg in ("-map", f"[o{label}]")]
    return [*_head(media, ffmpeg), "-filter_complex", graph, *maps, "-f", "null", "-"]


def _head(media: Path, ffmpeg: str) -> list[str]:
    return [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info", "-i", os.fspath(media)]


_SUMMARY: Final = re.compile(r"Summary:(.*)", re.S)
_INTEGRATED: Final = re.compile(r"^\s*I:\s+(-?[\d.]+|-inf)\s+LUFS", re.M)
_PEAK: Final = re.compile(r"^\s*Peak:\s+(-?[\d.]+|-inf)\s+dBFS", re.M)


def parse_ebur128_all(stderr: str) -> list[Loudness]:
    """Every `ebur128` summary in ffmpeg's stderr, in the order of the filters' names."""
    parts = re.split(r"\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:", stderr)
    found = sorted((int(parts[n]), parts[n + 1]) for n in range(1, len(parts) - 1, 2))
    return [parse_ebur128("Summary:" + text) for _, text in found]


def parse_ebur128(stderr: str) -> Loudness:
    """The integrated loudness and true peak from `ebur128`'s summary in ffmpeg's stderr (the
    peak is -inf when it was not measured).

    Raises `LoudnessError` when there is no summary.
    """
    summary = _SUMMARY.search(stderr)
    integrated = _INTEGRATED.search(summary.group(1)) if summary else None
    if summary is None or integrated is None:
        raise LoudnessError(f"no ebur128 summary in ffmpeg's output: {stderr.strip()[-300:]}")
    peak = _PEAK.search(summary.group(1))
    return Loudness(float(integrated.group(1)), float(peak.group(1)) if peak else -math.inf)


def first_gain(raw: Loudness) -> float | None:
    """The gain that would bring the raw narration to the target unlimited, or None for
    silence (no gain helps)."""
    if not math.isfinite(raw.integrated) or raw.integrated < _SILENT_LUFS:
        return None
    return _clamp(TARGET_LUFS - raw.integrated)


def corrected_gain(low: tuple[float, Loudness], high: tuple[float, Loudness]) -> float:
    """The gain reaching the target, interpolated from two (gain, loudness through the limiter)
    probes: under the limiter a dB of gain adds less than a LU, and more so the harder it works.
    """
    (g0, m0), (g1, m1) = low, high
    slope = (m1.integrated - m0.integrated) / (g1 - g0) if g1 != g0 else 1.0
    slope = min(max(slope, _MIN_SLOPE), 1.0)
    return _clamp(g0 + (TARGET_LUFS - m0.integrated) / slope)


def grid_gain(
    low: tuple[float, Loudness], high: tuple[float, Loudness]
) -> tuple[float | None, bool]:
    """The gain from two probes at `GRID_DB`'s gains, and whether it is settled: (None, True)
    for silence (the low probe less its gain is silent), (gain, True) when it lies within
    `_REACH_DB` of the grid, else (gain, False): a first guess to probe again around."""
    gain0, measured0 = low
    if first_gain(Loudness(measured0.integrated - gain0, measured0.true_peak)) is None:
        return None, True
    gain = corrected_gain(low, high)
    return gain, low[0] - _REACH_DB <= gain <= high[0] + _REACH_DB


def _clamp(gain: float) -> float:
    return max(-_MAX_GAIN_DB, min(_MAX_GAIN_DB, gain))
