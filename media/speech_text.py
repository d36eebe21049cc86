"""What espeak is given to read: narration without markdown, bullets and emoji, and Japanese
with its kanji read as kana. Plain functions of text; `media.speech` calls them before speaking."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Final

__all__ = ["kana_reading", "speakable_text"]

# A list or heading marker at the start of a line: "- ", "* ", "• ", "## ", "> ".
_LINE_MARKER: Final = re.compile(r"^\s*(?:[-*+•◦‣▪▫●○■□►▸▶➤➢✓✔✗✘·]+|#{1,6}|>+)\s+")
# [text](url) -> text.
_MD_LINK: Final = re.compile(r"\[([^\]\n]+)\]\([^)\s]*\)")
# Emphasis and code marks: espeak says "asterisk" and "grave".
_MD_MARKS: Final = re.compile(r"[*`]+|~~")
# A bullet inside a line separates items: say it as a comma.
_INLINE_BULLET: Final = re.compile(r"\s*[•·]\s*")
# Sentence-ending (or pausing) marks in the supported scripts.
_PAUSE_MARKS: Final = frozenset(".!?;:,…।॥。！？；：、؟؛۔")
# Symbols espeak would otherwise name aloud but that carry meaning in a sentence.
_SPOKEN_SYMBOLS: Final = frozenset("°©®™")


@functools.cache
def _kakasi() -> Any:
    import pykakasi  # loads its dictionary (~1.5 s): once per worker process, on first use

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def kana_reading(text: str) -> str:
    """Japanese text with every kanji replaced by its hiragana reading.

    espeak-ng's Japanese voice reads kana but says "Chinese letter" for each kanji, so
    narration is converted before it is spoken (pykakasi, a dictionary-based reader).
    """
    return "".join(part["hira"] for part in _kakasi().convert(text))


def speakable_text(text: str) -> str:
    """`text` as espeak should read it: without markdown, bullets and emoji, on one line.

    A bulleted or heading line ends with a full stop if it has no pause mark, so that list
    items are read as separate phrases instead of running together.
    """
    lines = (_speakable_line(line) for line in text.splitlines())
    return " ".join(" ".join(lines).split())


def _speakable_line(line: str) -> str:
    line, markers = _LINE_MARKER.subn("", line, count=1)
    line = _MD_LINK.sub(r"\1", line)
    line = _MD_MARKS.sub("", line).replace("_", " ")
    line = _INLINE_BULLET.sub(", ", line)
    line = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in line if _spoken(ch))
    line = line.strip(" ,")
    if markers and line and line[-1] not in _PAUSE_MARKS:
        line += "."
    return line


def _spoken(ch: str) -> bool:
    """False for pictographs, dingbats and arrows, which espeak names aloud ("grinning face")."""
    if ch in _SPOKEN_SYMBOLS:
        return True
    return not (
        unicodedata.category(ch) == "So"
        or "\u2190" <= ch <= "\u21ff"  # arrows
        or "\ufe00" <= ch <= "\ufe0f"  # variation selectors (emoji presentation)
        or "\U0001f3fb" <= ch <= "\U0001f3ff"  # skin-tone modifiers
    )
