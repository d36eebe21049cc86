"""media.segments: per-slide segments joined by stream copy, slide changes where the script says."""

from __future__ import annotations

import re
import subprocess
import wave
from typing import TYPE_CHECKING

import pytest
from PIL import Image

from videogen.media import aac_segments, chapters, compose, segments

if TYPE_CHECKING:
    from pathlib import Path

# Seconds that fall off every frame grid (1/25, 1/24, 1/10 s).
SLIDES = (3.137, 2.291, 4.0173)


def _run(argv: list[str]) -> str:
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _narration(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(22050)
        w.writeframes(b"\x01\x02" * round(seconds * 22050))
    return path


def _frames(tmp: Path, slide: int, seconds: float, tint: int = 0) -> list[tuple[Path, float]]:
    """Two frames per slide (a reveal), 40 % and 60 % of its seconds."""
    first, second = tmp / f"s{slide}_{tint}a.png", tmp / f"s{slide}_{tint}b.png"
    Image.new("RGB", (320, 180), (60 * slide, 100, tint)).save(first)
    Image.new("RGB", (320, 180), (60 * slide, 200, tint)).save(second)
    return [(first, seconds * 0.4), (second, seconds * 0.6)]


def _segment(tmp: Path, n: int, entries: list[tuple[Path, float]], ffmpeg: str) -> Path:
    listing = tmp / f"seg{n}.ffconcat"
    seconds = segments.write_frame_list(entries, listing)
    out = tmp / f"seg{n}_{entries[0][0].stem}{segments.SEGMENT_SUFFIX}"
    _run(segments.segment_argv(concat_list=listing, seconds=seconds, output=out, ffmpeg=ffmpeg))
    return out


def _join(
    tmp: Path, segs: list[Path], name: str, ffmpeg: str, seconds: tuple[float, ...] = SLIDES
) -> Path:
    listing = tmp / f"{name}.ffconcat"
    total = segments.write_segment_list(list(zip(segs, seconds, strict=True)), listing)
    audio = _narration(tmp / "narration.wav", total)
    out = tmp / f"{name}.mp4"
    _run(
        segments.join_argv(
            segment_list=listing, audio=audio, total_seconds=total, output=out, ffmpeg=ffmpeg
        )
    )
    errors = subprocess.run(
        compose.decode_check_argv(out, ffmpeg=ffmpeg), capture_output=True, text=True, check=False
    ).stderr
    compose.verify_video(out, expected_seconds=total, decode_errors=errors)
    return out


@pytest.mark.slow
def test_joined_segments_change_slides_exactly_where_the_script_says(tmp_path: Path) -> None:
    ffmpeg = compose.ffmpeg_exe()
    segs = [_segment(tmp_path, n, _frames(tmp_path, n, s), ffmpeg) for n, s in enumerate(SLIDES)]
    video = _join(tmp_path, segs, "joined", ffmpeg)
    frames = segments.parse_frame_times(_run(segments.frame_times_argv(video, ffmpeg=ffmpeg)))
    errors = segments.boundary_errors(frames, segments.boundaries(SLIDES))
    # Well inside the 40 ms bound: within half a step of the 10 ms grid (at the image demuxer's
    # default 1/25 s, 3.137 s came out 17 ms off).
    assert max(errors) <= 0.005 + 1e-6, errors
    # Every frame change inside a slide (the reveals) is within a step too.
    changes = [t for (t, h), (_, p) in zip(frames[1:], frames, strict=False) if h != p]
    expected = sorted(
        {
            *segments.boundaries(SLIDES),
            *(sum(SLIDES[:n]) + s * 0.4 for n, s in enumerate(SLIDES)),
        }
    )
    assert changes == pytest.approx(expected, abs=0.0101)


@pytest.mark.slow
def test_a_join_of_many_off_grid_slides_passes_the_decode_check(tmp_path: Path) -> None:
    # Durations whose steps share no common divisor: read at 90 kHz, the decoder guessed 0.4 fps
    # for such a file and the decode check failed ("non monotonically increasing dts").
    seconds = (6.90437, 5.11113, 7.03071, 4.99997, 6.12349, 5.55551)
    ffmpeg = compose.ffmpeg_exe()
    segs = [_segment(tmp_path, n, _frames(tmp_path, n, s), ffmpeg) for n, s in enumerate(seconds)]
    video = _join(tmp_path, segs, "many", ffmpeg, seconds)
    frames = segments.parse_frame_times(_run(segments.frame_times_argv(video, ffmpeg=ffmpeg)))
    errors = segments.boundary_errors(frames, segments.boundaries(seconds))
    assert max(errors) <= 0.005 + 1e-6, errors


@pytest.mark.slow
def test_one_segment_redone_leaves_the_other_slides_frames_bit_identical(tmp_path: Path) -> None:
    ffmpeg = compose.ffmpeg_exe()
    segs = [_segment(tmp_path, n, _frames(tmp_path, n, s), ffmpeg) for n, s in enumerate(SLIDES)]
    before = _join(tmp_path, segs, "before", ffmpeg)
    segs[1] = _segment(tmp_path, 1, _frames(tmp_path, 1, SLIDES[1], tint=255), ffmpeg)
    after = _join(tmp_path, segs, "after", ffmpeg)
    old = segments.parse_frame_times(_run(segments.frame_times_argv(before, ffmpeg=ffmpeg)))
    new = segments.parse_frame_times(_run(segments.frame_times_argv(after, ffmpeg=ffmpeg)))
    assert len(old) == len(new)
    start, end = segments.boundaries(SLIDES)
    for (t_old, h_old), (t_new, h_new) in zip(old, new, strict=True):
        assert t_old == t_new
        inside = start - 0.006 <= t_old < end - 0.006
        assert (h_old != h_new) == inside, t_old


def test_segment_list_names_each_segment_with_its_exact_seconds(tmp_path: Path) -> None:
    listing = tmp_path / "join.ffconcat"
    total = segments.write_segment_list(
        [(tmp_path / "a.mp4", 1.5), (tmp_path / "it's.mp4", 2.25)], listing
    )
    assert total == 3.75
    lines = listing.read_text().splitlines()
    assert lines[0] == "ffconcat version 1.0"
    assert lines[2] == "duration 1.500000"
    assert lines[4] == "duration 2.250000"
    assert lines[3].endswith("it'\\''s.mp4'")
    with pytest.raises(ValueError, match="no segments"):
        segments.write_segment_list([], listing)
    with pytest.raises(ValueError, match="non-positive"):
        segments.write_segment_list([(tmp_path / "a.mp4", 0.0)], listing)


def test_frame_list_reads_every_image_at_the_grid_rate(tmp_path: Path) -> None:
    listing = tmp_path / "frames.ffconcat"
    seconds = segments.write_frame_list(
        [(tmp_path / "a.png", 1.0), (tmp_path / "b.png", 2.0)], listing
    )
    assert seconds == 3.0
    lines = listing.read_text().splitlines()
    files = [n for n, line in enumerate(lines) if line.startswith("file ")]
    assert files
    assert all(lines[n + 1] == "option framerate 100" for n in files)


def test_segment_list_rounds_boundaries_not_durations(tmp_path: Path) -> None:
    listing = tmp_path / "join.ffconcat"
    # Four slides of 1.004 s: rounding each duration would put the last start 12 ms early.
    total = segments.write_segment_list([(tmp_path / f"{n}.mp4", 1.004) for n in range(4)], listing)
    assert total == pytest.approx(4.016)
    durations = [float(x.split()[1]) for x in listing.read_text().splitlines() if "duration" in x]
    assert durations == [1.0, 1.01, 1.0, 1.01]
    with pytest.raises(ValueError, match="non-positive"):
        segments.write_segment_list([(tmp_path / "a.mp4", 0.004)], listing)


def test_frame_times_parse_the_timebase_and_reject_what_is_not_framemd5() -> None:
    text = "#tb 0: 1/90000\n#media_type 0: video\n0, 0, 0, 9000, 10, aa\n0, 9000, 9000, 1, 10, bb\n"
    frames = segments.parse_frame_times(text)
    assert frames == [(0.0, "aa"), (0.1, "bb")]
    assert segments.boundary_errors(frames, [0.1, 0.12]) == pytest.approx([0.0, 0.02])
    assert segments.boundary_errors(frames[:1], [0.1]) == [float("inf")]
    with pytest.raises(ValueError, match="framemd5"):
        segments.parse_frame_times("0, 0, 0, 1, 1, aa\n")


def _packets(video: Path, ffmpeg: str) -> list[str]:
    """dts, pts, duration, size and MD5 of every video packet, as stored (no decode)."""
    argv = [ffmpeg, "-v", "error", "-i", str(video), "-map", "0:v", "-c", "copy"]
    text = _run([*argv, "-f", "framemd5", "-"])
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return [",".join(f.strip() for f in line.split(",")[1:]) for line in lines]


def _segmented(tmp: Path, ffmpeg: str) -> tuple[Path, list[Path], float]:
    """One encode of the whole deck (`segmented_argv`): the final MP4 and its segments."""
    entries = [e for n, s in enumerate(SLIDES) for e in _frames(tmp, n + 1, s)]
    listing = tmp / "deck.ffconcat"
    total = segments.write_frame_list(entries, listing)
    audio = _narration(tmp / "deck.wav", total)
    out, seg_dir = tmp / "deck.mp4", tmp / "deck_segments"
    seg_dir.mkdir()
    argv = segments.segmented_argv(
        concat_list=listing,
        audio=audio,
        total_seconds=total,
        cuts=segments.segment_cuts(SLIDES),
        output=out,
        segment_pattern=seg_dir / "segment_%03d.mp4",
        ffmpeg=ffmpeg,
    )
    _run(argv)
    errors = _run(compose.decode_check_argv(out, ffmpeg=ffmpeg))
    compose.verify_video(out, expected_seconds=total, decode_errors=errors)
    return out, sorted(seg_dir.iterdir()), total


def test_one_encode_leaves_per_slide_segments_that_decode_alone(tmp_path: Path) -> None:
    ffmpeg = compose.ffmpeg_exe()
    video, segs, _total = _segmented(tmp_path, ffmpeg)
    assert len(segs) == len(SLIDES)
    for seg, seconds in zip(segs, SLIDES, strict=True):
        # Decodes on its own (it starts with a keyframe), with exactly its slide's two frames.
        assert _run(compose.decode_check_argv(seg, ffmpeg=ffmpeg)).strip() == ""
        frames = segments.parse_frame_times(_run(segments.frame_times_argv(seg, ffmpeg=ffmpeg)))
        assert frames[0][0] == 0.0
        assert len({h for _, h in frames}) == 2
        # Its reveal within a step of the script (both ends of the slide rounded to the grid).
        assert abs(frames[1][0] - seconds * 0.4) <= 1 / segments.FRAME_GRID + 1e-9
    # Its slide changes are where the script says.
    frames = segments.parse_frame_times(_run(segments.frame_times_argv(video, ffmpeg=ffmpeg)))
    errors = segments.boundary_errors(frames, segments.boundaries(SLIDES))
    assert max(errors) <= 0.5 / segments.FRAME_GRID + 1e-9


def test_the_left_segments_join_into_the_encodes_video_bit_for_bit(tmp_path: Path) -> None:
    ffmpeg = compose.ffmpeg_exe()
    video, segs, _total = _segmented(tmp_path, ffmpeg)
    joined = _join(tmp_path, segs, "rejoined", ffmpeg)
    assert _packets(joined, ffmpeg) == _packets(video, ffmpeg)


def test_a_left_segment_and_a_separately_encoded_one_join_and_verify(tmp_path: Path) -> None:
    ffmpeg = compose.ffmpeg_exe()
    _video, segs, _total = _segmented(tmp_path, ffmpeg)
    # Slide 2 edited: encoded alone (as an incremental render does), beside the left ones.
    redone = _segment(tmp_path, 2, _frames(tmp_path, 2, SLIDES[1], tint=90), ffmpeg)
    joined = _join(tmp_path, [segs[0], redone, segs[2]], "mixed", ffmpeg)
    frames = segments.parse_frame_times(_run(segments.frame_times_argv(joined, ffmpeg=ffmpeg)))
    errors = segments.boundary_errors(frames, segments.boundaries(SLIDES))
    assert max(errors) <= segments.BOUNDARY_TOLERANCE


def test_segment_cuts_sit_half_a_step_before_each_rounded_boundary() -> None:
    cuts = segments.segment_cuts((1.234, 2.0, 3.0))
    assert cuts == pytest.approx([1.225, 3.225])


def test_segmented_argv_refuses_a_path_the_tee_syntax_reserves(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="tee"):
        segments.segmented_argv(
            concat_list=tmp_path / "l",
            audio=tmp_path / "a.wav",
            total_seconds=1.0,
            cuts=[],
            output=tmp_path / "a|b.mp4",
            segment_pattern=tmp_path / "s%03d.mp4",
            ffmpeg="ffmpeg",
        )


@pytest.mark.slow
def test_a_join_writes_chapters_of_any_length_in_its_own_mux(tmp_path: Path) -> None:
    # A chapter over 15.2 s: at the muxer's own movie timescale (141.12 MHz for these inputs)
    # its duration overflowed 32 bits and the chapters after it came out shifted or lost.
    seconds = (3.137, 17.203, 2.291, 16.5)
    ffmpeg = compose.ffmpeg_exe()
    segs = [_segment(tmp_path, n, _frames(tmp_path, n, s), ffmpeg) for n, s in enumerate(seconds)]
    listing = tmp_path / "chaptered.ffconcat"
    total = segments.write_segment_list(list(zip(segs, seconds, strict=True)), listing)
    spans = [
        chapters.Chapter(sum(seconds[:n]), sum(seconds[: n + 1]), f"Slide {n + 1}")
        for n in range(len(seconds))
    ]
    metadata = tmp_path / "chapters.ffmetadata"
    metadata.write_text(chapters.ffmetadata(spans, title="Joined"), encoding="utf-8")
    # The narration as the pipeline hands it: an ADTS track copied in, its priming before zero.
    track = tmp_path / "narration.aac"
    wav = _narration(tmp_path / "narration.wav", total)
    _run([ffmpeg, "-v", "error", "-i", str(wav), "-c:a", "aac", "-f", "adts", str(track)])
    out = tmp_path / "chaptered.mp4"
    argv = segments.join_argv(
        segment_list=listing,
        audio=track,
        total_seconds=total,
        output=out,
        ffmpeg=ffmpeg,
        metadata=metadata,
        audio_offset=aac_segments.priming_seconds(22050),
    )
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=120)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr
    listed = subprocess.run(
        [ffmpeg, "-hide_banner", "-nostdin", "-i", str(out)],
        capture_output=True,
        text=True,
        check=False,
    ).stderr
    found = re.findall(
        r"Chapter #\d+:\d+: start (\d+\.\d+), end (\d+\.\d+)\s+Metadata:\s+title\s+: (\S+ \d+)",
        listed,
    )
    assert [t for _, _, t in found] == [c.title for c in spans]
    for (start, end, _), chapter in zip(found, spans, strict=True):
        assert float(start) == pytest.approx(chapter.start, abs=0.001)
        assert float(end) == pytest.approx(chapter.end, abs=0.001)
