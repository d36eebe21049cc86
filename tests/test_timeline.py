"""Timeline, subtitles and the compose helpers: pure functions of their inputs."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from videogen.media.compose import compose_argv, parse_progress, write_concat_list
from videogen.media.models import Script, SlideScript
from videogen.media.subtitles import to_srt, to_vtt
from videogen.media.timeline import Cue, SpokenSlide, cues_for, frame_entries, timed_script


def spoken(n: int, speech: float, text: str = "One. Two! Three?") -> SpokenSlide:
    return SpokenSlide(n, text, Path(f"/tmp/{n}.wav"), speech, 0.5)


def test_timed_script_accumulates_real_durations() -> None:
    script = Script(
        topic="t",
        total_duration=99,
        language="english",
        slide_scripts=tuple(
            SlideScript(slide_number=n, start_time=0, end_time=1, narration_text="x")
            for n in (1, 2)
        ),
    )
    timed = timed_script(script, [spoken(1, 3.0), spoken(2, 4.0)])
    assert [(s.start_time, s.end_time) for s in timed.slide_scripts] == [(0.0, 3.5), (3.5, 8.0)]
    assert timed.total_duration == 8.0
    with pytest.raises(ValueError, match="do not match"):
        timed_script(script, [spoken(1, 3.0)])


def test_cues_stay_inside_each_slides_speech() -> None:
    cues = cues_for([spoken(1, 3.0), spoken(2, 6.0)])
    assert len(cues) == 6
    assert cues[0].start == 0.0 and cues[2].end == pytest.approx(3.0)
    assert cues[3].start == pytest.approx(3.5) and cues[5].end == pytest.approx(9.5)
    assert all(a.end <= b.start + 1e-9 for a, b in itertools.pairwise(cues))


def test_reveal_frames_fill_each_slide_exactly() -> None:
    frames = [[Path("a0"), Path("a1"), Path("a2")], [Path("b0")]]
    entries = frame_entries(frames, [spoken(1, 3.0), spoken(2, 2.0)])
    assert [p.name for p, _ in entries] == ["a0", "a1", "a2", "b0"]
    assert sum(s for _, s in entries) == pytest.approx(6.0)
    assert all(s > 0 for _, s in entries)


def test_vtt_and_srt_parse() -> None:
    cues = [Cue(0.0, 1.5, "Hello --> there"), Cue(1.5, 3723.25, "Second\n\nline")]
    vtt = to_vtt(cues, language="english")
    assert vtt.startswith("WEBVTT\n")
    timing = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} --> \d\d:\d\d:\d\d\.\d{3}$")
    blocks = vtt.strip().split("\n\n")[1:]
    assert len(blocks) == 2
    for block in blocks:
        lines = block.split("\n")
        assert lines[0].isdigit() and timing.match(lines[1]) and "-->" not in "".join(lines[2:])
    assert "01:02:03.250" in vtt
    srt = to_srt(cues)
    assert "00:00:01,500 --> 01:02:03,250" in srt and "Second\nline" in srt


def test_concat_list_holds_the_last_image(tmp_path: Path) -> None:
    entries = [(tmp_path / "a.png", 2.0), (tmp_path / "it's.png", 3.0)]
    total = write_concat_list(entries, tmp_path / "list.ffconcat")
    text = (tmp_path / "list.ffconcat").read_text()
    assert total == 5.0
    assert text.count("it'\\''s.png") == 3
    assert "duration 2.950000" in text and "duration 0.050000" in text
    with pytest.raises(ValueError, match="no slide images"):
        write_concat_list([], tmp_path / "x")


def test_compose_argv_is_exact_and_never_shortest(tmp_path: Path) -> None:
    argv = compose_argv(
        concat_list=tmp_path / "l",
        audio=tmp_path / "a.wav",
        total_seconds=12.5,
        output=tmp_path / "o.mp4",
        ffmpeg="ffmpeg",
    )
    assert "-shortest" not in argv
    assert argv[argv.index("-t") + 1] == "12.500000"
    assert "+faststart" in argv and argv[argv.index("-fps_mode") + 1] == "vfr"


def test_parse_progress() -> None:
    assert parse_progress("out_time_us=1500000") == 1.5
    assert parse_progress("out_time_ms=2000000") == 2.0
    assert parse_progress("out_time_us=N/A") is None
    assert parse_progress("frame=3") is None
