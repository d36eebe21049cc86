"""What the stage actors pass each other: each message is one whole, immutable artifact.

GenerationRequest → writer → Drafted → scripts → Scripted ─┬─ speech → Spoken ─┐
                                                           └─ slides → Drawn  ─┴─ compose
                                                                      → Composed
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.actors.stages.tracks import Track
    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, Script, SlideQuality
    from videogen.media.timeline import SpokenSlide

__all__ = ["Composed", "Drafted", "Drawn", "Reuse", "Scripted", "Spoken"]


@dataclass(frozen=True, slots=True)
class Drafted:
    """writer → scripts: what the slides say, and what they rest on (for the narration)."""

    content: Content
    grounding: Grounding


@dataclass(frozen=True, slots=True)
class Scripted:
    """scripts → speech and slides: the narration, with estimated timings, and the slides."""

    content: Content
    script: Script


@dataclass(frozen=True, slots=True)
class Spoken:
    """speech → compose: the script re-timed from real audio, and the joined narration."""

    content: Content
    script: Script
    spoken: tuple[SpokenSlide, ...]
    narration: Path
    """The joined narration WAV: written only when compose encodes it whole (else absent,
    see `tracks.whole_track_needed`; compose joins per-slide tracks)."""
    reused: tuple[bool, ...] = ()
    """Per slide, whether its speech came from the artifact cache (empty: no cache)."""
    tracks: tuple[Track, ...] = ()
    """Per slide, its narration track looked up in the cache (empty: no cache)."""


@dataclass(frozen=True, slots=True)
class Drawn:
    """slides → compose: every slide's frames (several when bullets are revealed), in order.

    Drawn from the content alone: how long each frame shows is decided by compose from `Spoken`.
    `quality[i]` is slide i's quality report, which compose puts into the content.
    """

    frames: tuple[tuple[Path, ...], ...]
    quality: tuple[SlideQuality, ...]
    keys: tuple[str, ...] = ()
    """Per slide, its frames' cache key (`artifact_cache.frames_key`; empty: no cache)."""
    reused: tuple[bool, ...] = ()
    """Per slide, whether its frames came from the artifact cache."""


@dataclass(frozen=True, slots=True)
class Reuse:
    """How much of a render came from the artifact cache: per kind, and whole slides (a slide
    is reused when its speech, its frames and its segment all were)."""

    slides_total: int
    slides_reused: int = 0
    speech_reused: int = 0
    frames_reused: int = 0
    segments_reused: int = 0

    def to_json(self) -> dict[str, int]:
        return {
            "slides_reused": self.slides_reused,
            "slides_total": self.slides_total,
            "speech_reused": self.speech_reused,
            "frames_reused": self.frames_reused,
            "segments_reused": self.segments_reused,
        }


@dataclass(frozen=True, slots=True)
class Composed:
    """compose → supervisor: the finished, verified video and its sidecar files."""

    content: Content
    script: Script
    video: Path
    subtitles_vtt: str | None
    """None when the request asked for no subtitles."""
    reuse: Reuse | None = field(default=None)
    """What came from the artifact cache (None: rendered without one)."""
