"""Background music: an uploaded audio file checked with ffmpeg, then looped under the narration.

Two halves, both plain sync code (argv builders, filter text, parsers); the actors run ffmpeg.

* Checking an upload (`probe_argv`, `parse_probe`): ffmpeg opens the file with only the
  demuxers of the accepted formats (MP3, WAV, OGG/Opus/Vorbis, M4A/AAC, FLAC) and decodes its
  first seconds; the input dump gives the length. imageio-ffmpeg ships no ffprobe.
* Mixing (`mix_graph`): the music looped (`-stream_loop -1` on its input, `music_input`),
  trimmed to the video's exact length, made mono at the narration's rate, brought to a loudness
  `volume` below the narration's target, faded in and out, ducked under the narration with
  `sidechaincompress` (the narration, after its gain, is the sidechain), and mixed with
  `amix` (normalize=0: the levels are set here, not halved by amix). The mix then goes through
  `media.loudness.audio_filter`'s gain and limiter, so the target is met on what is heard.

The loudness is set in two audio-only passes before the one composition call, like the
narration's alone (`media.loudness`): `levels_argv` measures the narration and the looped music
raw in one run; `mix_probe_argv` measures the mix through the limiter at two gains.
Mono at the narration's rate: BS.1770 sums channels, so a stereo mix of a mono narration would
read 3 LU louder than it sounds; and resampling the narration up made the encode 70 % slower.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media.loudness import TARGET_LUFS, audio_filter

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "AUDIO_FORMATS",
    "MAX_MUSIC_BYTES",
    "MAX_MUSIC_SECONDS",
    "PROBE_TIMEOUT",
    "AudioError",
    "AudioProbe",
    "MixLevels",
    "levels_argv",
    "looks_like_audio",
    "mix_graph",
    "mix_probe_argv",
    "music_gain",
    "music_input",
    "parse_probe",
    "probe_argv",
    "wav_rate",
]

# An uploaded music file is at most this big (a 20 MB MP3 is about 20 minutes at 128 kb/s).
MAX_MUSIC_BYTES: Final = 20_000_000
# ... and at most this long (a video is at most 10 minutes; an hour is plenty to loop from).
MAX_MUSIC_SECONDS: Final = 3600.0
# The check decodes this much of the file: a header that lies is found without decoding it all.
_PROBE_DECODE_SECONDS: Final = 10
# The check's time limit (the caller's cancel scope): a hostile file must not hold a request.
PROBE_TIMEOUT: Final = 20.0
# ffmpeg's demuxers for the accepted formats ("mov" reads M4A, "ogg" reads Opus and Vorbis).
_DEMUXERS: Final = "mp3,wav,ogg,mov,aac,flac"
AUDIO_FORMATS: Final = "MP3, WAV, OGG/Opus, M4A/AAC, FLAC"
_EXTENSIONS: Final = frozenset({".mp3", ".wav", ".ogg", ".oga", ".opus", ".m4a", ".aac", ".flac"})
# The music's fades, at most this long (a quarter of a very short video).
_FADE_SECONDS: Final = 1.5
# Ducking: the narration at −16 LUFS speaks about 15 dB over this threshold (−34 dBFS), so at
# this ratio the music drops about 13 dB under speech; released over the pauses between words.
_DUCK: Final = "threshold=0.02:ratio=8:attack=20:release=400"
# Music quieter than this is silence: it is left out rather than amplified.
_SILENT_LUFS: Final = -60.0
# No more gain than this on a quiet music file (it would only amplify its noise).
_MAX_MUSIC_GAIN_DB: Final = 30.0


class AudioError(ValueError):
    """The file is no audio ffmpeg reads in the accepted formats, or is too long."""


@dataclass(frozen=True, slots=True)
class AudioProbe:
    """What the check found: the file's length (seconds), container and codec."""

    seconds: float
    container: str
    codec: str


