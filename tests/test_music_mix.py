"""Background music on real generations: espeak, Pillow and ffmpeg through the runtime.

The same request is generated twice, without and with music (a 60 Hz tone made with ffmpeg's
`sine` source, stereo at 44.1 kHz, shorter than the video so it must loop). espeak is
deterministic, so both videos speak at the same instants: the one without music tells where the
pauses are. Measured on the MP4s' decoded audio: the audio lasts the video's exact length, the
loudness stays on target, the music is heard in the pauses (silence without it), and under
speech it is ducked (its 60 Hz component, which speech hardly has, drops).
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING, Final

import numpy as np
import pytest

from tests.test_chapters_loudness import generate, measured
from tests.test_music import make_audio
from videogen.actors.adapters.knowledge import UPLOADS_DIR
from videogen.actors.adapters.uploads import UploadStore
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media.compose import ffmpeg_exe, mp4_layout
from videogen.media.loudness import TARGET_LUFS, TARGET_TRUE_PEAK
from videogen.media.models import Script
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator
    from pathlib import Path

    import trio
    from numpy.typing import NDArray

pytestmark = pytest.mark.slow

# The decoded audio's rate, and the analysis window (0.1 s: 10 Hz bins, 60 Hz is one of them).
_RATE: Final = 8000
_WINDOW: Final = 800
_TONE_HZ: Final = 60


@pytest.fixture
async def real_registry(tmp_path: Path, nursery: trio.Nursery) -> AsyncIterator[Registry]:
    config = RegistryConfig(data_dir=tmp_path / "data", max_running=1, max_queued=10)
    registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
    yield registry
    await registry.shutdown()


def decoded(video: Path) -> NDArray[np.float32]:
    """The MP4's audio track as mono float samples at `_RATE`."""
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(video), "-map", "0:a:0", "-ac", "1"]
    done = subprocess.run(
        [*argv, "-ar", str(_RATE), "-f", "f32le", "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return np.frombuffer(done.stdout, dtype="<f4")


def windows(samples: NDArray[np.float32]) -> NDArray[np.float32]:
    count = len(samples) // _WINDOW
    return samples[: count * _WINDOW].reshape(count, _WINDOW)


def rms_db(samples: NDArray[np.float32]) -> NDArray[np.float64]:
    """Each window's RMS level, dBFS."""
    power = np.mean(windows(samples).astype(np.float64) ** 2, axis=1)
    levels: NDArray[np.float64] = 10 * np.log10(power + 1e-12)
    return levels


def tone_db(samples: NDArray[np.float32]) -> NDArray[np.float64]:
    """Each window's level at `_TONE_HZ` (its DFT bin), dBFS."""
    t = np.arange(_WINDOW) / _RATE
    basis = np.exp(-2j * np.pi * _TONE_HZ * t) * np.hanning(_WINDOW)
    amplitude = 2 * np.abs(windows(samples) @ basis) / np.sum(np.hanning(_WINDOW))
    levels: NDArray[np.float64] = 20 * np.log10(amplitude + 1e-12)
    return levels


async def test_music_is_looped_to_the_end_on_target_heard_in_pauses_and_ducked(
    real_registry: Registry, tmp_path: Path
) -> None:
    request = {"topic": "Volcanoes", "num_slides": 3, "speech_rate": 150}
    plain = await generate(real_registry, **request)
    source = f"sine=f={_TONE_HZ}:r=44100:d=5,pan=stereo|c0=c0|c1=c0"
    stereo = make_audio(tmp_path / "tone.wav", seconds=5, source=source)
    store = UploadStore(real_registry.config.data_dir / UPLOADS_DIR)
    upload = await store.save_audio("tone.wav", stereo.read_bytes(), "audio/wav")
    with_music = await generate(
        real_registry, **request, music={"upload_id": upload.upload_id, "volume": 0.5}
    )
    script = Script.model_validate((await real_registry.record(with_music)).script)
    plain_video = real_registry.config.artifacts(plain).video
    video = real_registry.config.artifacts(with_music).video

    # The audio lasts the video's length (one AAC frame at most, as without music).
    samples, quiet = decoded(video), decoded(plain_video)
    assert mp4_layout(video).duration == pytest.approx(script.total_duration, abs=0.1)
    assert len(samples) / _RATE == pytest.approx(script.total_duration, abs=0.05)
    assert len(samples) == pytest.approx(len(quiet), abs=_RATE * 0.05)

    loud = measured(video)
    assert abs(loud.integrated - TARGET_LUFS) <= 1.0, loud
    assert loud.true_peak <= TARGET_TRUE_PEAK, loud

    # Pauses: silent windows without music, away from the fades; speech: loud ones.
    n = min(len(rms_db(samples)), len(rms_db(quiet)))
    level, plain_level = rms_db(samples)[:n], rms_db(quiet)[:n]
    inner = np.zeros(n, dtype=bool)
    inner[20 : n - 20] = True  # 2 s in from each end
    silent = plain_level < -60
    # Silent with two silent windows either side: the ducking has been released.
    pauses = inner & (np.convolve(silent, np.ones(5), "same") == 5)
    speech = inner & (plain_level > -30)
    assert pauses.sum() >= 5 and speech.sum() >= 50, (pauses.sum(), speech.sum())
    # Heard in the pauses (without music they are digital silence).
    assert np.median(level[pauses]) > -40, level[pauses]
    assert np.median(plain_level[pauses]) < -80
    # Ducked under speech: the tone at least 6 dB lower while the narration speaks.
    music_tone = tone_db(samples)[:n]
    ducked, free = np.median(music_tone[speech]), np.median(music_tone[pauses])
    assert ducked < free - 6, (ducked, free)
