"""The ffmpeg composition: one call, concat demuxer, one frame per slide change, exact length.

Only argv builders, file writers and parsers live here; running the process (and terminating it
on cancellation) is the caller's job. The measured recipe and its pitfalls are in
`notes/feasibility.md` §5: variable frame rate, `-t <exact>` (never `-shortest`), and the last
image repeated so the video track lasts to the end.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Final

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

__all__ = [
    "DURATION_TOLERANCE",
    "Mp4Layout",
    "VerifyError",
    "compose_argv",
    "decode_check_argv",
    "encode_head",
    "ffmpeg_exe",
    "mp4_layout",
    "parse_progress",
    "verify_video",
    "write_concat_list",
]

# The finished file's duration may differ from the script's total by at most this.
DURATION_TOLERANCE: Final = 0.1
# The last image is listed once more for this long so the video track reaches the end.
_HOLD_SECONDS: Final = 0.05


class VerifyError(RuntimeError):
    """The encoded file is not a complete, playable MP4 of the right length."""


def ffmpeg_exe() -> str:
    """The ffmpeg binary shipped by imageio-ffmpeg (no system ffmpeg is needed)."""
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


def _quote(path: Path) -> str:
    # ffmpeg resolves a relative entry against the list's own folder, not the working
    # directory: every entry is written absolute. ffconcat quoting: single quotes, with '
    # written as '\''.
    return "'" + os.fspath(path.absolute()).replace("'", "'\\''") + "'"


def write_concat_list(entries: Sequence[tuple[Path, float]], list_path: Path) -> float:
    """Write an ffconcat list showing each image for its seconds; returns the total seconds.

    Raises `ValueError` for an empty list or a non-positive duration.
    """
    if not entries:
        raise ValueError("nothing to compose: no slide images")
    lines = ["ffconcat version 1.0"]
    total = 0.0
    for n, (image, seconds) in enumerate(entries):
        if seconds <= 0:
            raise ValueError(f"image {n} has a non-positive duration {seconds}")
        last = n == len(entries) - 1
        shown = seconds - _HOLD_SECONDS if last and seconds > 2 * _HOLD_SECONDS else seconds
        lines += [f"file {_quote(image)}", f"duration {shown:.6f}"]
        total += seconds
    last_image = entries[-1][0]
    if entries[-1][1] > 2 * _HOLD_SECONDS:
        lines += [f"file {_quote(last_image)}", f"duration {_HOLD_SECONDS:.6f}"]
    lines.append(f"file {_quote(last_image)}")
    list_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return total


def encode_head(ffmpeg: str) -> list[str]:
    """How every encoding command starts (`compose_argv`, `media.segments`' one-pass encode and
    join): overwrite, quiet but for errors, progress as `-progress` key=value lines on stdout
    (`parse_progress` reads them)."""
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-y",
        "-v",
        "error",
        "-nostats",
        "-progress",
        "pipe:1",
    ]


def compose_argv(
    *,
    concat_list: Path,
    audio: Path,
    total_seconds: float,
    output: Path,
    ffmpeg: str,
    metadata: Path | None = None,
    audio_filter: str | None = None,
    music: Sequence[str] = (),
    audio_graph: str | None = None,
) -> list[str]:
    """The ffmpeg command: H.264 still-image video at variable frame rate, AAC narration.

    `metadata` is an ffmetadata file (`media.chapters.ffmetadata`) whose chapters and tags the
    MP4 takes; `audio_filter` is the narration's filter chain (`media.loudness.audio_filter`).
    With background music, `music` is its input's arguments (`media.music.music_input`, input
    2) and `audio_graph` the filter graph from the narration (`1:a:0`) and the music (`2:a:0`)
    to the audio track, labelled `[aout]`; `audio_filter` is then unused.
    Progress goes to stdout as `-progress` key=value lines (see `parse_progress`).
    """
    extra_inputs: list[str] = list(music)
    maps = ["-map", "0:v:0", "-map", "[aout]" if audio_graph else "1:a:0"]
    if metadata is not None:
        # An input without streams (after the music's, if any): only its tags and chapters.
        index = "3" if music else "2"
        extra_inputs += ["-f", "ffmetadata", "-i", os.fspath(metadata)]
        maps += ["-map_metadata", index, "-map_chapters", index]
    if audio_graph:
        filters = ["-filter_complex", audio_graph]
    else:
        filters = ["-af", audio_filter] if audio_filter else []
    return [
        *encode_head(ffmpeg),
        "-f",
        "concat",
        "-safe",
        "0",
        "-i",
        os.fspath(concat_list),
        "-i",
        os.fspath(audio),
        *extra_inputs,
        *maps,
        *filters,
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
        "-c:a",
        "aac",
        # The fast coder: the default one spent three quarters of the encode on speech audio.
        "-aac_coder",
        "fast",
        "-b:a",
        "96k",
        "-t",
        f"{total_seconds:.6f}",
        "-movflags",
        "+faststart",
        "-f",
        "mp4",
        os.fspath(output),
    ]


def decode_check_argv(video: Path, *, ffmpeg: str) -> list[str]:
    """An ffmpeg command that decodes every stream and prints only errors (none when clean)."""
    return [
        ffmpeg,
        "-hide_banner",
        "-nostdin",
        "-v",
        "error",
        "-i",
        os.fspath(video),
        # Every decoded frame passed on with its own timestamp, in the file's timebase: else
        # the null muxer's frame-rate conversion and timebase (from a guessed rate, 19/12 fps
        # for slides held 2-4 s) put two frames 50 ms apart on one tick and reported that as
        # an error of the file.
        "-fps_mode",
        "passthrough",
        "-enc_time_base:v",
        "demux",
        # Decoded audio passed on in blocks of 64 Ki samples, not one AAC frame each: a
        # narration's thousands of frames handed between ffmpeg's threads one by one were
        # about a fifth of the check's time (0.50 → 0.41 s for 351 s). Every packet is still
        # decoded; a video-only file ignores the filter.
        "-af",
        "asetnsamples=n=65536",
        "-f",
        "null",
        "-",
    ]


def parse_progress(line: str) -> float | None:
    """Seconds encoded so far from one `-progress` line, or None for other lines."""
    key, _, value = line.strip().partition("=")
    if key not in ("out_time_us", "out_time_ms"):
        return None
    try:
        # ffmpeg writes microseconds under both names.
        return max(int(value), 0) / 1_000_000
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Mp4Layout:
    """What the top-level boxes of an MP4 say: box order and the movie's duration."""

    boxes: tuple[str, ...]
    duration: float

    @property
    def faststart(self) -> bool:
        """`moov` comes before `mdat`, so a player can start before the download ends."""
        return (
            "moov" in self.boxes
            and "mdat" in self.boxes
            and (self.boxes.index("moov") < self.boxes.index("mdat"))
        )