def looks_like_audio(head: bytes, filename: str, content_type: str | None) -> bool:
    """Whether an upload is meant as audio: its type, its name's extension or its first bytes
    say so (the ffmpeg check then decides whether it is)."""
    if content_type and content_type.lower().startswith("audio/"):
        return True
    if os.path.splitext(filename.lower())[1] in _EXTENSIONS:
        return True
    if content_type and content_type.lower().startswith("text/"):
        return False  # declared text: a UTF-16 file's first bytes may look like a frame sync
    return (
        head.startswith((b"ID3", b"OggS", b"fLaC"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WAVE")
        or (head[4:8] == b"ftyp" and head[8:11] == b"M4A")
        # An MPEG/ADTS frame sync; FF FE is UTF-16's byte-order mark (as a sync: MPEG-1 layer I
        # with a CRC, which nobody encodes).
        or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] != 0xFE)
    )


def _input(path: Path, *, loop: bool = False) -> list[str]:
    looped = ["-stream_loop", "-1"] if loop else []
    return [*looped, "-format_whitelist", _DEMUXERS, "-i", os.fspath(path)]


def music_input(path: Path) -> list[str]:
    """The music's input arguments: only the accepted demuxers, looped without end."""
    return _input(path, loop=True)


def probe_argv(path: Path, *, ffmpeg: str) -> list[str]:
    """Open `path` as audio and decode its first seconds; the dump (info level) and any decode
    error go to stderr (`parse_probe`). Exits nonzero when it is no audio of those formats."""
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-nostats",
        "-v",
        "info",
        # Stop at the first decode error; no tags copied into the output's dump (a title
        # saying "error" must not read as one).
        "-xerror",
        *_input(path),
        "-map",
        "0:a:0",
        "-map_metadata",
        "-1",
        "-t",
        str(_PROBE_DECODE_SECONDS),
        "-f",
        "null",
        "-",
    ]


_INPUT: Final = re.compile(r"^Input #0, ([^,\s]+)", re.M)
_DURATION: Final = re.compile(r"^\s*Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", re.M)
_AUDIO: Final = re.compile(r"^\s*Stream #0:\d+\S*: Audio: (\w+)", re.M)
_VIDEO: Final = re.compile(r"^\s*Stream #0:\d+\S*: Video: .*$", re.M)
_DECODE_ERROR: Final = re.compile(r"(error|invalid data)", re.I)


def parse_probe(stderr: str, *, max_seconds: float = MAX_MUSIC_SECONDS) -> AudioProbe:
    """What `probe_argv` (which exited 0) printed, as an `AudioProbe`.

    Raises `AudioError` for a file with no audio, a video (cover art is fine), decode errors in
    its first seconds, no readable length, or more than `max_seconds`.
    """
    container, audio = _INPUT.search(stderr), _AUDIO.search(stderr)
    if container is None or audio is None:
        raise AudioError(f"no audio stream in it; accepted: {AUDIO_FORMATS}")
    if any("attached pic" not in line for line in _VIDEO.findall(stderr)):
        raise AudioError("it is a video; upload its audio alone")
    dump_end = stderr.find("Stream mapping:")
    decoding = stderr[dump_end:] if dump_end >= 0 else ""
    if _DECODE_ERROR.search(decoding):
        raise AudioError(f"its audio does not decode cleanly; accepted: {AUDIO_FORMATS}")
    duration = _DURATION.search(stderr)
    if duration is None:
        raise AudioError("its length cannot be read")
    hours, minutes, seconds = duration.groups()
    length = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    if length <= 0:
        raise AudioError("it holds no sound")
    if length > max_seconds:
        raise AudioError(f"it lasts {length:.0f} s; at most {max_seconds:.0f} s")
    return AudioProbe(length, container.group(1), audio.group(1))


def wav_rate(path: Path) -> int:
    """The sample rate of a WAV file (the narration's: the music is mixed at it)."""
    with open(path, "rb") as f:
        header = f.read(28)
    if header[:4] != b"RIFF" or header[8:12] != b"WAVE" or len(header) < 28:
        raise ValueError(f"{path} is not a WAV file")
    return int.from_bytes(header[24:28], "little")


