"""Per-slide video segments, joined without re-encoding: the ground of incremental rendering.

Only argv builders, list writers and parsers live here, as in `media.compose`; running the
processes (and terminating them on cancellation) is the caller's job.

The recipe, and why each part of it:

* One slide → one segment (`write_frame_list`, `segment_argv`): its frames with their seconds
  through the concat demuxer, H.264 at variable frame rate, no audio, with `compose`'s
  last-image hold so the video track reaches the slide's end. B-frames are off (`-bf 0`): a
  segment then starts with pts = dts = 0 and needs no edit list, so stream copy cannot shift it;
  for still images they saved nothing. Every frame change falls on a 10 ms grid
  (`FRAME_GRID`): each image is read at that frame rate (an ffconcat `option` per file), and the
  join's boundaries are rounded to it. Why a grid: the decoder guesses a file's frame rate from
  the gcd of its frame steps; off any grid that gcd is one tick, the guess (90 kHz) is
  implausible, and ffmpeg falls back to the average rate (0.4 fps for slides), whose coarse
  timebase made the decode check's muxer see equal timestamps ("non monotonically increasing
  dts") — a failed verification. Why this one: the image demuxer's default, 1/25 s, put slide
  changes up to 20 ms off (`compose`'s single call has that grid); 10 ms keeps them within 5 ms.
  Every segment has the same timescale (`SEGMENT_TIMESCALE`, a multiple of the grid), so
  copying them into one track never rescales a timestamp.
* The join (`join_argv`): a second ffconcat list names each segment with `duration` = its
  slide's seconds (`write_segment_list`: the script's boundaries, each rounded to the grid, so
  rounding never accumulates). The concat demuxer then starts segment n at the sum of the
  durations before it, not at whatever the previous file's last packet rounds to.
  The video is copied (`-c:v copy`); the narration is either a WAV encoded once, here, with
  the fast AAC coder (`compose`'s settings), or (`audio_offset`) the slides' AAC tracks joined
  by `media.aac_segments` and copied, to the exact total (`-t`, never `-shortest`), faststart,
  the chapters in the same mux (the movie's timescale set, see `join_argv`).
* A full render, one encode (`segmented_argv`): starting ffmpeg once per slide costs ≈0.15 s
  each, so 20 segments then a join were 2–3× slower than `compose`'s single call. Instead one
  ffmpeg reads every frame (`write_frame_list`, on the grid) and the narration, encodes once, and
  the tee muxer writes the finished MP4 and, from the same packets, per-slide video-only
  segments (the segment muxer, cut at the slide boundaries, timestamps reset, 90 kHz). A
  keyframe is forced at every boundary, so each segment starts with one and decodes alone; their
  packets are the final file's, so joining them (`join_argv`) gives its video bit for bit. Cut
  times sit half a grid step before each boundary: the first frame at or after the cut is then
  the slide's first, whichever way the boundary's tick rounded.
* Verification is `compose.verify_video`, as for a single-call encode; `frame_times_argv` and
  `parse_frame_times` decode the joined file's frames with a hash of each, so a caller (a test,
  the bench) can compare every slide change against the script's boundaries
  (`boundary_errors`).
"""

from __future__ import annotations

import os
import re
from typing import TYPE_CHECKING, Final

from videogen.media.compose import encode_head, write_concat_list

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "BOUNDARY_TOLERANCE",
    "FRAME_GRID",
    "SEGMENT_SUFFIX",
    "SEGMENT_TIMESCALE",
    "boundaries",
    "boundary_errors",
    "frame_times_argv",
    "join_argv",
    "parse_frame_times",
    "segment_argv",
    "segment_cuts",
    "segmented_argv",
    "write_frame_list",
    "write_segment_list",
]

