"""Editing a deck before (or after) it is rendered: one slide changed, inserted, moved or removed.

Plain and synchronous, like the rest of `media`: every function takes a `Content` and its
`Script` and gives back new ones (both models are frozen), slides numbered 1..n again, the
script re-timed by the same estimate the offline writer uses (`estimated_script`: speech
measures the real timings when the deck is rendered). What a slide's layout draws is derived
from its words again when they change (`choose_layout`'s data for that layout); a layout whose
data the words do not give is drawn as bullets by the renderer, as for any slide.

Raises `EditRejected` (naming the field, as a 422 names it) for an edit that breaks a limit,
and `SlideOutOfRange` for a slide number the deck does not have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Final

from pydantic import BaseModel, ConfigDict, StringConstraints

from videogen.media.models import (
    MAX_NARRATION_CHARS,
    MAX_SLIDES,
    MAX_VIDEO_SECONDS,
    Content,
    Layout,
    Script,
    Slide,
)
from videogen.media.writer.layouts import choose_layout
from videogen.media.writer.offline import estimated_script
from videogen.media.writer.sentences import bullets_from_text, narration_from_text
from videogen.media.writer.timing import estimate_seconds, slide_seconds

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import GenerationRequest, Visual

__all__ = [
    "EditRejected",
    "LastSlide",
    "NewSlide",
    "SlideEdit",
    "SlideOutOfRange",
    "apply_edits",
    "delete_slide",
    "edit_slide",
    "insert_slide",
    "move_slide",
    "revise",
]

# The same bounds as a user's own slides (`UserSlide`).
MAX_TITLE_CHARS: Final = 300
MAX_TEXT_CHARS: Final = 4000

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TITLE_CHARS)
]
Body = Annotated[str, StringConstraints(strip_whitespace=True, max_length=MAX_TEXT_CHARS)]

# Layouts whose picture is data read from the slide's words (`media.writer.layouts`).
_DERIVED: Final = frozenset({"process", "timeline", "chart", "big_number", "comparison"})
# Visual kinds that are such data (icons, emoji and pictures are kept through an edit).
_DATA_KINDS: Final = frozenset({"chart", "diagram"})


class SlideEdit(BaseModel):
    """What may change on one slide; fields left out stay as they are."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Title | None = None
    content_text: Body | None = None
    narration: Body | None = None
    layout: Layout | None = None


class NewSlide(BaseModel):
    """A slide to insert; narration defaults to the body text, then the title."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Title
    content_text: Body = ""
    narration: Body = ""
    layout: Layout | None = None


Loc = tuple[str | int, ...]
"""Where in a request a value is, as a 422's `loc` names it: `("body", "narration")`."""


