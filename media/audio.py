"""WAV files: their length, silence, and narration joined with pauses.

Stdlib `wave` only. Every length here is counted in frames and only turned into seconds at the
end, so a timeline built from these durations adds up exactly: the joined file is as long as its
parts plus their pauses, to the frame. Every file is written under a temporary name and then
renamed into place, so a reader never sees half a WAV.
"""

from __future__ import annotations

import contextlib
import math
import os
import wave
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence

__all__ = [
    "SAMPLE_RATE",
    "SPEECH_FORMAT",
    "WavFormat",
    "concat_wavs",
    "frames_to_seconds",
    "pad_frames",
    "wav_duration",
    "wav_format",
    "wav_frames",
    "write_silence",
]

# espeak-ng's output rate; pyttsx3 hard-codes the same value in the WAV header it writes.
SAMPLE_RATE: Final = 22050

# Frames copied per read, so joining long narration does not hold it all in memory.
_CHUNK_FRAMES: Final = 1 << 16


@dataclass(frozen=True, slots=True)
class WavFormat:
    """The sample layout of a PCM WAV file: what must match for files to be joined."""

    channels: int
    sample_width: int
    rate: int

    def __str__(self) -> str:
        layout = "mono" if self.channels == 1 else f"{self.channels} channels"
        return f"{layout} {8 * self.sample_width}-bit {self.rate} Hz"


# What speech produces and what silence is written as: mono, 16-bit, 22050 Hz.
SPEECH_FORMAT: Final = WavFormat(channels=1, sample_width=2, rate=SAMPLE_RATE)


def pad_frames(seconds: float, *, rate: int = SAMPLE_RATE) -> int:
    """How many frames `seconds` of audio take at `rate`, rounded to the nearest frame.

    Raises ValueError if `seconds` is negative or not finite.
    """
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"a pause must be a finite number of seconds >= 0, not {seconds!r}")
    return round(seconds * rate)


def frames_to_seconds(frames: int, *, rate: int = SAMPLE_RATE) -> float:
    """The duration in seconds of `frames` frames at `rate`."""
    return frames / rate


def wav_format(path: str) -> WavFormat:
    """The sample layout of the WAV file at `path`.

    Raises OSError if the file cannot be opened, ValueError if it is not a PCM WAV file.
    """
    with _open_wav(path) as reader:
        return _format_of(reader)


def wav_frames(path: str) -> int:
    """The number of frames in the WAV file at `path`, read from its header.

    Raises OSError if the file cannot be opened, ValueError if it is not a PCM WAV file.
    """
    with _open_wav(path) as reader:
        return reader.getnframes()


def wav_duration(path: str) -> float:
    """The duration in seconds of the WAV file at `path`: its frame count over its rate.

    Raises OSError if the file cannot be opened, ValueError if it is not a PCM WAV file.
    """
    with _open_wav(path) as reader:
        return frames_to_seconds(reader.getnframes(), rate=reader.getframerate())


def write_silence(path: str, seconds: float, *, rate: int = SAMPLE_RATE) -> float:
    """Write `seconds` of mono 16-bit silence at `rate` to `path`; return its exact duration.

    The duration returned is the written frame count over `rate`, which can differ from
    `seconds` by up to half a frame. Raises ValueError for a negative or non-finite length,
    OSError if the file cannot be written.
    """
    frames = pad_frames(seconds, rate=rate)
    fmt = WavFormat(channels=1, sample_width=2, rate=rate)
    with _atomic_writer(path, fmt) as writer:
        _write_zeros(writer, fmt, frames)
    return frames_to_seconds(frames, rate=rate)


def concat_wavs(parts: Sequence[tuple[str, float]], out_path: str) -> float:
    """Join WAV files, each followed by its pause, into `out_path`; return the total duration.

    Each part is (path of a WAV, seconds of silence to put after it). The total is exactly the
    sum of the parts' frames and their pauses' frames (see `pad_frames`) over the rate.
    Raises ValueError if there are no parts, if a pause is negative, or if a file is not a PCM
    WAV or differs in format from the first one (the message names it); OSError if a file
    cannot be read or `out_path` cannot be written.
    """
    if not parts:
        raise ValueError("nothing to join: no WAV files given")
    fmt = _common_format(parts)
    pads = [pad_frames(pad, rate=fmt.rate) for _, pad in parts]
    total = 0
    with _atomic_writer(out_path, fmt) as writer:
        for (path, _), pad in zip(parts, pads, strict=True):
            total += _copy_frames(path, writer) + pad
            _write_zeros(writer, fmt, pad)
    return frames_to_seconds(total, rate=fmt.rate)


def _common_format(parts: Sequence[tuple[str, float]]) -> WavFormat:
    """The format all parts share; raises ValueError naming the first part that differs."""
    first_path = parts[0][0]
    expected = wav_format(first_path)
    for path, _ in parts[1:]:
        found = wav_format(path)
        if found != expected:
            raise ValueError(f"cannot join {path}: it is {found}, but {first_path} is {expected}")
    return expected


def _copy_frames(path: str, writer: wave.Wave_write) -> int:
    """Append every frame of the WAV at `path` to `writer`; return how many were copied."""
    copied = 0
    with _open_wav(path) as reader:
        while chunk := reader.readframes(_CHUNK_FRAMES):
            writer.writeframesraw(chunk)
            copied += len(chunk) // (reader.getsampwidth() * reader.getnchannels())
    return copied


def _write_zeros(writer: wave.Wave_write, fmt: WavFormat, frames: int) -> None:
    """Append `frames` frames of digital silence (all-zero samples) to `writer`."""
    frame_bytes = fmt.sample_width * fmt.channels
    chunk = bytes(_CHUNK_FRAMES * frame_bytes)
    full, rest = divmod(frames, _CHUNK_FRAMES)
    for _ in range(full):
        writer.writeframesraw(chunk)
    writer.writeframesraw(chunk[: rest * frame_bytes])


def _format_of(reader: wave.Wave_read) -> WavFormat:
    return WavFormat(
        channels=reader.getnchannels(),
        sample_width=reader.getsampwidth(),
        rate=reader.getframerate(),
    )


def _open_wav(path: str) -> wave.Wave_read:
    """Open `path` for reading; raises ValueError (naming it) if it is not a PCM WAV file."""
    try:
        return wave.open(path, "rb")
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"{path} is not a readable PCM WAV file: {exc or 'truncated'}") from exc


@contextlib.contextmanager
def _atomic_writer(path: str, fmt: WavFormat) -> Iterator[wave.Wave_write]:
    """A WAV writer for `path` that writes to `path + ".tmp"` and renames it on success.

    On any error the temporary file is removed and `path` is left as it was.
    """
    tmp = path + ".tmp"
    try:
        # `wave` patches the header's frame count on close, so the rename must come after it.
        with wave.open(tmp, "wb") as writer:
            writer.setnchannels(fmt.channels)
            writer.setsampwidth(fmt.sample_width)
            writer.setframerate(fmt.rate)
            yield writer
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise
