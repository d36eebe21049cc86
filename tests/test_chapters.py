"""media.chapters and media.loudness as pure functions: ffmetadata escaping, YouTube's rules,
the ebur128 summary and the gain search."""

from __future__ import annotations

import math

import pytest

from videogen.media.chapters import Chapter, chapters_vtt, ffmetadata, youtube_chapters
from videogen.media.loudness import (
    Loudness,
    LoudnessError,
    corrected_gain,
    first_gain,
    parse_ebur128,
    parse_ebur128_all,
)


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
    loudness_only = SUMMARY.split("  True peak:")[0]
    assert parse_ebur128(loudness_only) == Loudness(-20.7, -math.inf)
    with pytest.raises(LoudnessError):
        parse_ebur128("Output file does not contain any stream")


def test_gain_search() -> None:
    assert first_gain(Loudness(-20.7, -2.6)) == pytest.approx(4.7)
    assert first_gain(Loudness(-70.0, -120.0)) is None  # silence: no gain
    assert first_gain(Loudness(-55.0, -40.0)) == 30.0  # bounded
    # Through the limiter +4.7 dB gave -16.9 and +6.7 dB -15.3: 0.8 LU per dB, 1.1 dB more.
    gain = corrected_gain((4.7, Loudness(-16.9, -math.inf)), (6.7, Loudness(-15.3, -math.inf)))
    assert gain == pytest.approx(4.7 + 0.9 / 0.8)
    # A limiter doing all the work: the slope is bounded, the gain too.
    assert corrected_gain((4.0, Loudness(-18, 0)), (6.0, Loudness(-18, 0))) == 4.0 + 2 / 0.3


def test_parse_several_summaries_in_filter_order() -> None:
    two = SUMMARY.replace("ebur128_0", "ebur128_3") + SUMMARY.replace("-20.7", "-19.0").replace(
        "ebur128_0", "ebur128_1"
    )
    assert [m.integrated for m in parse_ebur128_all(two)] == [-19.0, -20.7]