# Every segment's video timescale (ticks per second): 90 kHz, MPEG's clock, a multiple of the
# grid; the same in every segment, so a copy never rescales.
SEGMENT_TIMESCALE: Final = 90_000
# Frame changes fall on this many steps per second (see the module docstring: a plausible frame
# rate for the decoder's guess, and slide changes within half a step, 5 ms, of the script).
FRAME_GRID: Final = 100
# A slide change may be this far from where the script puts it (the sync bound).
BOUNDARY_TOLERANCE: Final = 0.040
# Segments are MP4 (ISO BMFF): exact per-frame durations, the concat demuxer reads them directly.
SEGMENT_SUFFIX: Final = ".mp4"


def write_frame_list(entries: Sequence[tuple[Path, float]], list_path: Path) -> float:
    """Write one slide's frame list: `compose.write_concat_list`'s (the last-image hold
    included), each image read at `FRAME_GRID` frames per second (see the module docstring).
    Returns the slide's seconds.

    Raises `ValueError` as `write_concat_list` does.
    """
    total = write_concat_list(entries, list_path)
    lines: list[str] = []
    for line in list_path.read_text(encoding="utf-8").splitlines():
        lines.append(line)
        if line.startswith("file "):
            lines.append(f"option framerate {FRAME_GRID}")
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


def segment_argv(*, concat_list: Path, seconds: float, output: Path, ffmpeg: str) -> list[str]:
    """The ffmpeg command encoding one slide's frames (listed by `write_frame_list`)
    into a video-only H.264 segment lasting exactly `seconds`.

    The codec settings match `compose.compose_argv`'s video, so segments of one resolution can
    be joined by stream copy; any frame size works, but every segment of one join must share it.
    """
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-v",
        "error",
        "-nostats",
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        os.fspath(concat_list),
        "-an",
        "-fps_mode",
        "vfr",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-tune",
        "stillimage",
        "-preset",
        "veryfast",
        # No B-frames: the segment starts at pts = dts = 0, without an edit list (see module).
        "-bf",
        "0",
        "-video_track_timescale",
        str(SEGMENT_TIMESCALE),
        "-t",
        f"{seconds:.6f}",
        "-f",
        "mp4",
        os.fspath(output),
    ]


def segment_cuts(seconds: Sequence[float]) -> list[float]:
    """Where a full render cuts its segments: each slide boundary (rounded to the grid, as the
    join rounds it) less half a grid step (see the module docstring)."""
    return [round(b * FRAME_GRID) / FRAME_GRID - 0.5 / FRAME_GRID for b in boundaries(seconds)]


def segmented_argv(
    *,
    concat_list: Path,
    audio: Path | None,
    total_seconds: float,
    cuts: Sequence[float],
    output: Path,
    segment_pattern: Path,
    ffmpeg: str,
    metadata: Path | None = None,
    audio_filter: str | None = None,
    audio_offset: float | None = None,
) -> list[str]:
    """The ffmpeg command encoding a whole deck once (frames listed by `write_frame_list`, the
    narration WAV) into the finished MP4 `output` and, beside it, one video-only segment per
    slide named by `segment_pattern` (a `%03d` in it), cut at `cuts` (`segment_cuts`).

    The video settings are `segment_argv`'s, the audio's (with `metadata`'s chapters and the
    narration's `audio_filter`) `compose.compose_argv`'s; with `audio_offset`, `audio` is an
    encoded ADTS track (`media.aac_segments.join_adts`) copied in, its priming `audio_offset`
    seconds before zero; without `audio` the MP4 is video only (`metadata` then unused).
    Progress goes to stdout as `-progress` lines.

    Raises `ValueError` when a path holds a character the tee's syntax reserves (`|`, `[`, `]`,
    a backslash).
    """
    for path in (output, segment_pattern):
        if any(c in os.fspath(path) for c in "|[]\\"):
            raise ValueError(f"a tee output's path cannot hold |, [, ] or \\: {path}")
    times = ",".join(f"{c:.6f}" for c in cuts)
    final = f"[f=mp4:movflags=+faststart:video_track_timescale={SEGMENT_TIMESCALE}]"
    pieces = [
        "f=segment",
        "select=v",
        "segment_format=mp4",
        f"segment_format_options=video_track_timescale={SEGMENT_TIMESCALE}",
        "reset_timestamps=1",
    ]
    if times:
        pieces.append(f"segment_times={times}")
    argv = [
        *encode_head(ffmpeg),
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        os.fspath(concat_list),
        *(["-map", "0:v:0", "-an"] if audio is None else _audio_input(audio, audio_offset)),
        *([] if audio is None else _narration_args(metadata, audio_filter)),
        "-fps_mode",
        "vfr",
        "-pix_fmt",
        "yuv420p",
        "-c:v",
        "libx264",
        "-tune",
        "stillimage",
        "-preset",
        "veryfast",
        "-bf",
        "0",
    ]
    if times:
        argv += ["-force_key_frames", times]
    return [
        *argv,
        *([] if audio is None else _audio_codec(audio_offset)),
        "-t",
        f"{total_seconds:.6f}",
        "-f",
        "tee",
        # The tee's own syntax: `|` between outputs, `[k=v:…]` before each (paths checked above).
        f"{final}{os.fspath(output)}|[{':'.join(pieces)}]{os.fspath(segment_pattern)}",
    ]


