"""What the LLM writer asks the model, the JSON shapes it asks for, and how answers become slides.

Pure: no I/O, no Trio. The model answers in small shapes (`DeckOut`, `NarrationOut`) that the
JSON schemas of `media.llm_schemas` describe; `build_content` and `build_script` turn them into
the contract's `content_data` and `script_data` (`media.models.Content` / `Script`), filling in
what the model is not asked for (numbers, durations, `needs_image=False`, animation).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Annotated, Final, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from videogen.media.knowledge.model import NO_GROUNDING, Grounding
from videogen.media.languages import LANGUAGES
from videogen.media.llm_layouts import (
    Chosen,
    LayoutOut,
    choose_model_layout,
    code_block,
    layout_prompt,
)
from videogen.media.llm_schemas import MAX_BULLETS as _MAX_BULLETS
from videogen.media.llm_schemas import OVERRUN as _OVERRUN
from videogen.media.llm_schemas import AnswerSchema, deck_schema, narration_schema
from videogen.media.models import Content, Script, Slide
from videogen.media.writer import (
    ANIMATION_DESCRIPTION,
    estimated_script,
    plan_deck,
    split_sentences,
)
from videogen.media.writer.credits import credited

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import GenerationRequest

__all__ = [
    "AnswerSchema",
    "DeckOut",
    "InvalidAnswer",
    "NarrationOut",
    "build_content",
    "build_script",
    "content_max_tokens",
    "content_messages",
    "deck_schema",
    "grounded_count",
    "narration_budget",
    "narration_max_tokens",
    "narration_messages",
    "narration_schema",
    "parse_answer",
    "slide_seconds",
    "sources_narration",
]

Message = dict[str, str]

# How long a slide's narration should last: a base plus a share per bullet, within bounds.
_TITLE_SECONDS: Final = 6.0
_BASE_SECONDS: Final = 4.0
_PER_BULLET_SECONDS: Final = 3.0
_MAX_SECONDS: Final = 15.0
_MAX_TITLE_CHARS: Final = 120
_MAX_BULLET_CHARS: Final = 160
# Notes beyond this many characters are left out of the prompt (a small context would overflow).
_MAX_SOURCE_CHARS: Final = 6000
# Tokens the model may spend: a margin plus a share per slide or per word of narration.
# (A slide's layout data, a chart's bars or a process's steps, takes a share of its own.)
_CONTENT_TOKENS: Final = (60, 230)
_NARRATION_TOKENS: Final = (40, 6)
# CJK narration is measured in characters, about 4 a second at 175 words per minute.
_CJK_CHARS_PER_WORD: Final = 240 / 175

_TONES: Final[dict[str, str]] = {
    "formal": "formal, clear and precise",
    "casual": "casual and friendly, like talking to a colleague",
    "enthusiastic": "enthusiastic and energetic",
    "storytelling": "narrative, like telling a story to the audience",
}

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class SlideOut(LayoutOut):
    """One slide as the model writes it: its words, and its layout with that layout's data."""

    model_config = ConfigDict(extra="ignore")

    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    # (Field: ruff does not see a subclass of LayoutOut as a pydantic model.)
    bullets: list[Text] = Field(default_factory=list)
    sources: list[Text] = Field(default_factory=list)
    """The ids of the sources the slide uses (a grounded deck's prompt asks for them)."""


class DeckOut(BaseModel):
    """The model's answer to `content_messages`."""

    model_config = ConfigDict(extra="ignore")

    slides: list[SlideOut]


class NarrationOut(BaseModel):
    """The model's answer to `narration_messages`."""

    model_config = ConfigDict(extra="ignore")

    narration: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class InvalidAnswer(ValueError):
    """The model's text is not JSON of the asked shape; the message says what is wrong."""


