"""Per-slide AAC narration (`media.aac_segments`), with the real ffmpeg: slides encoded apart
and joined by copy decode like one whole encode — as many samples, no shift, no click at the
joins — and every shape the joiner relies on is checked."""

from __future__ import annotations

import math
import subprocess
import wave
from typing import TYPE_CHECKING

import numpy as np
import pytest
import trio

from videogen.actors.adapters import slide_audio
from videogen.actors.adapters.processes import run_checked
from videogen.media import aac_segments, compose, loudness
from videogen.media.speech import synthesize

if TYPE_CHECKING:
    from pathlib import Path

    from numpy.typing import NDArray

RATE = 22050
FFMPEG = compose.ffmpeg_exe()


def _write(path: Path, samples: NDArray[np.int16]) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.tobytes())
    return path


def _decode(path: Path, *args: str) -> NDArray[np.float64]:
    argv = [FFMPEG, "-v", "error", *args, "-i", str(path), "-f", "s16le", "-ac", "1", "-"]
    raw = subprocess.run(argv, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.int16).astype(np.float64)


def _slides(tmp: Path) -> tuple[list[aac_segments.SlideAudio], NDArray[np.int16]]:
    """Three 'spoken' slides (a warbling tone starting at full level on sample 0) with their
    slots padded to whole frames, and the whole narration they make."""
    slides: list[aac_segments.SlideAudio] = []
    whole: list[NDArray[np.int16]] = []
    for n, seconds in enumerate((3.3, 5.17, 2.9)):
        t = np.arange(int(seconds * RATE)) / RATE
        tone = 8000 * np.sin(2 * np.pi * (220 + 100 * n) * t) * (0.5 + 0.5 * np.cos(6 * np.pi * t))
        speech = tone.astype(np.int16)
        wav = _write(tmp / f"s{n}.wav", speech)
        pause = aac_segments.slot_pause(len(speech) / RATE, 0.6, rate=RATE)
        slot = len(speech) + round(pause * RATE)
        slides.append(aac_segments.SlideAudio(wav, slot, None, tmp / f"s{n}.aac"))
        whole.append(np.concatenate([speech, np.zeros(slot - len(speech), np.int16)]))
    return slides, np.concatenate(whole)


