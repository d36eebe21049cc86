"""Narration loudness: measured with ffmpeg's `ebur128` filter, normalised by a gain and a limiter.

The target is EBU R128 / ITU-R BS.1770 for online video: −16 LUFS integrated, true peak at most
−1 dBTP. `loudnorm` was measured and not used: espeak's narration is about −21 LUFS with peaks
near −2.6 dBTP, so reaching −16 needs more gain than the peaks allow, and `loudnorm` then leaves
its linear mode for its dynamic one, which landed at −17.1 LUFS on that file. Instead a plain
`volume` gain goes before an `alimiter` at 48 kHz (four times espeak's rate, so the limiter sees
most inter-sample peaks), and because limiting the peaks lowers the loudness a little (0.9 LU at
+4.7 dB), the gain is measured once more through the same filter and corrected.

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
    from pathlib import Path

__all__ = [
    "MAX_PASSES",
    "TARGET_LUFS",
    "TARGET_TRUE_PEAK",
    "Loudness",
    "LoudnessError",
    "audio_filter",
    "ebur128_argv",
    "next_gain",
    "parse_ebur128",
]

# EBU R128 for streaming and online video (YouTube, Spotify and Apple use −14 to −16).
TARGET_LUFS: Final = -16.0
# The ceiling a listener's decoder must not exceed after AAC.
TARGET_TRUE_PEAK: Final = -1.0
# The limiter's ceiling (−2.05 dBFS): AAC adds up to about 0.5 dB of overshoot (measured −1.5
# dBTP after encoding), which keeps the file under TARGET_TRUE_PEAK.
_LIMIT: Final = 0.79
# Limiting rate: four times espeak's 22050 Hz, so most inter-sample peaks are samples here.
_LIMIT_RATE: Final = 48000
# Quieter than this is silence (ebur128 reports −70 for digital silence): no gain is applied.
_SILENT_LUFS: Final = -60.0
# No more than this gain either way: more would only amplify noise.
_MAX_GAIN_DB: Final = 30.0
# Measuring passes per narration, the raw one included (each is audio-only, ~0.1 s per 13 s).
MAX_PASSES: Final = 3
# Close enough to the target that another pass is not worth its cost.
_GOOD_ENOUGH_LU: Final = 0.3


class LoudnessError(RuntimeError):
    """ffmpeg's ebur128 output held no summary (the input had no audio)."""


@dataclass(frozen=True, slots=True)
class Loudness:
    """What `ebur128` measured: integrated loudness (LUFS) and true peak (dBTP)."""

    integrated: float
    true_peak: float


def audio_filter(gain_db: float) -> str:
    """The narration's filter chain: resample, gain, then the peak limiter, then back to mono
    48 kHz for AAC (`alimiter` with `level=false` does not undo the gain)."""
    return (
        f"aresample={_LIMIT_RATE},volume={gain_db:.2f}dB,"
        f"alimiter=limit={_LIMIT}:attack=5:release=50:level=false"
    )


def ebur128_argv(media: Path, *, ffmpeg: str, gain_db: float | None = None) -> list[str]:
    """Measure `media`'s first audio stream; with `gain_db`, through `audio_filter(gain_db)`.

    The summary goes to stderr (info level): parse it with `parse_ebur128`.
    """
    chain = "ebur128=peak=true:framelog=quiet"
    if gain_db is not None:
        chain = f"{audio_filter(gain_db)},{chain}"
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-v",
        "info",
        "-i",
        os.fspath(media),
        "-map",
        "0:a:0",
        "-af",
        chain,
        "-f",
        "null",
        "-",
    ]


_SUMMARY: Final = re.compile(r"Summary:(.*)", re.S)
_INTEGRATED: Final = re.compile(r"^\s*I:\s+(-?[\d.]+|-inf)\s+LUFS", re.M)
_PEAK: Final = re.compile(r"^\s*Peak:\s+(-?[\d.]+|-inf)\s+dBFS", re.M)


def parse_ebur128(stderr: str) -> Loudness:
    """The integrated loudness and true peak from `ebur128`'s summary in ffmpeg's stderr.

    Raises `LoudnessError` when there is no summary.
    """
    summary = _SUMMARY.search(stderr)
    integrated = _INTEGRATED.search(summary.group(1)) if summary else None
    peak = _PEAK.search(summary.group(1)) if summary else None
    if integrated is None or peak is None:
        raise LoudnessError(f"no ebur128 summary in ffmpeg's output: {stderr.strip()[-300:]}")
    return Loudness(float(integrated.group(1)), float(peak.group(1)))


def next_gain(gain_db: float | None, measured: Loudness) -> float | None:
    """The gain to try next after measuring at `gain_db` (None: the raw narration), or None
    when `measured` is close enough to the target (or silence, where no gain helps)."""
    if not math.isfinite(measured.integrated) or measured.integrated < _SILENT_LUFS:
        return None
    error = TARGET_LUFS - measured.integrated
    if gain_db is not None and abs(error) <= _GOOD_ENOUGH_LU:
        return None
    gain = (gain_db or 0.0) + error
    return max(-_MAX_GAIN_DB, min(_MAX_GAIN_DB, gain))
