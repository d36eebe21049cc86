"""The data that flows through a generation, in the reference's shapes.

`Content` and `Script` serialise to the contract's `content_data` and `script_data` exactly (extra
keys such as `bullets` are allowed by the contract). `GenerationRequest` is the validated request
that both the HTTP layer and the CLI build; it is the only place request limits are written
(`REQUEST_LIMITS` is how `/api/options` and `videogen generate --help` show them).
Everything here is immutable (`frozen=True`): stages hand these objects to each other.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, Self, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from videogen.media.brand import BUILTIN_THEMES, ThemeSpec
from videogen.media.languages import LANGUAGES
from videogen.media.request_inputs import (
    MAX_SOURCE_CHARS,
    MAX_URL_CHARS,
    MUSIC_VOLUME,
    MusicSpec,
    SourceSpec,
    TextSource,
    UploadSource,
    UrlSource,
)
from videogen.media.visuals import (
    MAX_SLIDE_VISUALS,
    QualityIssue,
    SlideQuality,
    SourceId,
    Visual,
    VisualBar,
    VisualColumn,
    VisualData,
    VisualEvent,
    VisualKind,
    drawable_visual,
)

__all__ = [
    "ASPECT_RATIOS",
    "DEFAULT_SLIDES",
    "KNOWLEDGE_MODES",
    "LAYOUTS",
    "MAX_NARRATION_CHARS",
    "MAX_SLIDES",
    "MAX_SOURCES",
    "MAX_SOURCE_CHARS",
    "MAX_SPEECH_RATE",
    "MAX_TOPIC_CHARS",
    "MAX_URL_CHARS",
    "MAX_VIDEO_SECONDS",
    "MIN_SLIDES",
    "MIN_SPEECH_RATE",
    "MUSIC_VOLUME",
    "REQUEST_LIMITS",
    "RESOLUTIONS",
    "SUBTITLE_MODES",
    "THEMES",
    "THEME_FILE_CONTEXT",
    "TONES",
    "TONE_RATES",
    "AspectRatio",
    "Content",
    "Faithfulness",
    "GenerationRequest",
    "Knowledge",
    "Layout",
    "MusicSpec",
    "QualityIssue",
    "Resolution",
    "Script",
    "Slide",
    "SlideQuality",
    "SlideScript",
    "SourceInfo",
    "SourceSpec",
    "SubtitleMode",
    "TextSource",
    "Tone",
    "Unsupported",
    "UploadSource",
    "UrlSource",
    "UserSlide",
    "Visual",
    "VisualBar",
    "VisualColumn",
    "VisualData",
    "VisualEvent",
    "VisualKind",
    "frame_size",
]

MAX_TOPIC_CHARS: Final = 500
MIN_SLIDES: Final = 1
MAX_SLIDES: Final = 30
DEFAULT_SLIDES: Final = 5
MIN_SPEECH_RATE: Final = 80
MAX_SPEECH_RATE: Final = 400
# One small request must not be a huge job: a 4 KB body of user slides at 80 words per minute
# made 7 minutes of video, thirty of them would be hours. Narration over all slides is capped
# (about ten minutes at a brisk 200 words per minute, and a bound for scripts counted per
# character), and so is the video's length, estimated from the words at the request's rate.
# Notes (`source_text`) and generated decks are condensed to a few seconds a slide, far below.
MAX_NARRATION_CHARS: Final = 15_000
MAX_VIDEO_SECONDS: Final = 600
# A request names at most this many sources of its own (`sources`).
MAX_SOURCES: Final = 10

Tone = Literal["formal", "casual", "enthusiastic", "storytelling"]
TONES: Final[tuple[str, ...]] = get_args(Tone)

AspectRatio = Literal["16:9", "9:16", "1:1"]
ASPECT_RATIOS: Final[dict[str, tuple[int, int]]] = {
    "16:9": (1280, 720),
    "9:16": (720, 1280),
    "1:1": (1080, 1080),
}

# The frame's short side at each resolution; the aspect ratio gives the long side. 1:1 stays
# 1080² at 720p (what it has always been: a square 720² would be a downgrade) and is the short
# side squared above it.
Resolution = Literal["720p", "1080p", "2160p"]
RESOLUTIONS: Final[tuple[str, ...]] = get_args(Resolution)
_SHORT_SIDE: Final[dict[str, int]] = {"720p": 720, "1080p": 1080, "2160p": 2160}


def frame_size(aspect_ratio: str, resolution: str = "720p") -> tuple[int, int]:
    """Frame size in pixels for an aspect ratio at a resolution (both as the request names them).

    Raises:
        KeyError: an unknown aspect ratio or resolution.
    """
    width, height = ASPECT_RATIOS[aspect_ratio]
    short = max(_SHORT_SIDE[resolution], min(width, height))
    scale = short / min(width, height)
    return round(width * scale), round(height * scale)


# The built-in brand kits, one per file in media/data/themes/ (`media.brand`).
THEMES: Final[tuple[str, ...]] = tuple(BUILTIN_THEMES)
# Validation context key: set (by the CLI) when `theme_spec` comes from a local theme file.
THEME_FILE_CONTEXT: Final = "theme_file"

SubtitleMode = Literal["sidecar", "burned", "none"]
SUBTITLE_MODES: Final[tuple[str, ...]] = get_args(SubtitleMode)

# Every limit a request is held to, as `/api/options` shows them (`limits`).
REQUEST_LIMITS: Final[dict[str, Any]] = {
    "topic_chars": MAX_TOPIC_CHARS,
    "num_slides": {"min": MIN_SLIDES, "max": MAX_SLIDES, "default": DEFAULT_SLIDES},
    "speech_rate": {"min": MIN_SPEECH_RATE, "max": MAX_SPEECH_RATE},
    "source_text_chars": MAX_SOURCE_CHARS,
    "sources": MAX_SOURCES,
    "url_chars": MAX_URL_CHARS,
    # The user's slides, all together: narration characters, and the video's length
    # estimated from the narration's words at the request's speech rate.
    "narration_chars": MAX_NARRATION_CHARS,
    "video_seconds": MAX_VIDEO_SECONDS,
    "music_volume": {"min": 0.0, "max": 1.0, "default": MUSIC_VOLUME},
}

# Words per minute for each tone; `speech_rate` in the request overrides it.
TONE_RATES: Final[dict[str, int]] = {
    "formal": 165,
    "casual": 180,
    "enthusiastic": 195,
    "storytelling": 150,
}

_Frozen = ConfigDict(frozen=True, extra="ignore")


Layout = Literal[
    "title",
    "bullets",
    "big_number",
    "comparison",
    "process",
    "timeline",
    "chart",
    "quote",
    "image",
    "code",
    "summary",
    "sources",
]
LAYOUTS: Final[tuple[str, ...]] = get_args(Layout)

Knowledge = Literal["auto", "none"]
KNOWLEDGE_MODES: Final[tuple[str, ...]] = get_args(Knowledge)


class Slide(BaseModel):
    """One slide of `content_data`. Our extensions: `bullets` (the body split into points),
    `layout`, `visuals` (what the layout draws besides text), `sources` (the ids, in
    `Content.sources`, of what the slide drew on) and `quality` (the drawn slide's report; None
    until the slides are drawn)."""

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
    layout: Layout = "bullets"
    visuals: tuple[Visual, ...] = ()
    sources: tuple[str, ...] = ()
    quality: SlideQuality | None = None


class SourceInfo(BaseModel):
    """One source a deck drew on (`content.sources`): origin is a URL or a document's name."""

    model_config = _Frozen

    id: str
    title: str
    origin: str
    license: str


