"""The offline writer itself: the deck from the best source a request has, numbered and timed."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final, Protocol

from videogen.media.knowledge.model import NO_GROUNDING
from videogen.media.models import Content, Script, Slide, SlideScript
from videogen.media.writer.credits import FRAMING_LAYOUTS, credited
from videogen.media.writer.drafts import Draft
from videogen.media.writer.grounded_deck import grounded_deck
from videogen.media.writer.notes import NotesParser
from videogen.media.writer.notes_deck import notes_deck
from videogen.media.writer.pictograms import with_pictograms
from videogen.media.writer.picture_credits import credit_visuals, picture_sources
from videogen.media.writer.pictures import place_pictures
from videogen.media.writer.sentences import bullets_from_text, narration_from_text
from videogen.media.writer.timing import slide_seconds
from videogen.media.writer.topic_deck import topic_deck

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.knowledge.model import Grounding
    from videogen.media.models import GenerationRequest

__all__ = ["ANIMATION_DESCRIPTION", "OfflineWriter", "Writer", "estimated_script", "plan_deck"]

ANIMATION_DESCRIPTION: Final = "Reveal the bullet points one by one as the narration reaches them"


class Writer(Protocol):
    """Writes what the slides say and what the narrator says."""

    name: str

    def write_content(
        self, request: GenerationRequest, grounding: Grounding = NO_GROUNDING
    ) -> Content: ...

    def write_script(
        self, request: GenerationRequest, content: Content, grounding: Grounding = NO_GROUNDING
    ) -> Script: ...


# --- source 1: the user's slides -----------------------------------------------------------------


def _user_deck(request: GenerationRequest) -> list[Draft]:
    """The user's slides as given; narration is theirs, else the body, else the title. A
    slide's own layout, visuals and sources are kept (a reviewed deck draws as planned)."""
    drafts: list[Draft] = []
    for slide in request.slides or ():
        spoken = slide.narration or narration_from_text(slide.content_text, request.language)
        drafts.append(
            Draft(
                slide.title,
                slide.content_text,
                spoken or slide.title,
                bullets_from_text(slide.content_text),
                slide.title if slide.image_keyword is None else slide.image_keyword,
                layout=slide.layout or "bullets",
                sources=slide.sources,
                visuals=slide.visuals or (),
            )
        )
    return drafts


def _pictograms(drafts: list[Draft], request: GenerationRequest) -> list[Draft]:
    """`with_pictograms` of the deck, but a user's slide that names its visuals keeps exactly
    those (a reviewed slide whose pictogram another slide took must not get it back)."""
    pictured = with_pictograms(drafts, request.language)
    if not request.slides:
        return pictured
    return [
        plain if slide.visuals is not None else auto
        for plain, auto, slide in zip(drafts, pictured, request.slides, strict=True)
    ]


# --- the writer ----------------------------------------------------------------------------------


def _notes_drafts(request: GenerationRequest, grounding: Grounding) -> list[Draft] | None:
    """The notes deck of `request.source_text`, None without notes. Notes are written as
    notes (their own headings and bullets, condensed), and when `grounding` is those notes
    (the runtime's `Knowledge` reads them as a document) each slide cites them."""
    if not (request.source_text and request.source_text.strip()) or request.sources:
        return None
    sections = NotesParser().parse(request.source_text)
    if not sections:
        return None
    drafts = notes_deck(request, sections)
    if not grounding.grounded:
        return drafts
    notes = (grounding.found[0].ref.id,)
    return [d if d.layout in FRAMING_LAYOUTS else replace(d, sources=notes) for d in drafts]


def _drafts(request: GenerationRequest, grounding: Grounding) -> list[Draft]:
    """The deck from the best source the request has."""
    if request.slides:
        return _user_deck(request)
    notes = _notes_drafts(request, grounding)
    if notes is not None:
        return notes
    if grounding.has_text:
        return grounded_deck(request, grounding)
    drafts = topic_deck(request)
    if not grounding.grounded:
        return drafts
    # Only pictures (uploaded images): the topic deck's text, the pictures on its slides.
    return place_pictures(drafts, [frozenset()] * len(drafts), grounding.found, cite=False)