def write_segment_list(segments: Sequence[tuple[Path, float]], list_path: Path) -> float:
    """Write the join's ffconcat list: each segment for its slide's seconds, the boundaries
    rounded to `FRAME_GRID` (never the durations: rounding does not add up). Returns the exact
    total, for the join's `-t`.

    Raises `ValueError` for no segments, or a duration that is not positive (on the grid).
    """
    if not segments:
        raise ValueError("nothing to join: no segments")
    lines = ["ffconcat version 1.0"]
    total = 0.0
    start = 0
    for n, (segment, seconds) in enumerate(segments):
        total += seconds
        end = round(total * FRAME_GRID)
        if seconds <= 0 or end <= start:
            raise ValueError(f"segment {n} has a non-positive duration {seconds}")
        quoted = "'" + os.fspath(segment.absolute()).replace("'", "'\\''") + "'"
        lines += [f"file {quoted}", f"duration {(end - start) / FRAME_GRID:.6f}"]
        start = end
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


def _audio_input(audio: Path, offset: float | None) -> list[str]:
    """The narration's input: a WAV, or an ADTS track whose first packet (the encoder's
    priming) is put `offset` seconds before zero, so the MP4 muxer's edit list skips it."""
    shift = [] if offset is None else ["-itsoffset", f"{-offset:.9f}"]
    return [*shift, "-i", os.fspath(audio)]


def _audio_codec(offset: float | None) -> list[str]:
    """A WAV encoded with the fast AAC coder (the default one spends most of the time on
    speech), an ADTS track (`offset` given) copied."""
    if offset is not None:
        return ["-c:a", "copy"]
    return ["-c:a", "aac", "-aac_coder", "fast", "-b:a", "96k"]


def _narration_args(metadata: Path | None, audio_filter: str | None) -> list[str]:
    """The maps, the chapters input and the narration's filter, as `compose.compose_argv`
    writes them: `metadata` an ffmetadata file (`media.chapters.ffmetadata`), `audio_filter`
    the loudness chain (`media.loudness.audio_filter`)."""
    args: list[str] = []
    maps = ["-map", "0:v:0", "-map", "1:a:0"]
    if metadata is not None:
        # A third input without streams: only its tags and chapters are taken.
        args = ["-f", "ffmetadata", "-i", os.fspath(metadata)]
        maps += ["-map_metadata", "2", "-map_chapters", "2"]
    return [*args, *maps, *(["-af", audio_filter] if audio_filter else [])]


def chapters_argv(video: Path, *, metadata: Path, output: Path, ffmpeg: str) -> list[str]:
    """The ffmpeg command copying `video`'s streams into `output` with `metadata`'s chapters
    and tags: the tee muxer (`segmented_argv`) passes no chapters to its outputs, so the
    one-pass encode's MP4 gets them this way (stream copy: a fraction of a second)."""
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-v",
        "error",
        "-i",
        os.fspath(video),
        "-f",
        "ffmetadata",
        "-i",
        os.fspath(metadata),
        "-map",
        "0",
        "-map_metadata",
        "1",
        "-map_chapters",
        "1",
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        os.fspath(output),
    ]


