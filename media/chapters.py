"""Chapters: one per slide, from the script's measured timings, titled with the slide's title.

Three forms of the same list: an ffmetadata file the composition call reads (the MP4's own
chapter markers), a WebVTT chapters track for the page's `<track kind="chapters">`, and the
`0:00 Title` lines a video description takes. Pure functions of their inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media.subtitles import to_vtt
from videogen.media.timeline import Cue

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import Content, Script

__all__ = [
    "YOUTUBE_MIN_CHAPTERS",
    "YOUTUBE_MIN_SECONDS",
    "Chapter",
    "chapters_for",
    "chapters_vtt",
    "ffmetadata",
    "youtube_chapters",
]

# YouTube's rules for timestamps in a description: the first at 0:00, at least three, each at
# least ten seconds long; a list that breaks one of them is ignored.
YOUTUBE_MIN_CHAPTERS: Final = 3
YOUTUBE_MIN_SECONDS: Final = 10
# ffmetadata chapter times are integers in this time base: milliseconds.
_TIMEBASE: Final = 1000


@dataclass(frozen=True, slots=True)
class Chapter:
    """One slide's span on the timeline, in seconds from the video start."""

    start: float
    end: float
    title: str


def chapters_for(content: Content, script: Script) -> list[Chapter]:
    """A chapter per slide of the re-timed `script`, titled with its slide in `content`.

    A slide number without a slide (it cannot happen for a finished generation) is titled
    "Slide N" rather than dropped, so the chapters still cover the whole video.
    """
    titles = {slide.slide_number: " ".join(slide.title.split()) for slide in content.slides}
    return [
        Chapter(
            entry.start_time,
            entry.end_time,
            titles.get(entry.slide_number) or f"Slide {entry.slide_number}",
        )
        for entry in script.slide_scripts
    ]


def _escape(value: str) -> str:
    # ffmpeg's ffmetadata rules: '=', ';', '#', '\' and a newline are escaped with '\'.
    for char in ("\\", "=", ";", "#", "\n"):
        value = value.replace(char, "\\" + char)
    return value


def ffmetadata(chapters: Sequence[Chapter], *, title: str | None = None) -> str:
    """The ffmetadata file (`;FFMETADATA1`) with a `[CHAPTER]` per chapter, in milliseconds."""
    lines = [";FFMETADATA1"]
    if title:
        lines.append(f"title={_escape(title)}")
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            f"TIMEBASE=1/{_TIMEBASE}",
            f"START={round(chapter.start * _TIMEBASE)}",
            f"END={round(chapter.end * _TIMEBASE)}",
            f"title={_escape(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def chapters_vtt(chapters: Sequence[Chapter], *, language: str = "english") -> str:
    """A WebVTT chapters track: one cue per chapter, its text the title."""
    return to_vtt([Cue(c.start, c.end, c.title) for c in chapters], language=language)


def _stamp(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def youtube_chapters(chapters: Sequence[Chapter]) -> str:
    """`0:00 Title` lines by YouTube's rules, or "" when the video cannot have three chapters.

    Times are whole seconds (floored, as YouTube reads them). A slide shorter than ten seconds
    is folded into the chapter before it (its title is not listed); a short first slide takes
    the next ones into its own chapter until it lasts ten seconds. Fewer than three chapters
    of ten seconds is "" (YouTube would ignore the list anyway).
    """
    if not chapters:
        return ""
    end = math.floor(chapters[-1].end)
    starts = [0, *(math.floor(c.start) for c in chapters[1:])]
    groups: list[tuple[int, str]] = []  # (start second, title)
    for n, chapter in enumerate(chapters):
        start = starts[n]
        own = (starts[n + 1] if n + 1 < len(chapters) else end) - start
        if groups and (start - groups[-1][0] < YOUTUBE_MIN_SECONDS or own < YOUTUBE_MIN_SECONDS):
            continue  # the chapter before is still short, or this slide is: they go together
        groups.append((start, chapter.title))
    if len(groups) < YOUTUBE_MIN_CHAPTERS or end - groups[-1][0] < YOUTUBE_MIN_SECONDS:
        return ""
    return "".join(f"{_stamp(start)} {title}\n" for start, title in groups)