_Answer = TypeVar("_Answer", bound=BaseModel)
_FENCE: Final = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def parse_answer(text: str, shape: type[_Answer]) -> _Answer:
    """`text` (JSON, perhaps in a Markdown fence or with words around it) as `shape`.

    Raises `InvalidAnswer` with a one-line reason when it is not.
    """
    body = _FENCE.sub("", text.strip())
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        raise InvalidAnswer(f"no JSON object in {_excerpt(text)}")
    try:
        data = json.loads(body[start : end + 1])
    except json.JSONDecodeError as exc:
        raise InvalidAnswer(f"{exc.msg} at character {exc.pos} of {_excerpt(text)}") from None
    try:
        return shape.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the answer"
        raise InvalidAnswer(f"{where}: {first['msg']}") from None


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= 60 else flat[:57] + "...")


# --- prompts -------------------------------------------------------------------------------------


def _language(request: GenerationRequest) -> str:
    return request.language.capitalize()


def _system(request: GenerationRequest) -> Message:
    return {
        "role": "system",
        "content": (
            "You write narrated presentation videos. Write every title, bullet and sentence in "
            f"{_language(request)}. The tone is {_TONES[request.tone]}. "
            "Answer with one JSON object only, no other text."
        ),
    }


def _passages(grounding: Grounding, budget: int = _MAX_SOURCE_CHARS) -> str:
    """The sources as the prompt quotes them: `[s1] Title: text` blocks, within `budget`
    characters in all (the best sources first; each cut at a sentence end)."""
    blocks: list[str] = []
    left = budget
    for found in grounding.found:
        head = f"[{found.ref.id}] {found.ref.title}: "
        kept: list[str] = []
        size = len(head)
        for sentence in split_sentences(" ".join(found.document.text.split())):
            if size + len(sentence) + 1 > left:
                break
            kept.append(sentence)
            size += len(sentence) + 1
        if not kept:
            break
        blocks.append(head + " ".join(kept))
        left -= size
    return "\n".join(blocks)


def grounded_count(request: GenerationRequest, grounding: Grounding) -> int:
    """How many slides the model writes: a grounded deck's last slide is its Sources slide,
    which the writer adds itself (a one-slide deck is its title slide alone)."""
    count = request.num_slides
    return count - 1 if grounding.grounded and count > 1 else count


def content_messages(
    request: GenerationRequest, grounding: Grounding = NO_GROUNDING
) -> list[Message]:
    """The chat that asks for the deck's slides: topic, count, language, tone, the user's notes,
    and, for a grounded deck, the source passages it may draw on (and must cite)."""
    count = grounded_count(request, grounding)
    lines = [
        f"Write the slides of a {count}-slide presentation about: {request.topic}",
        f"Language: {_language(request)}. Tone: {request.tone}.",
        "Slide 1 is the title slide: its title is the topic, with one short subtitle bullet.",
        "Every other slide has a short title and 2 to 4 short bullet points "
        "(at most 10 words each). Do not repeat slides.",
    ]
    if count > 2 and not grounding.grounded:
        lines.append(f"Slide {count} sums up the key takeaways.")
    notes = (request.source_text or "").strip()
    if grounding.grounded:
        lines.append(
            "Use only facts stated in the sources below; add no fact of your own. Keep numbers, "
            "dates and names exactly as the sources give them. For each slide, list in "
            '"sources" the ids of the sources its bullets come from.\nSources:\n<<<\n'
            + _passages(grounding)
            + "\n>>>"
        )
    elif notes:
        lines.append("Base the slides on these notes:\n<<<\n" + notes[:_MAX_SOURCE_CHARS] + "\n>>>")
    lines.append(layout_prompt())
    cited = ', a "sources" list of source ids' if grounding.grounded else ""
    lines.append(
        f'Answer as a JSON object with a "slides" list of exactly {count} objects, each with a '
        f'"title" string, a "bullets" list of strings{cited} and a "layout" with its fields.'
    )
    return [_system(request), {"role": "user", "content": "\n".join(lines)}]


def content_max_tokens(request: GenerationRequest) -> int:
    """The most tokens the deck's answer may take."""
    margin, per_slide = _CONTENT_TOKENS
    return margin + per_slide * request.num_slides


