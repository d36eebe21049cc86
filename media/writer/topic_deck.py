"""Source 3, the topic alone: a generic but well-structured deck from the phrase tables."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from videogen.media.phrases import SECTION_PRIORITY, SECTIONS, phrases, section_key
from videogen.media.writer.drafts import Draft, bulleted, fill, summary_slide, title_slide
from videogen.media.writer.layouts import choose_layout

if TYPE_CHECKING:
    from collections.abc import Mapping

    from videogen.media.models import GenerationRequest

__all__ = ["topic_deck"]

# An English keyword per section for image search (images stay off offline, the keyword is kept).
_IMAGE_WORDS: Final[dict[str, str]] = {
    "what": "definition",
    "history": "history",
    "why": "importance",
    "how": "process",
    "ideas": "key concepts",
    "examples": "real world examples",
    "myths": "myths",
    "challenges": "challenges",
    "start": "beginners",
    "future": "future",
}
# The pairs of "lens" bullets that closer-look slides cycle through.
_LENS_PAIRS: Final[tuple[tuple[int, int], ...]] = ((1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3))
_BULLETS_PER_SECTION: Final = 3
# The most middle slides a topic deck can fill: each section, then a closer look at each bullet.
_MAX_MIDDLE: Final = len(SECTIONS) * (1 + _BULLETS_PER_SECTION)


def _section_plan(count: int) -> list[tuple[str, list[int]]]:
    """Which sections fill `count` middle slides, in telling order, each with the bullets that
    get a closer-look slide of their own (only when there are more slides than sections).

    Raises ValueError when `count` is more than the sections and their bullets can fill.
    """
    if count > _MAX_MIDDLE:
        raise ValueError(f"a topic deck has at most {_MAX_MIDDLE} middle slides, not {count}")
    chosen = set(SECTION_PRIORITY[:count])
    closer: dict[str, list[int]] = {section: [] for section in chosen}
    extra = count - len(chosen)
    # Closer looks go round the sections by priority: every section's first bullet, then seconds.
    for bullet in range(1, _BULLETS_PER_SECTION + 1):
        for section in SECTION_PRIORITY[:extra]:
            closer[section].append(bullet)
        extra = max(0, extra - len(SECTION_PRIORITY))
    return [(section, closer[section]) for section in SECTIONS if section in chosen]


def _section_slide(table: Mapping[str, str], topic: str, section: str, language: str) -> Draft:
    """A section's slide: its title, three bullets, and a narration that talks about them."""
    bullets = [fill(table[section_key(section, str(i))], topic) for i in (1, 2, 3)]
    title = fill(table[section_key(section, "title")], topic)
    narration = fill(table[section_key(section, "say")], topic)
    # The phrase tables hold no figures or steps of their own; a topic that names some (a year,
    # "first, then, finally" in the topic's words) gets its layout as every writer's slides do.
    layout, visuals = choose_layout(title, bullets, narration, language)
    return bulleted(
        title,
        bullets,
        narration,
        f"{topic} {_IMAGE_WORDS[section]}",
        layout=layout,
        visuals=visuals,
    )


def _closer_slide(
    table: Mapping[str, str], topic: str, section: str, bullet: int, turn: int
) -> Draft:
    """A closer look at one bullet of a section; `turn` picks its pair of lens bullets."""
    point = fill(table[section_key(section, str(bullet))], topic)
    lenses = [fill(table[f"lens_{i}"], topic) for i in _LENS_PAIRS[turn % len(_LENS_PAIRS)]]
    narration = fill(table["closer_say"], topic, point)
    return bulleted(point, lenses, narration, f"{topic} {_IMAGE_WORDS[section]}")


def topic_deck(request: GenerationRequest) -> list[Draft]:
    """Exactly `num_slides` slides: title, overview (from 5 slides), sections, summary.

    1 slide is the title alone; 2 add the summary; 3 and 4 put one and two sections between them.
    """
    table = phrases(request.language, request.tone)
    topic, count = request.topic, request.num_slides
    first = title_slide(table, topic)
    if count == 1:
        return [first]
    # An agenda of one or two items is not worth a slide of its own.
    overview = count >= 5
    middle: list[Draft] = []
    agenda: list[str] = []
    for section, closer in _section_plan(count - 2 - int(overview)):
        middle.append(_section_slide(table, topic, section, request.language))
        agenda.append(middle[-1].title)
        for bullet in closer:
            middle.append(_closer_slide(table, topic, section, bullet, turn=len(middle)))
    if overview:
        say = fill(table["overview_say"], topic)
        middle.insert(0, bulleted(table["overview_title"], agenda, say, f"{topic} overview"))
    return [first, *middle, summary_slide(table, topic)]
