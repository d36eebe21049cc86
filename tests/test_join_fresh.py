"""A join verified in proportion to what changed (`join_check.Fresh`): only the new segments
and slides' tracks decoded, the rest of the file read by stream copy and compared packet by
packet with what the join copied. Still refused: a flipped byte in a reused segment's packet
in the output, a truncated file; a cached artifact damaged on disk is not `intact`."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import pytest

from tests.test_join_check import FFMPEG, SLIDES, _inputs, _run
from videogen.actors.adapters.joining import join_parts, make_segment
from videogen.actors.errors import ProcessFailed
from videogen.media import aac_segments, compose, join_check, mp4_samples

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def _joined(
    tmp: Path, damage_last: bool = False
) -> tuple[Path, Path, Path, list[tuple[Path, float]], float]:
    """The three-segment join of `test_join_check`, with the join's video listing (with
    `damage_last`, the last segment's data damaged before the join)."""
    tmp.mkdir(exist_ok=True)
    argv, track, video, total = _inputs(tmp)
    if damage_last:
        # Inside its first packet's picture data, its last NAL unit's tail (the index and the
        # NAL unit sizes left whole: the join still copies it).
        seg = tmp / "seg2.mp4"
        packet = _first_video_packet(seg)
        data = bytearray(seg.read_bytes())
        end = bytes(data).find(packet) + len(packet)
        for at in range(end - 24, end, 2):
            data[at] ^= 0xFF
        seg.write_bytes(bytes(data))
    listing = tmp / "joined.framemd5"
    at = argv.index(str(video)) + 1
    argv[at:at] = ["-map", "0:v:0", "-c:v", "copy", "-f", "framemd5", str(listing)]
    assert _run(argv).returncode == 0
    parts = [(tmp / f"seg{n}.mp4", s) for n, s in enumerate(SLIDES)]
    return video, track, listing, parts, total


def _fresh_checked(video: Path, track: Path, listing: Path, last_new: bool = True) -> str:
    """Every error the proportional check finds, the last segment new ("" when clean)."""
    got_v = video.with_suffix(".v.framemd5")
    if last_new:
        new = [video.with_name("seg2.mp4")]
        decoded = _run(join_check.tracks_check_argv([], segments=new, ffmpeg=FFMPEG))
        if decoded.returncode != 0 or decoded.stderr.strip():
            return decoded.stderr or f"exit {decoded.returncode}"
    done = _run(join_check.packets_check_argv(video, video_packets=got_v, ffmpeg=FFMPEG))
    if done.returncode != 0:
        return done.stderr or f"exit {done.returncode}"
    text = got_v.read_text() if got_v.exists() else ""
    mismatch = join_check.video_mismatch(
        join_check.parse_packets(text), join_check.parse_packets(listing.read_text())
    )
    if mismatch is None:
        try:
            audio = mp4_samples.sample_digests(video.read_bytes(), b"soun")
        except ValueError as exc:
            return str(exc)
        mismatch = join_check.audio_mismatch(audio, join_check.payload_digests(track.read_bytes()))
    return "\n".join(e for e in (done.stderr, mismatch or "") if e.strip())


def _first_video_packet(video: Path) -> bytes:
    raw = video.with_suffix(".first.bin")
    done = _run(
        [
            *(FFMPEG, "-v", "error", "-y", "-i", str(video), "-map", "0:v:0", "-c", "copy"),
            *("-frames:v", "1", "-f", "data", str(raw)),
        ]
    )
    assert done.returncode == 0, done.stderr
    return raw.read_bytes()


