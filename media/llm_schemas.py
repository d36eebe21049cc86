"""The JSON schemas of the LLM writer's answers (`AnswerSchema`): a deck of slides, each with
its layout and that layout's data (`media.llm_layouts`), and one slide's narration. Pure data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from videogen.media.languages import LANGUAGES
from videogen.media.llm_layouts import layout_fields

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["MAX_BULLETS", "OVERRUN", "AnswerSchema", "deck_schema", "narration_schema"]

MAX_BULLETS: Final = 6
# A narration longer than this many times its budget is cut at a sentence end.
OVERRUN: Final = 1.5
# The bounded schema's limits (see `AnswerSchema`); a word is about this many characters.
_BOUNDED_TITLE: Final = 60
_BOUNDED_BULLET: Final = 80
_BOUNDED_BULLETS: Final = 4
_CHARS_PER_WORD: Final = 7


@dataclass(frozen=True)
class AnswerSchema:
    """The JSON schema of an answer, in two forms: `strict` keeps to what OpenAI's strict mode
    takes; `bounded` adds string lengths, for servers that turn the schema into a grammar (a
    small model would otherwise ramble inside a string until it runs out of tokens)."""

    name: str
    strict: dict[str, Any]
    bounded: dict[str, Any]


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _deck(
    count: int, title: dict[str, Any], bullets: dict[str, Any], ids: Sequence[str]
) -> dict[str, Any]:
    fields = {"title": title, "bullets": bullets}
    if ids:
        fields["sources"] = {"type": "array", "items": {"type": "string", "enum": list(ids)}}
    bounded = "maxLength" in title
    layout, required = layout_fields(bounded=bounded)
    slide = _object(fields)
    slide["properties"] |= layout
    slide["required"] += required
    return _object(
        {"slides": {"type": "array", "items": slide, "minItems": count, "maxItems": count}}
    )


def deck_schema(count: int, ids: Sequence[str] = ()) -> AnswerSchema:
    """The schema of a deck of exactly `count` slides, each with its layout and that layout's
    data (`media.llm_layouts`); with source `ids`, each slide lists the ids it uses."""
    strict = _deck(
        count,
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}, "maxItems": MAX_BULLETS},
        ids,
    )
    bounded = _deck(
        count,
        {"type": "string", "minLength": 1, "maxLength": _BOUNDED_TITLE},
        {
            "type": "array",
            "items": {"type": "string", "minLength": 1, "maxLength": _BOUNDED_BULLET},
            "minItems": 1,
            "maxItems": _BOUNDED_BULLETS,
        },
        ids,
    )
    return AnswerSchema("slides", strict, bounded)


def narration_schema(budget: int, language: str) -> AnswerSchema:
    """The schema of one slide's narration of about `budget` words (or characters)."""
    chars = OVERRUN * budget * (_CHARS_PER_WORD if LANGUAGES[language].spaced else 1)
    strict = _object({"narration": {"type": "string"}})
    bounded = _object({"narration": {"type": "string", "minLength": 1, "maxLength": round(chars)}})
    return AnswerSchema("narration", strict, bounded)
