"""Sentences and bullets of plain text: splitting, bullet markers, and speakable narration."""

from __future__ import annotations

import re
from typing import Final

from videogen.media.writer.timing import word_units

__all__ = [
    "BULLET_MARKER",
    "TERMINAL",
    "as_sentence",
    "bullets_from_text",
    "narration_from_text",
    "split_sentences",
    "strip_marker",
]

# A sentence this long (in words) is too long to be a bullet.
_SHORT_BULLET_WORDS: Final = 20
# Latin full stops end a sentence only before a space or the end (not in "3.5" or "example.com");
# the danda and the CJK and Arabic marks end one wherever they are.
_SENTENCE_END: Final = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s|$)|[।॥。！？؟]+[\"'”’»)\]」』]*")
_ABBREVIATIONS: Final = frozenset(
    {"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "fig", "no", "cf", "approx"}
)
TERMINAL: Final = frozenset(".!?।॥。！？؟…")
# The full stop a narration gets when a line of the user's lacks one.
_FULL_STOP: Final[dict[str, str]] = {
    "hindi": "।",
    "bengali": "।",
    "punjabi": "।",
    "odia": "।",
    "chinese": "。",
    "japanese": "。",
}
# "- item", "* item", "• item", "1. item", "2) item".
BULLET_MARKER: Final = re.compile(r"^\s*(?:[•‣◦▪]\s*|[-*+–]\s+|\d{1,3}[.)]\s+)(?=\S)")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation such as "e.g." or "Dr."."""
    before = text[:dot].split()
    return bool(before) and before[-1].lstrip("([\"'").casefold() in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each keeping its closing punctuation, whitespace collapsed.

    Sentences end at `.`, `!`, `?` (followed by a space or the end, and not after a common
    abbreviation), at the Devanagari danda `।`, at the CJK `。！？` and at the Arabic `؟`.
    Trailing text without closing punctuation is the last sentence.
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        sentence = " ".join(text[start : match.end()].split())
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = " ".join(text[start:].split())
    if tail:
        sentences.append(tail)
    return sentences


def strip_marker(line: str) -> str:
    """`line` without its bullet marker and outer whitespace."""
    return BULLET_MARKER.sub("", line, count=1).strip()


def as_sentence(text: str, language: str) -> str:
    """`text` ending in sentence punctuation: when it has none, a full stop (the language's own
    after its own script, "." after Latin letters and digits, as in English notes)."""
    text = text.strip()
    core = text.rstrip("\"'”’»)]」』")
    if not core or core[-1] in TERMINAL:
        return text
    return text + ("." if core[-1].isascii() else _FULL_STOP.get(language, "."))


def _is_short(sentence: str) -> bool:
    """Whether a sentence is short enough to be a bullet."""
    return word_units(sentence) <= _SHORT_BULLET_WORDS


def bullets_from_text(text: str) -> tuple[str, ...]:
    """The bullets of a slide body.

    Several lines: one bullet per non-empty line, without its marker ("-", "•", "*", "1."). One
    line with a marker: that bullet. One paragraph: its sentences, when there are several and all
    are short (a sentence's final full stop is dropped); else no bullets.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return tuple(item for item in map(strip_marker, lines) if item)
    if not lines:
        return ()
    if BULLET_MARKER.match(lines[0]):
        return (strip_marker(lines[0]),)
    sentences = split_sentences(lines[0])
    if len(sentences) > 1 and all(map(_is_short, sentences)):
        return tuple(sentence.rstrip(".。।") for sentence in sentences)
    return ()


def narration_from_text(text: str, language: str) -> str:
    """A body text made speakable: markers dropped, each line a sentence, lines joined."""
    lines = (strip_marker(line) for line in text.splitlines())
    return " ".join(as_sentence(line, language) for line in lines if line)