class EditRejected(ValueError):
    """An edit breaks a limit; `field` is where (`("body", "narration")`), as a 422 names it."""

    def __init__(self, field: Loc, message: str, kind: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.kind = kind


class LastSlide(ValueError):
    """Removing the only slide: a deck keeps at least one."""


class SlideOutOfRange(LookupError):
    """The deck has no slide with that number."""

    def __init__(self, number: int, total: int) -> None:
        super().__init__(f"Slide {number} not found: the deck has slides 1 to {total}")
        self.number = number
        self.total = total


def _visuals(slide: Slide, layout: str, narration: str, language: str) -> tuple[Visual, ...]:
    """The slide's visuals for `layout`: the data ones read again from its words, the rest kept."""
    kept = tuple(v for v in slide.visuals if v.kind not in _DATA_KINDS)
    if layout not in _DERIVED:
        return kept if layout != slide.layout else slide.visuals
    chosen, visuals = choose_layout(slide.title, slide.bullets, narration, language)
    return (visuals if chosen == layout else ()) + kept


def _changed(
    slide: Slide, narration: str, edit: SlideEdit, request: GenerationRequest
) -> tuple[Slide, str]:
    title = edit.title if edit.title is not None else slide.title
    text = edit.content_text if edit.content_text is not None else slide.content_text
    bullets = bullets_from_text(text) if edit.content_text is not None else slide.bullets
    spoken = edit.narration if edit.narration is not None else narration
    if not spoken:  # an emptied narration: the slide says its body, else its title
        spoken = narration_from_text(text, request.language) or title
    layout = edit.layout or slide.layout
    words = slide.model_copy(update={"title": title, "content_text": text, "bullets": bullets})
    visuals = slide.visuals
    if edit.layout is not None or edit.content_text is not None or edit.narration is not None:
        visuals = _visuals(words, layout, spoken, request.language)
    new = words.model_copy(
        update={
            "layout": layout,
            "visuals": visuals,
            "duration": slide_seconds(spoken, request),
            "needs_animation": len(bullets) >= 2,
        }
    )
    return new, spoken


def _checked(
    slides: Sequence[Slide],
    narrations: Sequence[str],
    request: GenerationRequest,
    at: Loc,
    count_at: Loc | None = None,
) -> None:
    """Refuse a deck over the request limits: slides (an error at `count_at`, else `at`),
    narration characters and video seconds (at `at` + "narration")."""
    if not slides:
        raise EditRejected(count_at or at, "a deck needs at least one slide", "too_short")
    if len(slides) > MAX_SLIDES:
        raise EditRejected(count_at or at, f"a deck has at most {MAX_SLIDES} slides", "too_long")
    chars = sum(len(n) for n in narrations)
    if chars > MAX_NARRATION_CHARS:
        raise EditRejected(
            (*at, "narration"),
            f"the deck's narration would be {chars} characters; at most {MAX_NARRATION_CHARS}",
            "narration_too_long",
        )
    seconds = sum(
        estimate_seconds(n, rate_wpm=request.rate, language=request.language) for n in narrations
    )
    if seconds > MAX_VIDEO_SECONDS:
        raise EditRejected(
            (*at, "narration"),
            f"the deck's narration would last about {round(seconds)} s; at most"
            f" {MAX_VIDEO_SECONDS} s of video",
            "video_too_long",
        )


def _rebuilt(
    content: Content, slides: Sequence[Slide], narrations: Sequence[str], request: GenerationRequest
) -> tuple[Content, Script]:
    numbered = tuple(s.model_copy(update={"slide_number": i}) for i, s in enumerate(slides, 1))
    new = content.model_copy(update={"slides": numbered, "total_slides": len(numbered)})
    script = estimated_script(request, list(enumerate(narrations, 1)))
    return new, script.model_copy(update={"topic": content.topic})


def _narrations(content: Content, script: Script) -> list[str]:
    by_number = {s.slide_number: s.narration_text for s in script.slide_scripts}
    return [by_number.get(s.slide_number, s.title) for s in content.slides]


def _index(content: Content, number: int) -> int:
    if not 1 <= number <= len(content.slides):
        raise SlideOutOfRange(number, len(content.slides))
    return number - 1


def apply_edits(
    content: Content,
    script: Script,
    edits: Sequence[tuple[int, SlideEdit]],
    request: GenerationRequest,
    *,
    at: Loc = ("body",),
) -> tuple[Content, Script]:
    """`content` and `script` with each (slide number, edit) applied, in order.

    Raises `SlideOutOfRange` or `EditRejected` (located under `at`).
    """
    slides = list(content.slides)
    narrations = _narrations(content, script)
    for number, edit in edits:
        i = _index(content, number)
        slides[i], narrations[i] = _changed(slides[i], narrations[i], edit, request)
    _checked(slides, narrations, request, at)
    return _rebuilt(content, slides, narrations, request)


def revise(
    content: Content,
    script: Script,
    edits: Sequence[tuple[int, SlideEdit]],
    request: GenerationRequest,
) -> tuple[Content, Script]:
    """A finished deck with a revision's edits applied: a slide number the deck lacks is the
    body's error (`edits.N.slide_number`), as is a deck over the limits (`edits.narration`)."""
    total = len(content.slides)
    for index, (number, _) in enumerate(edits):
        if not 1 <= number <= total:
            raise EditRejected(
                ("body", "edits", index, "slide_number"),
                f"slide {number} not found: the deck has slides 1 to {total}",
                "out_of_range",
            )
    return apply_edits(content, script, edits, request, at=("body", "edits"))


def edit_slide(
    content: Content, script: Script, number: int, edit: SlideEdit, request: GenerationRequest
) -> tuple[Content, Script]:
    """Slide `number` changed by `edit`. Raises `SlideOutOfRange` or `EditRejected`."""
    return apply_edits(content, script, [(number, edit)], request)


def insert_slide(
    content: Content, script: Script, slide: NewSlide, position: int, request: GenerationRequest
) -> tuple[Content, Script]:
    """`slide` inserted to become slide `position` (1..n+1; the ones after move down).

    Raises `EditRejected` (a position outside 1..n+1 is `position`'s, a full deck `slide`'s).
    """
    total = len(content.slides)
    if not 1 <= position <= total + 1:
        raise EditRejected(
            ("body", "position"), f"position must be between 1 and {total + 1}", "out_of_range"
        )
    blank = Slide(slide_number=position, title=slide.title, content_text="", duration=0.0)
    edit = SlideEdit(
        content_text=slide.content_text, narration=slide.narration, layout=slide.layout
    )
    new, spoken = _changed(blank, "", edit, request)
    slides = list(content.slides)
    narrations = _narrations(content, script)
    slides.insert(position - 1, new)
    narrations.insert(position - 1, spoken)
    _checked(slides, narrations, request, ("body", "slide"))
    return _rebuilt(content, slides, narrations, request)


def delete_slide(
    content: Content, script: Script, number: int, request: GenerationRequest
) -> tuple[Content, Script]:
    """Slide `number` removed. Raises `SlideOutOfRange`, or `LastSlide` for the only one."""
    i = _index(content, number)
    if len(content.slides) == 1:
        raise LastSlide(f"slide {number} is the deck's only slide")
    slides = list(content.slides)
    narrations = _narrations(content, script)
    del slides[i], narrations[i]
    _checked(slides, narrations, request, ("body",))
    return _rebuilt(content, slides, narrations, request)


def move_slide(
    content: Content, script: Script, number: int, position: int, request: GenerationRequest
) -> tuple[Content, Script]:
    """Slide `number` (with its narration) moved to become slide `position` (1..n; the ones
    between shift by one). Raises `SlideOutOfRange`, or `EditRejected` at `position`.
    """
    i = _index(content, number)
    total = len(content.slides)
    if not 1 <= position <= total:
        raise EditRejected(
            ("body", "position"), f"position must be between 1 and {total}", "out_of_range"
        )
    slides = list(content.slides)
    narrations = _narrations(content, script)
    slides.insert(position - 1, slides.pop(i))
    narrations.insert(position - 1, narrations.pop(i))
    return _rebuilt(content, slides, narrations, request)