class Unsupported(BaseModel):
    """A bullet or narration sentence the faithfulness check found in no source passage."""

    model_config = _Frozen

    slide_number: int
    text: str


class Faithfulness(BaseModel):
    """How much of a grounded deck its sources support: each bullet and narration sentence of
    the content slides, matched against the source passages."""

    model_config = _Frozen

    supported: int
    unsupported: int
    sentences: int
    flagged: tuple[Unsupported, ...] = ()


class Content(BaseModel):
    """`content_data`: what the slides say; `grounded`, `sources` and `faithfulness` say what
    it rests on (`grounded` false: no source was found, the deck is a structured outline)."""

    model_config = _Frozen

    topic: str
    total_slides: int
    slides: tuple[Slide, ...]
    grounded: bool = False
    sources: tuple[SourceInfo, ...] = ()
    faithfulness: Faithfulness | None = None


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
    """A slide the user wrote; used as given (narration defaults to the body text). `layout`
    and `visuals`, when given, are drawn as given (a reviewed slide keeps what was planned);
    None lets the writer choose (bullets, a pictogram). `sources`: ids the slide cites."""

    model_config = _Frozen

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
    content_text: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    narration: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] = ""
    layout: Layout | None = None
    visuals: tuple[Visual, ...] | None = Field(default=None, max_length=MAX_SLIDE_VISUALS)
    sources: tuple[SourceId, ...] = Field(default=(), max_length=MAX_SOURCES)
    image_keyword: str | None = Field(default=None, max_length=300)  # None: the title

    @field_validator("visuals")
    @classmethod
    def _drawable(cls, value: tuple[Visual, ...] | None) -> tuple[Visual, ...] | None:
        for index, visual in enumerate(value or ()):
            try:
                drawable_visual(visual)
            except ValueError as exc:
                raise ValueError(f"visual {index + 1}: {exc}") from None
        return value

    @field_validator("layout", mode="before")
    @classmethod
    def _known_layout(cls, value: object) -> object:
        if value is not None and value not in LAYOUTS:
            raise ValueError(f"unknown layout {value!r}; allowed: {', '.join(LAYOUTS)}")
        return value