def _numbered(number: int, draft: Draft, request: GenerationRequest) -> Slide:
    animated = len(draft.bullets) >= 2
    return Slide(
        slide_number=number,
        title=draft.title,
        content_text=draft.content_text,
        needs_image=False,
        image_keyword=draft.image_keyword,
        needs_animation=animated,
        animation_description=ANIMATION_DESCRIPTION if animated else "",
        duration=slide_seconds(draft.narration, request),
        bullets=draft.bullets,
        layout=draft.layout,
        visuals=draft.visuals,
        sources=draft.sources,
    )


def plan_deck(
    request: GenerationRequest, grounding: Grounding = NO_GROUNDING
) -> list[tuple[Slide, str]]:
    """Every slide of the deck, numbered from 1 and timed, with its narration.

    Content slides whose title has a confident pictogram get it as a visual
    (`media.writer.pictograms`), once the layouts and the sources' pictures are placed.
    Deterministic: the same request and grounding always give the same deck. The pictures'
    credits are added here, where every offline deck is finished (`credit_visuals`), so the
    content and the script planned from it agree. Raises ValueError when the request's
    language has no phrase table (cannot happen for a validated request).
    """
    drafts = _pictograms(_drafts(request, grounding), request)
    slides = credit_visuals(
        [_numbered(number, draft, request) for number, draft in enumerate(drafts, start=1)]
    )
    return [(slide, draft.narration) for slide, draft in zip(slides, drafts, strict=True)]


class OfflineWriter:
    """A `Writer` that needs no network and no model: see the module's docstring."""

    name: str = "offline"

    def write_content(
        self, request: GenerationRequest, grounding: Grounding = NO_GROUNDING
    ) -> Content:
        """The deck's `content_data`, written from `grounding` and crediting it when it found
        anything. Raises ValueError as `plan_deck` does."""
        slides = tuple(slide for slide, _ in plan_deck(request, grounding))
        content = Content(topic=request.topic, total_slides=len(slides), slides=slides)
        content = credited(content, grounding) if not request.slides else content
        sources = picture_sources(content.slides, content.sources)
        return (
            content
            if sources == content.sources
            else content.model_copy(update={"sources": sources})
        )

    def write_script(
        self, request: GenerationRequest, content: Content, grounding: Grounding = NO_GROUNDING
    ) -> Script:
        """The narration of `content`, each slide placed after the one before.

        A slide that `plan_deck` wrote for this request gets the narration planned with it; any
        other slide (edited content) is narrated from its body, else its title. Times are
        estimates from `estimate_seconds`, to 0.1 s. Raises ValueError as `plan_deck` does.
        """
        planned = {
            slide.slide_number: (slide, spoken) for slide, spoken in plan_deck(request, grounding)
        }
        narrations = [
            (
                slide.slide_number,
                _narration_of(slide, planned.get(slide.slide_number), request.language),
            )
            for slide in content.slides
        ]
        return estimated_script(request, narrations)


def estimated_script(request: GenerationRequest, narrations: Sequence[tuple[int, str]]) -> Script:
    """A script from (slide number, narration) pairs, timed by `estimate_seconds` to 0.1 s.

    Speech replaces these estimates with measured durations later (`media.timeline`).
    """
    scripts: list[SlideScript] = []
    clock = 0.0
    for number, narration in narrations:
        end = round(clock + slide_seconds(narration, request), 1)
        scripts.append(
            SlideScript(
                slide_number=number, start_time=clock, end_time=end, narration_text=narration
            )
        )
        clock = end
    return Script(
        topic=request.topic,
        total_duration=clock,
        language=request.language,
        slide_scripts=tuple(scripts),
    )


def _narration_of(slide: Slide, planned: tuple[Slide, str] | None, language: str) -> str:
    """The planned narration when `slide` is the planned slide, else one made from the slide."""
    if planned is not None and planned[0] == slide:
        return planned[1]
    return narration_from_text(slide.content_text, language) or slide.title
