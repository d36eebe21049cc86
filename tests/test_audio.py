"""media.audio: durations, silence and joining, exact to the frame."""

from __future__ import annotations

import os
import wave
from typing import TYPE_CHECKING

import pytest

from videogen.media.audio import (
    SAMPLE_RATE,
    SPEECH_FORMAT,
    WavFormat,
    concat_wavs,
    pad_frames,
    wav_duration,
    wav_format,
    wav_frames,
    write_silence,
)

if TYPE_CHECKING:
    from pathlib import Path


def _tone(path: Path, frames: int, *, rate: int = SAMPLE_RATE, channels: int = 1) -> str:
    """A WAV of `frames` frames whose samples are all 0x0101 (never silence)."""
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(channels)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(b"\x01" * (2 * channels * frames))
    return str(path)


def _samples(path: str) -> bytes:
    with wave.open(path, "rb") as reader:
        return reader.readframes(reader.getnframes())


def test_pad_frames_rounds_to_nearest_frame() -> None:
    assert pad_frames(1.0) == SAMPLE_RATE
    assert pad_frames(0.0) == 0
    assert pad_frames(0.5, rate=8000) == 4000
    assert pad_frames(1 / SAMPLE_RATE * 2.6) == 3


@pytest.mark.parametrize("seconds", [-0.1, float("nan"), float("inf")])
def test_pad_frames_rejects_impossible_pauses(seconds: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        pad_frames(seconds)


@pytest.mark.parametrize(
    ("seconds", "rate"), [(1.0, SAMPLE_RATE), (0.3337, SAMPLE_RATE), (2.5, 8000)]
)
def test_write_silence_has_exact_length(tmp_path: Path, seconds: float, rate: int) -> None:
    path = str(tmp_path / "silence.wav")
    duration = write_silence(path, seconds, rate=rate)
    frames = round(seconds * rate)
    assert wav_frames(path) == frames
    assert duration == frames / rate == wav_duration(path)
    assert wav_format(path) == WavFormat(channels=1, sample_width=2, rate=rate)
    assert _samples(path) == bytes(2 * frames)
    assert not os.path.exists(path + ".tmp")


def test_write_silence_of_zero_length(tmp_path: Path) -> None:
    path = str(tmp_path / "empty.wav")
    assert write_silence(path, 0.0) == 0.0
    assert wav_frames(path) == 0


def test_concat_is_exact_sum_of_parts_and_pauses(tmp_path: Path) -> None:
    lengths = [22050, 1234, 30001]
    pauses = [0.5, 0.0, 0.25]
    paths = [_tone(tmp_path / f"{i}.wav", n) for i, n in enumerate(lengths)]
    out = str(tmp_path / "joined.wav")

    duration = concat_wavs(list(zip(paths, pauses, strict=True)), out)

    expected_frames = sum(lengths) + sum(pad_frames(p) for p in pauses)
    assert wav_frames(out) == expected_frames
    assert duration == expected_frames / SAMPLE_RATE == wav_duration(out)
    assert wav_format(out) == SPEECH_FORMAT
    # Parts in order, each followed by its pause of zeros.
    data = _samples(out)
    first_end = 2 * lengths[0]
    assert data[:first_end] == b"\x01" * first_end
    assert data[first_end : first_end + 2 * pad_frames(0.5)] == bytes(2 * pad_frames(0.5))
    assert data[-2 * pad_frames(0.25) :] == bytes(2 * pad_frames(0.25))
    assert not os.path.exists(out + ".tmp")


def test_concat_replaces_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "joined.wav"
    out.write_bytes(b"old")
    part = _tone(tmp_path / "a.wav", 100)
    assert concat_wavs([(part, 0.0)], str(out)) == 100 / SAMPLE_RATE
    assert wav_frames(str(out)) == 100


@pytest.mark.parametrize(
    ("rate", "channels", "described"),
    [(44100, 1, "mono 16-bit 44100 Hz"), (SAMPLE_RATE, 2, "2 channels 16-bit 22050 Hz")],
)
def test_concat_rejects_mismatched_format_naming_the_file(
    tmp_path: Path, rate: int, channels: int, described: str
) -> None:
    good = _tone(tmp_path / "good.wav", 100)
    odd = _tone(tmp_path / "odd.wav", 100, rate=rate, channels=channels)
    out = tmp_path / "joined.wav"
    with pytest.raises(ValueError, match=r"odd\.wav") as info:
        concat_wavs([(good, 0.1), (good, 0.0), (odd, 0.0)], str(out))
    assert described in str(info.value)
    assert not out.exists()
    assert not (tmp_path / "joined.wav.tmp").exists()


def test_concat_rejects_a_file_that_is_not_wav(tmp_path: Path) -> None:
    good = _tone(tmp_path / "good.wav", 100)
    bogus = tmp_path / "bogus.wav"
    bogus.write_bytes(b"not a wav at all")
    with pytest.raises(ValueError, match=r"bogus\.wav"):
        concat_wavs([(good, 0.0), (str(bogus), 0.0)], str(tmp_path / "out.wav"))


def test_concat_rejects_nothing_and_negative_pauses(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nothing to join"):
        concat_wavs([], str(tmp_path / "out.wav"))
    good = _tone(tmp_path / "good.wav", 100)
    with pytest.raises(ValueError, match="finite"):
        concat_wavs([(good, -1.0)], str(tmp_path / "out.wav"))


def test_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        wav_duration(str(tmp_path / "missing.wav"))
