"""Sentences and bullets of plain text: splitting, bullet markers, and speakable narration."""

from __future__ import annotations

import re
from typing import Final

from sentencex import segment

from videogen.media.languages import LANGUAGES
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
# sentencex leaves a few pieces split that are not sentences: a lone abbreviation ("M.",
# "डॉ."), an initial ("F."), and an abbreviation before a lower-case word ("p.m. del", "т. е.
# пример"); these are glued back to the next piece.
_LONE_ABBREVIATION: Final = re.compile(r"^\S{1,2}\.$")
_INITIAL: Final = re.compile(r"(?:^|\s)([^\W\d_])\.$")
_SHORT_OR_DOTTED: Final = re.compile(r"(?:^|\s)(?:[^\W\d_]{1,2}|\S+\.\S+)\.$")
# sentencex's language when a caller gives none (its English rules also end sentences at the
# danda and the CJK and Arabic marks).
_DEFAULT_CODE: Final = "en"
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


def _glued(previous: str, following: str) -> bool:
    """Whether `following` continues `previous` rather than starting a sentence."""
    initial = _INITIAL.search(previous)
    if _LONE_ABBREVIATION.match(previous) or (initial and initial.group(1).isupper()):
        return True
    return following[:1].islower() and _SHORT_OR_DOTTED.search(previous) is not None


def split_sentences(text: str, language: str | None = None) -> list[str]:
    """The sentences of `text`, each keeping its closing punctuation, whitespace collapsed.

    `sentencex` splits them with the rules of `language` (a project language name; English's
    when None or unknown): abbreviations ("Dr.", "e.g.", "3 p.m."), initials ("J. R. R.
    Tolkien") and decimals do not end a sentence; `.`, `!`, `?`, the danda `।`, the CJK `。！？`
    and the Arabic `؟` do, and so does a blank line. Trailing text without closing punctuation
    is the last sentence.
    """
    known = LANGUAGES.get(language) if language else None
    code = known.bcp47 if known else _DEFAULT_CODE
    sentences: list[str] = []
    for piece in segment(code, text):
        sentence = " ".join(piece.split())
        if not sentence:
            continue
        if sentences and _glued(sentences[-1], sentence):
            sentences[-1] = f"{sentences[-1]} {sentence}"
        else:
            sentences.append(sentence)
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