def slide_seconds(slide: Slide) -> float:
    """How long the slide's narration should last: longer with more bullets, 6-15 s."""
    if slide.slide_number == 1 and len(slide.bullets) <= 1:
        return _TITLE_SECONDS
    seconds = _BASE_SECONDS + _PER_BULLET_SECONDS * len(slide.bullets)
    return min(_MAX_SECONDS, max(_TITLE_SECONDS, seconds))


def narration_budget(request: GenerationRequest, slide: Slide) -> int:
    """The words (characters, for unspaced scripts) the narration of `slide` should have:
    its duration at the request's speech rate."""
    words = slide.duration * request.rate / 60
    if not LANGUAGES[request.language].spaced:
        words *= _CJK_CHARS_PER_WORD
    return max(5, round(words))


def narration_max_tokens(budget: int) -> int:
    """The most tokens a narration of `budget` words may take."""
    margin, per_word = _NARRATION_TOKENS
    return margin + per_word * budget


def narration_messages(
    request: GenerationRequest,
    content: Content,
    slide: Slide,
    budget: int,
    grounding: Grounding = NO_GROUNDING,
) -> list[Message]:
    """The chat that asks for one slide's narration, at `budget` words; for a grounded deck,
    with the passages of the sources the slide cites (all of them when it cites none)."""
    unit = "words" if LANGUAGES[request.language].spaced else "characters"
    total = content.total_slides
    where = (
        "It opens the presentation: greet the audience and introduce the topic."
        if slide.slide_number == 1
        else "It closes the presentation: sum up and thank the audience."
        if slide.slide_number == total and total > 1
        else "Explain the slide's points in full sentences; do not just read them out."
    )
    bullets = "\n".join(f"- {bullet}" for bullet in slide.bullets) or "(no bullets)"
    lines = [
        f"A presentation about {request.topic} has {total} slides.",
        f"Slide {slide.slide_number} is titled: {slide.title}",
        f"Its bullets:\n{bullets}",
    ]
    if slide.layout == "code":
        # Code read aloud symbol by symbol is noise: the narrator says what it does.
        lines.append(
            f"It shows this code:\n{slide.content_text}\nSay what the code does and why; "
            "do not read the code, its symbols or its punctuation aloud."
        )
    lines.append(
        f"Write what the narrator says while this slide is shown, in {_language(request)}, "
        f"about {budget} {unit} (it must last about {slide.duration:g} seconds). {where}"
    )
    if grounding.grounded:
        cited = set(slide.sources)
        chosen = Grounding(
            found=tuple(f for f in grounding.found if not cited or f.ref.id in cited)
        )
        lines.append(
            "Say only what these sources state; add no fact of your own:\n<<<\n"
            + _passages(chosen, _MAX_SOURCE_CHARS // 2)
            + "\n>>>"
        )
    lines.append('Answer as a JSON object with one key, "narration": the text the narrator says.')
    user = "\n".join(lines)
    return [_system(request), {"role": "user", "content": user}]


# --- answers into the contract's shapes ----------------------------------------------------------


def _bullet(text: str) -> str:
    text = re.sub(r"^\s*(?:[-*•–]\s+|\d{1,2}[.)]\s+)", "", text).strip()
    return text if len(text) <= _MAX_BULLET_CHARS else text[: _MAX_BULLET_CHARS - 1] + "…"


def _points(bullets: Sequence[str]) -> tuple[str, ...]:
    return tuple(b for b in map(_bullet, bullets) if b)[:_MAX_BULLETS]


def _slide(
    number: int,
    title: str,
    bullets: Sequence[str],
    keyword: str,
    sources: Sequence[str] = (),
    chosen: Chosen | None = None,
) -> Slide:
    points = _points(bullets) if chosen is None else chosen.bullets
    title = " ".join(title.split())[:_MAX_TITLE_CHARS]
    animated = len(points) >= 2
    listed = "\n".join(f"- {point}" for point in points)
    slide = Slide(
        slide_number=number,
        title=title,
        content_text=code_block(chosen.code) if chosen and chosen.code else listed,
        needs_image=False,
        image_keyword=keyword,
        needs_animation=animated,
        animation_description=ANIMATION_DESCRIPTION if animated else "",
        duration=_TITLE_SECONDS,
        bullets=points,
        layout="title" if number == 1 else chosen.layout if chosen else "bullets",
        visuals=chosen.visuals if chosen and number > 1 else (),
        sources=tuple(dict.fromkeys(sources)),
    )
    return slide.model_copy(update={"duration": slide_seconds(slide)})


def _keyword(topic: str, title: str) -> str:
    """An image search keyword: the title, with the topic in front unless it holds it."""
    return title if topic.casefold() in title.casefold() else f"{topic} {title}"


def _sources_slide(request: GenerationRequest, grounding: Grounding) -> tuple[Slide, str] | None:
    """The offline writer's Sources slide for `grounding`, with its narration (None: it plans
    none, as for a one-slide deck)."""
    planned = plan_deck(request, grounding)
    last = planned[-1] if planned else None
    return last if last is not None and last[0].layout == "sources" else None


def sources_narration(request: GenerationRequest, grounding: Grounding) -> str:
    """What the narrator says over the Sources slide (the offline writer's words: credits are
    not the model's to write)."""
    planned = _sources_slide(request, grounding)
    return planned[1] if planned is not None else ""


def build_content(
    request: GenerationRequest, deck: DeckOut, grounding: Grounding = NO_GROUNDING
) -> Content:
    """Exactly `num_slides` slides, numbered from 1: the model's first ones (each content slide
    in the layout the model chose when its data holds up, see `media.llm_layouts`), and when it
    wrote too few, the offline writer's slides for the places left. A grounded deck cites the ids
    the model named (unknown ones dropped) and ends with the offline writer's Sources slide."""
    count = grounded_count(request, grounding)
    known = {ref.id for ref in grounding.sources}
    # What the model was given to draw on: a layout's data must stand in it or in the slide.
    notes = (request.source_text or "").strip()[:_MAX_SOURCE_CHARS]
    reference = _passages(grounding) if grounding.grounded else notes
    slides = [
        _slide(
            n,
            out.title,
            out.bullets,
            _keyword(request.topic, out.title),
            [source for source in out.sources if source in known],
            None
            if n == 1
            else choose_model_layout(
                out, out.title, _points(out.bullets), reference, request.language
            ),
        )
        for n, out in enumerate(deck.slides[:count], start=1)
    ]
    if len(slides) < count:
        planned = [slide for slide, _ in plan_deck(request, grounding)]
        slides.extend(planned[len(slides) : count])
    closing = _sources_slide(request, grounding) if count < request.num_slides else None
    if closing is not None:
        slides.append(closing[0].model_copy(update={"slide_number": len(slides) + 1}))
    content = Content(topic=request.topic, total_slides=len(slides), slides=tuple(slides))
    return credited(content, grounding)


def _fit(narration: str, budget: int, language: str) -> str:
    """`narration` cut at a sentence end when it runs well over `budget` (never to nothing)."""
    spaced = LANGUAGES[language].spaced

    def size(text: str) -> int:
        return len(text.split()) if spaced else len(text)

    kept: list[str] = []
    for sentence in split_sentences(narration):
        if kept and size(" ".join([*kept, sentence])) > _OVERRUN * budget:
            break
        kept.append(sentence)
    return " ".join(kept) or narration


def build_script(
    request: GenerationRequest, content: Content, narrations: Sequence[tuple[str, int]]
) -> Script:
    """The script of `content` from each slide's (narration, word budget), in slide order.

    Times are estimates at the request's rate, each slide placed after the one before.
    """
    fitted = [
        (slide.slide_number, _fit(" ".join(narration.split()), budget, request.language))
        for slide, (narration, budget) in zip(content.slides, narrations, strict=True)
    ]
    return estimated_script(request, fitted)
