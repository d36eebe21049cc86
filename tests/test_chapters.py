"""media.chapters and media.loudness as pure functions: ffmetadata escaping, YouTube's rules,
the ebur128 summary and the gain search."""

from __future__ import annotations

import pytest

from videogen.media.chapters import Chapter, chapters_vtt, ffmetadata, youtube_chapters
from videogen.media.loudness import Loudness, LoudnessError, next_gain, parse_ebur128


def spans(*seconds: float, titles: str = "ABCDEFGH") -> list[Chapter]:
    """Consecutive chapters lasting `seconds` each."""
    chapters, at = [], 0.0
    for n, length in enumerate(seconds):
        chapters.append(Chapter(at, at + length, titles[n]))
        at += length
    return chapters


def test_ffmetadata_escapes_and_counts_milliseconds() -> None:
    text = ffmetadata([Chapter(0.0, 12.3456, "a=b;c#d\\e\nf")], title="T=1")
    assert text.splitlines() == [
        ";FFMETADATA1",
        "title=T\\=1",
        "[CHAPTER]",
        "TIMEBASE=1/1000",
        "START=0",
        "END=12346",
        "title=a\\=b\\;c\\#d\\\\e\\",
        "f",
    ]


def test_vtt_track_has_a_cue_per_chapter() -> None:
    track = chapters_vtt(spans(12, 30), language="")
    assert (
        track
        == "WEBVTT\n\n1\n00:00:00.000 --> 00:00:12.000\nA\n\n2\n00:00:12.000 --> 00:00:42.000\nB\n"
    )


def test_youtube_lines_follow_the_rules() -> None:
    assert youtube_chapters(spans(15, 20, 3600)) == "0:00 A\n0:15 B\n0:35 C\n"
    assert youtube_chapters(spans(15, 20, 3600, 11)).endswith("1:00:35 D\n")


def test_youtube_short_slides_fold_into_the_chapter_before() -> None:
    # B (4 s) joins A; a short first slide A (3 s) takes B in; a short tail D joins C.
    assert youtube_chapters(spans(12, 4, 15, 15)) == "0:00 A\n0:16 C\n0:31 D\n"
    assert youtube_chapters(spans(3, 9, 15, 15)) == "0:00 A\n0:12 C\n0:27 D\n"
    assert youtube_chapters(spans(12, 15, 15, 6)) == "0:00 A\n0:12 B\n0:27 C\n"


def test_youtube_fewer_than_three_chapters_is_nothing() -> None:
    assert youtube_chapters(spans(12, 15)) == ""
    assert youtube_chapters(spans(5, 5, 5, 5)) == ""
    assert youtube_chapters([]) == ""


SUMMARY = """[Parsed_ebur128_0 @ 0x1] Summary:

  Integrated loudness:
    I:         -20.7 LUFS
    Threshold: -30.8 LUFS

  Loudness range:
    LRA:         1.1 LU

  True peak:
    Peak:       -2.6 dBFS
"""


def test_parse_ebur128_summary() -> None:
    assert parse_ebur128("noise\n" + SUMMARY) == Loudness(-20.7, -2.6)
    with pytest.raises(LoudnessError):
        parse_ebur128("Output file does not contain any stream")


def test_gain_search() -> None:
    assert next_gain(None, Loudness(-20.7, -2.6)) == pytest.approx(4.7)
    # Limiting cost 0.9 LU: the next try adds it back.
    assert next_gain(4.7, Loudness(-16.9, -2.0)) == pytest.approx(5.6)
    assert next_gain(5.6, Loudness(-16.2, -2.0)) is None  # close enough
    assert next_gain(None, Loudness(-70.0, -120.0)) is None  # silence: no gain
    assert next_gain(None, Loudness(-55.0, -40.0)) == 30.0  # bounded
