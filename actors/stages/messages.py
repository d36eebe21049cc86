"""What the stage actors pass each other: each message is one whole, immutable artifact.

GenerationRequest → writer → Drafted → scripts → Scripted ─┬─ speech → Spoken ─┐
                                                           └─ slides → Drawn  ─┴─ compose
                                                                      → Composed
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import Content, Script, SlideQuality
    from videogen.media.timeline import SpokenSlide

__all__ = ["Composed", "Drafted", "Drawn", "Scripted", "Spoken"]


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


@dataclass(frozen=True, slots=True)
class Drawn:
    """slides → compose: every slide's frames (several when bullets are revealed), in order.

    Drawn from the content alone: how long each frame shows is decided by compose from `Spoken`.
    `quality[i]` is slide i's quality report, which compose puts into the content.
    """

    frames: tuple[tuple[Path, ...], ...]
    quality: tuple[SlideQuality, ...]


@dataclass(frozen=True, slots=True)
class Composed:
    """compose → supervisor: the finished, verified video and its sidecar files."""

    content: Content
    script: Script
    video: Path
    subtitles_vtt: str | None
    """None when the request asked for no subtitles."""