def _fail(field: str, kind: str, template: str, **context: int) -> None:
    """Raise a validation error located at `field` (a model-level check names its field too)."""
    error = PydanticCustomError(kind, template, dict(context))
    details = InitErrorDetails(type=error, loc=(field,), input=context)
    raise ValidationError.from_exception_data("GenerationRequest", [details])


class GenerationRequest(BaseModel):
    """A validated request for one video; the contract's body of `POST /api/generate`."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    topic: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TOPIC_CHARS)
    ]
    num_slides: int = Field(default=DEFAULT_SLIDES, ge=MIN_SLIDES, le=MAX_SLIDES, strict=True)
    language: str = "english"
    tone: Tone = "formal"
    slides: tuple[UserSlide, ...] | None = Field(default=None, min_length=1, max_length=MAX_SLIDES)
    source_text: str | None = Field(default=None, max_length=MAX_SOURCE_CHARS)
    aspect_ratio: AspectRatio = "16:9"
    voice: str | None = Field(default=None, max_length=100)
    speech_rate: int | None = Field(
        default=None, ge=MIN_SPEECH_RATE, le=MAX_SPEECH_RATE, strict=True
    )
    resolution: Resolution = "720p"
    theme: str = "classic"
    # The user's own brand kit (the shape of a theme file, without a logo); it wins over `theme`.
    theme_spec: ThemeSpec | None = None
    subtitles: SubtitleMode = "sidecar"
    sources: tuple[SourceSpec, ...] = Field(default=(), max_length=MAX_SOURCES)
    knowledge: Knowledge = "auto"
    # False: stop after the content and the narration (`awaiting_review`) for edits, then
    # `POST /api/generations/{id}/render`.
    render: bool = Field(
        default=True,
        strict=True,
        description="false: stop at awaiting_review (content and narration) for edits",
    )
    music: MusicSpec | None = None

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

    @field_validator("theme_spec")
    @classmethod
    def _no_client_logo(cls, value: ThemeSpec | None, info: ValidationInfo) -> ThemeSpec | None:
        """A logo is a path on this machine: only a theme file the CLI read may name one."""
        trusted = bool((info.context or {}).get(THEME_FILE_CONTEXT))
        if value is not None and value.logo is not None and not trusted:
            raise ValueError("a logo is taken only from a theme file (--theme-file)")
        return value

    @field_validator("voice")
    @classmethod
    def _known_voice(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from videogen.media.speech import check_voice  # espeak's voice table, loaded on first use

        check_voice(value)
        return value.strip()

    @model_validator(mode="after")
    def _bounded_job(self) -> Self:
        """The user's slides: at most MAX_NARRATION_CHARS of narration, MAX_VIDEO_SECONDS long."""
        if not self.slides:
            return self
        from videogen.media.writer import estimate_seconds  # media.writer imports this module

        spoken = [s.narration or s.content_text or s.title for s in self.slides]
        chars = sum(len(text) for text in spoken)
        if chars > MAX_NARRATION_CHARS:
            _fail(
                "slides",
                "narration_too_long",
                "the slides' narration is {chars} characters; at most {limit} per request",
                chars=chars,
                limit=MAX_NARRATION_CHARS,
            )
        seconds = sum(
            estimate_seconds(text, rate_wpm=self.rate, language=self.language) for text in spoken
        )
        if seconds > MAX_VIDEO_SECONDS:
            _fail(
                "slides",
                "video_too_long",
                "the slides' narration would last about {seconds} s at {rate} words per minute;"
                " at most {limit} s of video per request (shorten it, or raise speech_rate)",
                seconds=round(seconds),
                rate=self.rate,
                limit=MAX_VIDEO_SECONDS,
            )
        return self

    @property
    def size(self) -> tuple[int, int]:
        """Frame size in pixels for the aspect ratio at the resolution (`frame_size`)."""
        return frame_size(self.aspect_ratio, self.resolution)

    @property
    def style(self) -> ThemeSpec:
        """The brand kit to draw with: the request's own, else the named built-in one."""
        return self.theme_spec or BUILTIN_THEMES[self.theme]

    @property
    def rate(self) -> int:
        """Speech rate in words per minute: the request's own, else the tone's."""
        return self.speech_rate or TONE_RATES[self.tone]

    @property
    def slide_count(self) -> int:
        """How many slides the deck has: the user's own deck decides when given."""
        return len(self.slides) if self.slides else self.num_slides
