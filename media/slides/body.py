"""A slide's body as items: its bullets, else its text split into bullet and paragraph lines."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from videogen.media.models import Slide

__all__ = ["BodyItem", "body_items", "clean"]


@dataclass(frozen=True, slots=True)
class BodyItem:
    """One bullet or paragraph of a slide's body."""

    text: str
    bullet: bool


_BULLET_PREFIX: Final = re.compile(r"^(?:[-*–]\s+|•\s*)")
_SPACES: Final = re.compile(r"\s+")


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def body_items(slide: Slide) -> tuple[BodyItem, ...]:
    """The slide's body: its `bullets`, else `content_text` split into lines.

    Lines of `content_text` that start with "-", "*", "–" or "•" become bullets, other lines
    paragraphs; blank lines are dropped.
    """
    if slide.bullets:
        cleaned = (clean(_BULLET_PREFIX.sub("", b.strip())) for b in slide.bullets)
        return tuple(BodyItem(text, True) for text in cleaned if text)
    items: list[BodyItem] = []
    for line in slide.content_text.splitlines():
        stripped = line.strip()
        marker = _BULLET_PREFIX.match(stripped)
        text = clean(stripped[marker.end() :] if marker else stripped)
        if text:
            items.append(BodyItem(text, marker is not None))
    return tuple(items)
