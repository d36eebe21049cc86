"""Where every slide, bullet and sentence sits on the video's timeline.

Speech measures each slide's narration; this module turns those measurements into the final
`Script` (the contract's re-timed `script_data`), the subtitle cues, and the list of
(image, seconds) entries the encoder shows. Pure functions of their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media.writer import split_sentences

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from videogen.media.models import Script, SlideScript

__all__ = [
    "PAUSE_SECONDS",
    "Cue",
    "SpokenSlide",
    "cues_for",
    "frame_entries",
    "timed_script",
]

# Silence after each slide's narration: a natural breath before the slide changes.
PAUSE_SECONDS: Final = 0.6
# Below this a reveal step or a cue would flash by unreadably.
MIN_STEP_SECONDS: Final = 0.4


@dataclass(frozen=True, slots=True)
class SpokenSlide:
    """One slide's measured narration: `speech` seconds of speech, then `pause` of silence."""

    slide_number: int
    narration: str
    wav: Path
    speech: float
    pause: float = PAUSE_SECONDS

    @property
    def seconds(self) -> float:
        """The slide's whole slot on the timeline."""
        return self.speech + self.pause


@dataclass(frozen=True, slots=True)
class Cue:
    """One subtitle cue: a sentence and when it is spoken, in seconds from the video start."""

    start: float
    end: float
    text: str


def timed_script(script: Script, spoken: Sequence[SpokenSlide]) -> Script:
    """The script re-timed from the real audio: each slide starts where the previous one ended.

    Raises `ValueError` when `spoken` does not cover every slide of `script` in order.
    """
    numbers = [s.slide_number for s in script.slide_scripts]
    if numbers != [s.slide_number for s in spoken]:
        raise ValueError("the spoken slides do not match the script's slides")
    entries: list[SlideScript] = []
    start = 0.0
    for entry, audio in zip(script.slide_scripts, spoken, strict=True):
        end = start + audio.seconds
        entries.append(entry.model_copy(update={"start_time": start, "end_time": end}))
        start = end
    return script.model_copy(update={"slide_scripts": tuple(entries), "total_duration": start})


def _slide_cues(audio: SpokenSlide, start: float) -> list[Cue]:
    sentences = [s for s in split_sentences(audio.narration) if s.strip()]
    if not sentences:
        return []
    # Spoken length is close to proportional to characters within one language and voice.
    weights = [max(len(s), 1) for s in sentences]
    total = sum(weights)
    cues: list[Cue] = []
    at = start
    for sentence, weight in zip(sentences, weights, strict=True):
        end = at + audio.speech * weight / total
        cues.append(Cue(at, end, sentence.strip()))
        at = end
    return cues


def cues_for(spoken: Sequence[SpokenSlide]) -> list[Cue]:
    """A cue per sentence, timed within each slide's measured speech."""
    cues: list[Cue] = []
    start = 0.0
    for audio in spoken:
        cues.extend(_slide_cues(audio, start))
        start += audio.seconds
    return cues


def _reveal_offsets(audio: SpokenSlide, frames: int) -> list[float]:
    """Seconds into the slide at which frame j appears: bullet j shows as its sentence starts."""
    if frames <= 1:
        return [0.0]
    starts = [c.start for c in _slide_cues(audio, 0.0)] or [0.0]
    offsets = [0.0]
    for j in range(1, frames):
        if len(starts) >= frames:
            offsets.append(starts[round(j * len(starts) / frames)])
        else:
            offsets.append(audio.speech * j / frames)
    # Keep steps readable and strictly increasing, never past the slide's end.
    for j in range(1, frames):
        offsets[j] = min(max(offsets[j], offsets[j - 1] + MIN_STEP_SECONDS), audio.seconds)
    return offsets


def frame_entries(
    frames: Sequence[Sequence[Path]], spoken: Sequence[SpokenSlide]
) -> list[tuple[Path, float]]:
    """(image, seconds shown) for every frame of every slide, summing to the total duration.

    `frames[i]` are slide i's reveal frames in order. Raises `ValueError` on a length mismatch.
    """
    if len(frames) != len(spoken):
        raise ValueError("every spoken slide needs its frames")
    entries: list[tuple[Path, float]] = []
    for images, audio in zip(frames, spoken, strict=True):
        offsets = _reveal_offsets(audio, len(images))
        bounds = [*offsets, audio.seconds]
        for j, image in enumerate(images):
            seconds = bounds[j + 1] - bounds[j]
            if seconds > 0:
                entries.append((image, seconds))
    return entries