def test_the_proportional_check_is_clean_and_sees_a_flipped_byte_in_a_reused_packet(
    tmp_path: Path,
) -> None:
    video, track, listing, _, _ = _joined(tmp_path)
    assert _fresh_checked(video, track, listing) == ""
    # The first segment is reused (not decoded): one byte inside its first packet flipped.
    packet = _first_video_packet(video)
    data = bytearray(video.read_bytes())
    at = bytes(data).find(packet)
    assert at > 0
    data[at + len(packet) // 2] ^= 0x01
    video.write_bytes(bytes(data))
    assert "video packet 0 differs" in _fresh_checked(video, track, listing)


def test_the_proportional_check_refuses_a_truncated_file(tmp_path: Path) -> None:
    video, track, listing, _, _ = _joined(tmp_path)
    data = video.read_bytes()
    video.write_bytes(data[: len(data) * 2 // 3])
    assert _fresh_checked(video, track, listing, last_new=False)


def test_the_proportional_check_decodes_the_new_segment(tmp_path: Path) -> None:
    # The new (last) segment damaged before the join: the file holds what the join copied
    # (the comparison cannot see it), so its decode must.
    video, track, listing, _, _ = _joined(tmp_path, damage_last=True)
    clean = _joined(tmp_path / "clean")[2]
    copied = join_check.parse_packets(listing.read_text())
    assert len(copied) == len(join_check.parse_packets(clean.read_text()))
    assert _fresh_checked(video, track, listing, last_new=False) == ""
    assert _fresh_checked(video, track, listing)


def test_the_track_check_decodes_each_new_slide_file(tmp_path: Path) -> None:
    _, track, _, _, _ = _joined(tmp_path)
    assert _run(join_check.tracks_check_argv([track, track], ffmpeg=FFMPEG)).stderr == ""
    data = bytearray(track.read_bytes())
    for at in range(len(data) // 4, len(data), 53):
        data[at] ^= 0xFF
    bad = tmp_path / "bad.aac"
    bad.write_bytes(bytes(data))
    done = _run(join_check.tracks_check_argv([track, bad], ffmpeg=FFMPEG))
    assert done.returncode != 0 or done.stderr.strip()


def test_the_video_comparison_names_count_bytes_and_order() -> None:
    joined = [(0, 10, "a"), (3000, 12, "b")]
    assert join_check.video_mismatch(joined, joined) is None
    assert "2" in (join_check.video_mismatch(joined[:1], joined) or "")
    assert "differs" in (join_check.video_mismatch([(0, 10, "a"), (3000, 12, "c")], joined) or "")
    assert "order" in (join_check.video_mismatch([(0, 10, "a"), (0, 12, "b")], joined) or "")


async def test_a_fresh_join_through_the_adapter_is_verified(tmp_path: Path) -> None:
    _, track, _, parts, total = _joined(tmp_path)
    out = tmp_path / "fresh.mp4"
    rate = aac_segments.adts_rate(track)
    await join_parts(
        parts,
        narration=track,
        audio_offset=aac_segments.priming_seconds(rate),
        total_seconds=total,
        output=out,
        on_progress=lambda _f: None,
        metadata=None,
        fresh=join_check.Fresh(parts=(2,), tracks=(track,)),
        ffmpeg=FFMPEG,
    )
    errors = _run(compose.decode_check_argv(out, ffmpeg=FFMPEG)).stderr
    compose.verify_video(out, expected_seconds=total, decode_errors=errors)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("fresh.mp4.")]  # noqa: ASYNC240
    # A new slide's track that does not decode: refused before the file is checked.
    bad = tmp_path / "bad.aac"
    data = bytearray(track.read_bytes())
    for at in range(len(data) // 4, len(data), 53):
        data[at] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises((compose.VerifyError, ProcessFailed)):
        await join_parts(
            parts,
            narration=track,
            audio_offset=aac_segments.priming_seconds(rate),
            total_seconds=total,
            output=out,
            on_progress=lambda _f: None,
            metadata=None,
            fresh=join_check.Fresh(parts=(2,), tracks=(bad,)),
            ffmpeg=FFMPEG,
        )


def test_the_audio_samples_read_in_process_are_the_ones_ffmpeg_reads(tmp_path: Path) -> None:
    video, _, _, _, _ = _joined(tmp_path)
    listed = _run(
        [
            FFMPEG,
            "-v",
            "error",
            "-i",
            str(video),
            "-map",
            "0:a:0",
            "-c",
            "copy",
            "-f",
            "framemd5",
            "-",
        ]
    )
    theirs = join_check.parse_packets(listed.stdout)
    ours = mp4_samples.sample_digests(video.read_bytes(), b"soun")
    assert len(ours) > 100
    assert [p[1:] for p in ours] == [p[1:] for p in theirs]
    # The same spacing (ffmpeg's start at the edit list's shift, ours at 0).
    assert [p[0] - ours[0][0] for p in ours] == [p[0] - theirs[0][0] for p in theirs]
    assert [p[1:] for p in mp4_samples.sample_digests(video.read_bytes(), b"vide")]
    # A file cut short: its samples lie past its end, or its boxes overrun.
    with pytest.raises(ValueError, match=r"past the end|overruns|no moov"):
        mp4_samples.sample_digests(video.read_bytes()[: video.stat().st_size - 500], b"soun")
    with pytest.raises(ValueError, match="no sbtl track"):
        mp4_samples.sample_digests(video.read_bytes(), b"sbtl")


async def test_a_new_segment_is_decoded_as_it_is_made(tmp_path: Path) -> None:
    _, _, _, parts, _ = _joined(tmp_path, damage_last=True)
    clean, damaged = parts[0][0], parts[2][0]
    out = tmp_path / "made.mp4"

    def copy(source: Path) -> list[str]:
        # An "encode" writing a given file: what the check after it sees is known.
        return [sys.executable, "-c", f"import shutil; shutil.copy({str(source)!r}, {str(out)!r})"]

    await make_segment(copy(clean), out, ffmpeg=FFMPEG)
    with pytest.raises(compose.VerifyError, match="new segment"):
        await make_segment(copy(damaged), out, ffmpeg=FFMPEG)