def _mvhd_duration(payload: bytes) -> float:
    version = payload[0]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", payload[20:32])
    else:
        timescale, duration = struct.unpack(">II", payload[12:20])
    return float(duration) / timescale if timescale else 0.0


def _find_mvhd(moov: bytes) -> float:
    at = 0
    while at + 8 <= len(moov):
        size, kind = struct.unpack(">I4s", moov[at : at + 8])
        if kind == b"mvhd":
            return _mvhd_duration(moov[at + 8 : at + size])
        if size < 8:
            break
        at += size
    raise VerifyError("the MP4 has no movie header (mvhd)")


def _next_box(f: BinaryIO) -> tuple[str, int, int] | None:
    header = f.read(8)
    if len(header) < 8:
        return None
    size, kind = struct.unpack(">I4s", header)
    head = 8
    if size == 1:
        size = struct.unpack(">Q", f.read(8))[0]
        head = 16
    elif size == 0:
        size = os.fstat(f.fileno()).st_size - f.tell() + head
    if size < head:
        raise VerifyError("the MP4 has a malformed box")
    return kind.decode("latin-1"), size, head


def mp4_layout(path: Path) -> Mp4Layout:
    """Read the top-level box order and `mvhd` duration. Raises `VerifyError` if malformed."""
    boxes: list[str] = []
    duration: float | None = None
    with open(path, "rb") as f:
        while (box := _next_box(f)) is not None:
            kind, size, head = box
            boxes.append(kind)
            if kind == "moov":
                duration = _find_mvhd(f.read(size - head))
            else:
                f.seek(size - head, os.SEEK_CUR)
    if duration is None:
        raise VerifyError("the MP4 has no movie box (moov)")
    return Mp4Layout(tuple(boxes), duration)


def verify_video(path: Path, *, expected_seconds: float, decode_errors: str) -> Mp4Layout:
    """Check a finished encode: clean decode, faststart, duration within tolerance.

    `decode_errors` is what `decode_check_argv` printed. Raises `VerifyError` saying what is wrong.
    """
    if decode_errors.strip():
        raise VerifyError(f"the video does not decode cleanly: {decode_errors.strip()[:300]}")
    layout = mp4_layout(path)
    if not layout.faststart:
        raise VerifyError("the video's index (moov) does not precede its data (mdat)")
    if abs(layout.duration - expected_seconds) > DURATION_TOLERANCE:
        raise VerifyError(
            f"the video lasts {layout.duration:.3f} s but the narration {expected_seconds:.3f} s"
        )
    return layout
