"""WebVTT and SRT text from subtitle cues (see `media.timeline.cues_for`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.timeline import Cue

__all__ = ["to_srt", "to_vtt"]


def _clock(seconds: float, sep: str) -> str:
    millis = round(max(seconds, 0.0) * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def _cue_text(text: str) -> str:
    # A blank line ends a cue and "-->" starts a timing line: neither may appear in the text.
    lines = [line.strip() for line in text.replace("-->", "→").splitlines()]
    return "\n".join(line for line in lines if line)


def to_vtt(cues: Sequence[Cue], *, language: str = "") -> str:
    """A WebVTT document (https://www.w3.org/TR/webvtt1/) with one numbered cue per sentence."""
    header = "WEBVTT" + (f"\nLanguage: {language}" if language else "")
    blocks = [header]
    for n, cue in enumerate(cues, start=1):
        timing = f"{_clock(cue.start, '.')} --> {_clock(cue.end, '.')}"
        blocks.append(f"{n}\n{timing}\n{_cue_text(cue.text)}")
    return "\n\n".join(blocks) + "\n"


def to_srt(cues: Sequence[Cue]) -> str:
    """A SubRip document with one numbered cue per sentence."""
    blocks = []
    for n, cue in enumerate(cues, start=1):
        timing = f"{_clock(cue.start, ',')} --> {_clock(cue.end, ',')}"
        blocks.append(f"{n}\n{timing}\n{_cue_text(cue.text)}")
    return "\n\n".join(blocks) + "\n"