def join_argv(
    *,
    segment_list: Path,
    audio: Path,
    total_seconds: float,
    output: Path,
    ffmpeg: str,
    metadata: Path | None = None,
    audio_filter: str | None = None,
    audio_offset: float | None = None,
    video_packets: Path | None = None,
) -> list[str]:
    """The ffmpeg command joining segments by stream copy and encoding the narration once
    (with `metadata`'s chapters and the narration's `audio_filter`, as `compose_argv`); with
    `audio_offset`, `audio` is an encoded ADTS track copied in (as `segmented_argv`); with
    `video_packets`, the video packets it copies are listed there too (`framemd5`: what the
    segments hold, for `media.join_check.video_mismatch`).

    Progress goes to stdout as `-progress` lines (`compose.parse_progress` reads them).
    """
    return [
        *encode_head(ffmpeg),
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        os.fspath(segment_list),
        *_audio_input(audio, audio_offset),
        *_narration_args(metadata, audio_filter),
        "-c:v",
        "copy",
        *_audio_codec(audio_offset),
        "-t",
        f"{total_seconds:.6f}",
        # The movie's timescale, set: left alone, the MP4 muxer takes the least common multiple
        # of every timebase it is handed (the concat demuxer's µs, 90 kHz, the narration's rate,
        # the chapters' ms: 141.12 MHz here), the chapter track uses it too, and a chapter of
        # over 15.2 s overflows its 32-bit sample duration ("Application provided duration …
        # is invalid": later chapters shifted or lost). 90 kHz is every segment's own clock
        # (edits exact), a chapter may last 6.6 h.
        "-movie_timescale",
        str(SEGMENT_TIMESCALE),
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        os.fspath(output),
        *(
            []
            if video_packets is None
            else [
                *("-map", "0:v:0", "-c:v", "copy", "-t", f"{total_seconds:.6f}"),
                *("-f", "framemd5", os.fspath(video_packets)),
            ]
        ),
    ]


def frame_times_argv(video: Path, *, ffmpeg: str) -> list[str]:
    """An ffmpeg command decoding every video frame and printing its pts and MD5 (`framemd5`)."""
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        os.fspath(video),
        "-map",
        "0:v:0",
        "-fps_mode",
        "passthrough",
        # The file's own timebase, not the rawvideo encoder's guess from the frame rate.
        "-enc_time_base:v",
        "demux",
        "-f",
        "framemd5",
        "-",
    ]


_TIMEBASE = re.compile(r"^#tb 0: (\d+)/(\d+)")


def parse_frame_times(text: str) -> list[tuple[float, str]]:
    """(pts seconds, MD5 of the decoded picture) of every frame in `framemd5` output.

    Raises `ValueError` when the output names no timebase.
    """
    num = den = 0
    frames: list[tuple[float, str]] = []
    for line in text.splitlines():
        if m := _TIMEBASE.match(line):
            num, den = int(m.group(1)), int(m.group(2))
            continue
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        if len(fields) < 6 or not den:
            raise ValueError(f"not a framemd5 line (or no timebase before it): {line[:80]!r}")
        frames.append((int(fields[2]) * num / den, fields[5]))
    return frames


def boundaries(seconds: Sequence[float]) -> list[float]:
    """Where each slide after the first starts, from the slides' seconds."""
    starts: list[float] = []
    at = 0.0
    for s in seconds[:-1]:
        at += s
        starts.append(at)
    return starts


def boundary_errors(frames: Sequence[tuple[float, str]], starts: Sequence[float]) -> list[float]:
    """For each expected slide start, how far (seconds) the nearest picture change is from it.

    A change is a decoded frame whose picture differs from the frame before. Infinity when the
    video has no change at all.
    """
    changes = [t for (t, h), (_, prev) in zip(frames[1:], frames, strict=False) if h != prev]
    return [min((abs(c - s) for c in changes), default=float("inf")) for s in starts]
