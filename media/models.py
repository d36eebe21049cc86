"""The data that flows through a generation, in the reference's shapes.

`Content` and `Script` serialise to the contract's `content_data` and `script_data` exactly (extra
keys such as `bullets` are allowed by the contract). `GenerationRequest` is the validated request
that both the HTTP layer and the CLI build; it is the only place request limits are written.
Everything here is immutable (`frozen=True`): stages hand these objects to each other.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from media.languages import LANGUAGES

__all__ = [
    "ASPECT_RATIOS",
    "MAX_SLIDES",
    "MAX_TOPIC_CHARS",
    "THEMES",
    "TONES",
    "TONE_RATES",
    "AspectRatio",
    "Content",
    "GenerationRequest",
    "Script",
    "Slide",
    "SlideScript",
    "SubtitleMode",
    "Tone",
    "UserSlide",
]

MAX_TOPIC_CHARS: Final = 500
MAX_SLIDES: Final = 30
MAX_SOURCE_CHARS: Final = 50_000

Tone = Literal["formal", "casual", "enthusiastic", "storytelling"]
TONES: Final[tuple[str, ...]] = ("formal", "casual", "enthusiastic", "storytelling")

AspectRatio = Literal["16:9", "9:16", "1:1"]
ASPECT_RATIOS: Final[dict[str, tuple[int, int]]] = {
    "16:9": (1280, 720),
    "9:16": (720, 1280),
    "1:1": (1080, 1080),
}

THEMES: Final[tuple[str, ...]] = ("classic", "midnight", "ocean", "sunset")

SubtitleMode = Literal["sidecar", "burned", "none"]

# Words per minute for each tone; `speech_rate` in the request overrides it.
TONE_RATES: Final[dict[str, int]] = {
    "formal": 165,
    "casual": 180,
    "enthusiastic": 195,
    "storytelling": 150,
}

_Frozen = ConfigDict(frozen=True, extra="ignore")


class Slide(BaseModel):
    """One slide of `content_data`; `bullets` is our extension (the body split into points)."""

    model_config = _Frozen

    slide_number: int
    title: str
    content_text: str
    needs_image: bool = False
    image_keyword: str = ""
    needs_animation: bool = False
    animation_description: str = ""
    duration: float
    bullets: tuple[str, ...] = ()


class Content(BaseModel):
    """`content_data`: what the slides say."""

    model_config = _Frozen

    topic: str
    total_slides: int
    slides: tuple[Slide, ...]


class SlideScript(BaseModel):
    """One slide's narration and its place on the timeline, in seconds."""

    model_config = _Frozen

    slide_number: int
    start_time: float
    end_time: float
    narration_text: str


class Script(BaseModel):
    """`script_data`: the narration; timings are estimates until speech measures them."""

    model_config = _Frozen

    topic: str
    total_duration: float
    language: str
    slide_scripts: tuple[SlideScript, ...]


Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class UserSlide(BaseModel):
    """A slide the user wrote; used as given (narration defaults to the body text)."""

    model_config = _Frozen

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    content_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    narration: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""


class GenerationRequest(BaseModel):
    """A validated request for one video; the contract's body of `POST /api/generate`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    topic: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TOPIC_CHARS)
    ]
    num_slides: int = Field(default=5, ge=1, le=MAX_SLIDES, strict=True)
    language: str = "english"
    tone: Tone = "formal"
    slides: tuple[UserSlide, ...] | None = Field(default=None, min_length=1, max_length=MAX_SLIDES)
    source_text: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    aspect_ratio: AspectRatio = "16:9"
    voice: str | None = Field(default=None, max_length=100)
    speech_rate: int | None = Field(default=None, ge=80, le=400, strict=True)
    theme: str = "classic"
    subtitles: SubtitleMode = "sidecar"

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        name = value.strip().lower()
        if name not in LANGUAGES:
            allowed = ", ".join(LANGUAGES)
            raise ValueError(f"unknown language {value!r}; allowed: {allowed}")
        return name

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        name = value.strip().lower()
        if name not in THEMES:
            raise ValueError(f"unknown theme {value!r}; allowed: {', '.join(THEMES)}")
        return name

    @property
    def size(self) -> tuple[int, int]:
        """Frame size in pixels for the aspect ratio."""
        return ASPECT_RATIOS[self.aspect_ratio]

    @property
    def rate(self) -> int:
        """Speech rate in words per minute: the request's own, else the tone's."""
        return self.speech_rate or TONE_RATES[self.tone]

    @property
    def slide_count(self) -> int:
        """How many slides the deck has: the user's own deck decides when given."""
        return len(self.slides) if self.slides else self.num_slides