def music_gain(music_lufs: float, volume: float) -> float | None:
    """The gain (dB) putting the music `volume` (a linear fraction) under the narration's target
    loudness; None when the music is silent or the volume is zero (no music is mixed)."""
    if volume <= 0 or not math.isfinite(music_lufs) or music_lufs < _SILENT_LUFS:
        return None
    gain = TARGET_LUFS - music_lufs + 20 * math.log10(volume)
    return max(-_MAX_MUSIC_GAIN_DB, min(_MAX_MUSIC_GAIN_DB, gain))


def _music_chain(seconds: float, rate: int) -> str:
    return (
        f"atrim=duration={seconds:.6f},"
        f"aformat=sample_fmts=fltp:sample_rates={rate}:channel_layouts=mono"
    )


def _fades(seconds: float) -> str:
    fade = min(_FADE_SECONDS, seconds / 4)
    out_at = max(seconds - fade, 0.0)
    return f"afade=t=in:d={fade:.3f},afade=t=out:st={out_at:.6f}:d={fade:.3f}"


@dataclass(frozen=True, slots=True)
class MixLevels:
    """How the mix is made: the video's length (seconds), the narration's sample rate, and the
    gains (dB) of the narration (before the sidechain) and of the music (before ducking)."""

    seconds: float
    rate: int
    narration_gain: float
    music_gain: float


def mix_graph(levels: MixLevels, *, narration: str, music: str, out: str) -> str:
    """The filter graph from the inputs `narration` and `music` (labels such as "1:a:0") to the
    pre-limiter mix, labelled `out` (not yet through `audio_filter`)."""
    seconds = levels.seconds
    return (
        f"[{narration}]volume={levels.narration_gain:.2f}dB,aformat=sample_fmts=fltp,"
        "asplit=2[vg_nar][vg_sc];"
        f"[{music}]{_music_chain(seconds, levels.rate)},{_fades(seconds)},"
        f"volume={levels.music_gain:.2f}dB[vg_mus];"
        f"[vg_mus][vg_sc]sidechaincompress={_DUCK}[vg_duck];"
        f"[vg_nar][vg_duck]amix=inputs=2:normalize=0:duration=longest[{out}]"
    )


def levels_argv(
    narration: Path, music: Path, *, seconds: float, rate: int, ffmpeg: str
) -> list[str]:
    """One pass measuring the narration raw and the music as the video plays it (looped,
    trimmed, mono at `rate`): two `ebur128` summaries, narration first
    (`media.loudness.parse_ebur128_all`)."""
    measure = "ebur128=peak=none:framelog=quiet"
    graph = f"[0:a:0]{measure}[o0];[1:a:0]{_music_chain(seconds, rate)},{measure}[o1]"
    return [
        *_head(ffmpeg),
        "-i",
        os.fspath(narration),
        *music_input(music),
        "-filter_complex",
        graph,
        "-map",
        "[o0]",
        "-map",
        "[o1]",
        "-f",
        "null",
        "-",
    ]


def mix_probe_argv(
    narration: Path,
    music: Path,
    levels: MixLevels,
    *,
    gains_db: Sequence[float],
    ffmpeg: str,
) -> list[str]:
    """One pass measuring the mix through `audio_filter(g)` for every g in `gains_db` (one
    summary each, in order)."""
    mix = mix_graph(levels, narration="0:a:0", music="1:a:0", out="vg_mix")
    labels = [f"p{n}" for n in range(len(gains_db))]
    split = f"[vg_mix]asplit={len(labels)}" + "".join(f"[{x}]" for x in labels)
    branches = ";".join(
        f"[{label}]{audio_filter(gain)},ebur128=peak=none:framelog=quiet[o{label}]"
        for label, gain in zip(labels, gains_db, strict=True)
    )
    maps = [arg for label in labels for arg in ("-map", f"[o{label}]")]
    return [
        *_head(ffmpeg),
        "-i",
        os.fspath(narration),
        *music_input(music),
        "-filter_complex",
        f"{mix};{split};{branches}",
        *maps,
        "-f",
        "null",
        "-",
    ]


def _head(ffmpeg: str) -> list[str]:
    return [ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-v", "info"]
