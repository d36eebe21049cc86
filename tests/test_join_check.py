"""media.join_check and actors.adapters.joining: a joined file's decode check, split so the
narration decodes beside the join, still refusing a damaged file or a different narration."""

from __future__ import annotations

import subprocess
import wave
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from videogen.actors.adapters.joining import join_verified
from videogen.actors.errors import ProcessFailed
from videogen.media import aac_segments, compose, join_check, segments

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

FFMPEG = compose.ffmpeg_exe()
RATE = 22050
SLIDES = (3.137, 2.291, 4.0173)


def _run(argv: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)


def _inputs(tmp: Path) -> tuple[list[str], Path, Path, float]:
    """A join command over three segments and an ADTS narration (tone, then silence)."""
    parts: list[tuple[Path, float]] = []
    for n, seconds in enumerate(SLIDES):
        image = tmp / f"s{n}.png"
        Image.new("RGB", (320, 180), (70 * n, 90, 160)).save(image)
        listing = tmp / f"f{n}.ffconcat"
        segments.write_frame_list([(image, seconds)], listing)
        seg = tmp / f"seg{n}.mp4"
        done = _run(
            segments.segment_argv(concat_list=listing, seconds=seconds, output=seg, ffmpeg=FFMPEG)
        )
        assert done.returncode == 0, done.stderr
        parts.append((seg, seconds))
    listing = tmp / "join.ffconcat"
    total = segments.write_segment_list(parts, listing)
    wav = tmp / "narration.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(bytes(range(256)) * (round(total * RATE) * 2 // 256))
    track = tmp / "narration.aac"
    done = _run([FFMPEG, "-v", "error", "-i", str(wav), "-c:a", "aac", "-f", "adts", str(track)])
    assert done.returncode == 0, done.stderr
    out = tmp / "joined.mp4"
    argv = segments.join_argv(
        segment_list=listing,
        audio=track,
        total_seconds=total,
        output=out,
        ffmpeg=FFMPEG,
        audio_offset=aac_segments.priming_seconds(RATE),
    )
    return argv, track, out, total


def _checked(track: Path, video: Path) -> str:
    """Every error the split check finds ("" when the file is clean)."""
    errors = _run(join_check.track_check_argv(track, ffmpeg=FFMPEG)).stderr
    listing = video.with_suffix(".framemd5")
    done = _run(join_check.file_check_argv(video, packets=listing, ffmpeg=FFMPEG))
    packets = join_check.parse_packets(listing.read_text() if listing.exists() else "")
    mismatch = join_check.audio_mismatch(packets, join_check.payload_digests(track.read_bytes()))
    return "\n".join(e for e in (errors, done.stderr, mismatch or "") if e.strip())


def test_the_split_check_is_clean_on_a_join_and_sees_damage_and_another_narration(
    tmp_path: Path,
) -> None:
    argv, track, video, _ = _inputs(tmp_path)
    assert _run(argv).returncode == 0
    assert _checked(track, video) == ""
    # The whole check agrees on the clean file.
    assert _run(compose.decode_check_argv(video, ffmpeg=FFMPEG)).stderr == ""
    # Another narration than the one joined: one payload byte of one packet changed.
    other = tmp_path / "other.aac"
    data = bytearray(track.read_bytes())
    data[len(data) // 2] ^= 0x5A
    other.write_bytes(bytes(data))
    assert _checked(other, video)
    # The file damaged: bytes flipped across its data (its audio and its video).
    damaged = bytearray(video.read_bytes())
    for at in range(len(damaged) // 3, len(damaged) - 64, 97):
        damaged[at] ^= 0xFF
    video.write_bytes(bytes(damaged))
    assert _checked(track, video)


def test_the_audio_comparison_names_count_bytes_and_timing() -> None:
    digests = [(10, "a"), (12, "b")]
    assert join_check.audio_mismatch([(-1024, 10, "a"), (0, 12, "b")], digests) is None
    assert "narration 2" in (join_check.audio_mismatch([(0, 10, "a")], digests) or "")
    assert "differs" in (join_check.audio_mismatch([(0, 10, "a"), (1024, 12, "c")], digests) or "")
    assert "not 0" in (join_check.audio_mismatch([(-1024, 10, "a"), (5, 12, "b")], digests) or "")


async def test_a_verified_join_refuses_a_narration_that_is_not_the_files(tmp_path: Path) -> None:
    argv, track, video, total = _inputs(tmp_path)
    await join_verified(
        argv,
        output=video,
        narration=track,
        total_seconds=total,
        on_progress=lambda _f: None,
        ffmpeg=FFMPEG,
    )
    # The same join checked against a damaged copy of its narration: refused.
    data = bytearray(track.read_bytes())
    for at in range(len(data) // 4, len(data), 53):
        data[at] ^= 0xFF
    bad = tmp_path / "bad.aac"
    bad.write_bytes(bytes(data))
    with pytest.raises((compose.VerifyError, ProcessFailed)):
        await join_verified(
            argv,
            output=video,
            narration=bad,
            total_seconds=total,
            on_progress=lambda _f: None,
            ffmpeg=FFMPEG,
        )