def test_slides_encoded_apart_decode_like_one_encode(tmp_path: Path) -> None:
    slides, whole = _slides(tmp_path)
    subprocess.run(aac_segments.encode_argv(slides, ffmpeg=FFMPEG), check=True)
    track = tmp_path / "joined.aac"
    packets = aac_segments.join_adts([(s.output, s.slot) for s in slides], track)
    # A whole encode's count: one per frame and the priming.
    assert packets == len(whole) // aac_segments.AAC_FRAME + 1
    offset = aac_segments.priming_seconds(aac_segments.adts_rate(track))
    muxed = tmp_path / "joined.m4a"
    argv = [FFMPEG, "-v", "error", "-itsoffset", f"{-offset:.9f}", "-i", str(track)]
    subprocess.run([*argv, "-c", "copy", "-f", "mp4", str(muxed)], check=True)
    reference = tmp_path / "whole.m4a"
    _write(tmp_path / "whole.wav", whole)
    encode = [FFMPEG, "-v", "error", "-i", str(tmp_path / "whole.wav"), "-c:a", "aac"]
    subprocess.run([*encode, "-aac_coder", "fast", "-b:a", "96k", str(reference)], check=True)
    joined, once = _decode(muxed), _decode(reference)
    # Exactly the narration's samples, the priming skipped by the MP4's edit list.
    assert len(joined) == len(once) == len(whole)
    # Not shifted: the tone lines up sample for sample (a lag would be an error of thousands).
    error = joined - whole
    assert np.sqrt(np.mean(error**2)) < 2 * np.sqrt(np.mean((once - whole) ** 2)) + 1
    at = 0
    for slide in slides[:-1]:
        at += slide.slot
        near = slice(at - 2 * aac_segments.AAC_FRAME, at + 2 * aac_segments.AAC_FRAME)
        # No click at a join: within the coder's own error there (a click is thousands).
        assert np.max(np.abs(error[near])) <= 3 * np.max(np.abs((once - whole)[near])) + 8
    # The decode check (its audio passed on in blocks) is clean on it, and still sees damage.
    check = compose.decode_check_argv(muxed, ffmpeg=FFMPEG)
    assert subprocess.run(check, capture_output=True, text=True, check=True).stderr == ""
    data = bytearray(muxed.read_bytes())
    for at in range(len(data) // 3, len(data) - 64, 97):
        data[at] ^= 0xFF
    muxed.write_bytes(bytes(data))
    assert subprocess.run(check, capture_output=True, text=True, check=False).stderr.strip()


async def test_each_slide_is_normalised_on_its_own(tmp_path: Path) -> None:
    quiet = _write(tmp_path / "quiet.wav", (800 * np.sin(np.arange(4 * RATE) / 9)).astype(np.int16))
    loud = _write(tmp_path / "loud.wav", (9000 * np.sin(np.arange(5 * RATE) / 7)).astype(np.int16))
    parts = [
        (wav, aac_segments.slot_pause(s, 0.6, rate=RATE) + s)
        for wav, s in ((quiet, 4.0), (loud, 5.0))
    ]
    outputs = [tmp_path / "q.aac", tmp_path / "l.aac"]
    await slide_audio.encode_slides(
        [(wav, seconds, out) for (wav, seconds), out in zip(parts, outputs, strict=True)],
        ffmpeg=FFMPEG,
    )
    for out in outputs:
        argv = loudness.ebur128_argv(out, ffmpeg=FFMPEG)
        measured = loudness.parse_ebur128(await run_checked(argv))
        assert abs(measured.integrated - loudness.TARGET_LUFS) <= 1.0, (out, measured)
        assert measured.true_peak <= loudness.TARGET_TRUE_PEAK, (out, measured)


def test_a_slot_is_whole_frames_and_at_least_the_pause() -> None:
    for speech in (0.0, 1.0, 3.1234, 17.77):
        pause = aac_segments.slot_pause(speech, 0.6, rate=RATE)
        slot = round(speech * RATE) + round(pause * RATE)
        assert slot % aac_segments.AAC_FRAME == 0
        assert 0.6 <= pause < 0.6 + aac_segments.AAC_FRAME / RATE + 1e-9


def test_the_joiner_refuses_what_it_cannot_join(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="positive multiple"):
        aac_segments.SlideAudio(tmp_path / "a.wav", 1000, None, tmp_path / "a.aac")
    junk = tmp_path / "junk.aac"
    junk.write_bytes(b"RIFF0000WAVE")
    with pytest.raises(ValueError, match="not an ADTS frame"):
        aac_segments.join_adts([(junk, 1024)], tmp_path / "out.aac")
    with pytest.raises(ValueError, match="ADTS header"):
        aac_segments.adts_rate(junk)
    slides, _ = _slides(tmp_path)
    subprocess.run(aac_segments.encode_argv(slides[:1], ffmpeg=FFMPEG), check=True)
    # A slot that is not the one the slide was encoded for: its packets do not add up.
    wrong = slides[0].slot + aac_segments.AAC_FRAME
    with pytest.raises(ValueError, match="AAC packets"):
        aac_segments.join_adts([(slides[0].output, wrong)], tmp_path / "out.aac")


async def test_spoken_slides_are_measured_and_encoded_in_two_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Speech near the grid's gains takes one measuring pass and the encode (it took three
    runs: raw, probes, encode); a slide far off the grid (a quiet tone) is probed once more,
    and every slide still lands at the target."""
    texts = ("Water rises as vapour, cools and gathers into clouds.", "Then it rains.")
    wavs = [tmp_path / f"spoken{n}.wav" for n in range(len(texts))]
    for wav, text in zip(wavs, texts, strict=True):
        synthesize(text, voice="en", rate=175, out_path=str(wav))
    quiet = _write(tmp_path / "quiet.wav", (800 * np.sin(np.arange(4 * RATE) / 9)).astype(np.int16))
    runs: list[list[str]] = []

    async def counted(argv: list[str]) -> str:
        runs.append(argv)
        return await run_checked(argv)

    monkeypatch.setattr(slide_audio, "run_checked", counted)

    async def encode(sources: list[Path]) -> list[Path]:
        slides = []
        for wav in sources:
            with wave.open(str(wav)) as w:
                seconds = w.getnframes() / w.getframerate()
            out = wav.with_suffix(".aac")
            slides.append((wav, seconds + aac_segments.slot_pause(seconds, 0.6, rate=RATE), out))
        await slide_audio.encode_slides(slides, ffmpeg=FFMPEG)
        return [out for _, _, out in slides]

    spoken = await encode(wavs)
    assert len(runs) == 2
    runs.clear()
    mixed = await encode([wavs[0], quiet])
    assert len(runs) == 3
    for out in [*spoken, *mixed]:
        measured = loudness.parse_ebur128(
            await run_checked(loudness.ebur128_argv(out, ffmpeg=FFMPEG))
        )
        assert abs(measured.integrated - loudness.TARGET_LUFS) <= 0.5, (out, measured)
        assert measured.true_peak <= loudness.TARGET_TRUE_PEAK, (out, measured)


async def test_slides_shared_among_concurrent_runs_encode_to_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the port's limiter (two tokens), three slides go to two groups, each measured and
    encoded by its own two runs, side by side; every slide's track is byte for byte what one
    group makes."""
    tones = [(2500 + 3000 * n) * np.sin(np.arange((3 + n) * RATE) / (5 + n)) for n in range(3)]
    wavs = [_write(tmp_path / f"tone{n}.wav", t.astype(np.int16)) for n, t in enumerate(tones)]

    def slides(tag: str) -> list[tuple[Path, float, Path]]:
        out = []
        for n, wav in enumerate(wavs):
            seconds = (3 + n) + aac_segments.slot_pause(3 + n, 0.6, rate=RATE)
            out.append((wav, seconds, tmp_path / f"{tag}{n}.aac"))
        return out

    await slide_audio.encode_slides(slides("one"), ffmpeg=FFMPEG)
    running = 0
    most = 0

    async def counted(argv: list[str]) -> str:
        nonlocal running, most
        running += 1
        most = max(most, running)
        try:
            return await run_checked(argv)
        finally:
            running -= 1

    monkeypatch.setattr(slide_audio, "run_checked", counted)
    shared = slides("two")
    await slide_audio.encode_slides(shared, ffmpeg=FFMPEG, limiter=trio.CapacityLimiter(2))
    assert most == 2
    for n, (_, _, out) in enumerate(shared):
        assert out.read_bytes() == (tmp_path / f"one{n}.aac").read_bytes()
    assert slide_audio._shares(shared, 2) == [[2], [0, 1]]
    assert slide_audio._shares(shared[:1], 2) == [[0]]


def test_a_grid_gain_is_settled_near_the_grid_and_none_for_silence() -> None:
    low, high = loudness.GRID_DB
    assert loudness.grid_gain(
        (low, loudness.Loudness(-70.0, -math.inf)), (high, loudness.Loudness(-70.0, -math.inf))
    ) == (None, True)
    gain, settled = loudness.grid_gain(
        (low, loudness.Loudness(-16.9, -math.inf)), (high, loudness.Loudness(-15.3, -math.inf))
    )
    assert settled and gain == pytest.approx(low + 0.9 / 0.4)
    gain, settled = loudness.grid_gain(
        (low, loudness.Loudness(-30.0, -math.inf)), (high, loudness.Loudness(-26.0, -math.inf))
    )
    assert not settled and gain == pytest.approx(low + 14.0)
