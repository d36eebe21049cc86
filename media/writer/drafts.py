"""A slide and its narration before numbering, and the phrase-table slides every deck shares.

`fill` puts the topic (and a point) into a phrase template; `title_slide` and `summary_slide`
open and close the topic and notes decks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from videogen.media.models import Layout, Visual

__all__ = ["Draft", "bulleted", "fill", "summary_slide", "title_slide"]

_PLACEHOLDER: Final = re.compile(r"\{(topic|point)\}")
_SENTENCE_START: Final = re.compile(r"(?:^|[.!?]\s+)$")


def _capitalized(value: str) -> str:
    """`value` with a capital first letter if its first word is all lower case ("iPhone" stays)."""
    first = value.split(maxsplit=1)[0] if value.strip() else ""
    return value[0].upper() + value[1:] if first.islower() else value


def fill(template: str, topic: str, point: str = "") -> str:
    """A phrase template with `{topic}` and `{point}` filled in (one pass, so values stay as given;
    a value that starts a sentence gets a capital letter when it has none)."""
    values = {"topic": topic, "point": point}

    def replace(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        starts = _SENTENCE_START.search(template, 0, match.start()) is not None
        return _capitalized(value) if starts else value

    return _PLACEHOLDER.sub(replace, template)


@dataclass(frozen=True, slots=True)
class Draft:
    """One slide and its narration, before it is numbered and timed."""

    title: str
    content_text: str
    narration: str
    bullets: tuple[str, ...] = ()
    image_keyword: str = ""
    layout: Layout = "bullets"
    sources: tuple[str, ...] = ()
    """The ids of the sources (`SourceRef.id`) the slide drew on."""
    visuals: tuple[Visual, ...] = ()
    """What the layout draws besides text (`media.writer.layouts.choose_layout`)."""


def _body(bullets: Sequence[str]) -> str:
    """The `content_text` of a bulleted slide: one "- " line per bullet (the renderer's form)."""
    return "\n".join(f"- {bullet}" for bullet in bullets)


def bulleted(
    title: str,
    bullets: Sequence[str],
    narration: str,
    keyword: str,
    *,
    layout: Layout = "bullets",
    sources: Sequence[str] = (),
    visuals: Sequence[Visual] = (),
) -> Draft:
    """A slide whose body is its bullets."""
    return Draft(
        title,
        _body(bullets),
        narration,
        tuple(bullets),
        keyword,
        layout,
        tuple(sources),
        tuple(visuals),
    )


def title_slide(table: Mapping[str, str], topic: str) -> Draft:
    """Slide 1: the topic, a one-line subtitle and a short welcome."""
    return Draft(
        topic, fill(table["subtitle"], topic), fill(table["welcome"], topic), (), topic, "title"
    )


def summary_slide(
    table: Mapping[str, str], topic: str, bullets: Sequence[str] | None = None
) -> Draft:
    """The closing slide: key takeaways (`bullets`, else the table's three) and a farewell."""
    points = bullets or [fill(table[f"summary_{i}"], topic) for i in (1, 2, 3)]
    narration = fill(table["summary_say"], topic)
    return bulleted(table["summary_title"], points, narration, f"{topic} summary", layout="summary")
