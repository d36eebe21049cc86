"""The notes parser: plain text or markdown split at its headings into sections of units.

A unit is a sentence or a bullet; markdown's inline markup, quotes and rules are dropped. A fenced
code block is kept apart, on its section (`Section.code`), never read as sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from videogen.media.writer.sentences import BULLET_MARKER, TERMINAL, split_sentences, strip_marker
from videogen.media.writer.timing import is_cjk

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["NotesParser", "Section", "Unit"]

_ATX_HEADING: Final = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$")
_UNDERLINE: Final = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE: Final = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE: Final = re.compile(r"^\s*(?:```|~~~)[ \t]*([\w+#.-]*)")
_QUOTE: Final = re.compile(r"^\s{0,3}>\s?")
_NUMBERED: Final = re.compile(r"^\s*\d{1,3}[.)]\s+\S")
_INLINE: Final[tuple[tuple[re.Pattern[str], str], ...]] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # HTML tags
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)"), r"\1"),  # _emphasis_
    (re.compile(r"`([^`]*)`"), r"\1"),  # code
)
# A heading written as a plain line: at most this many words, and no closing punctuation.
_HEADING_WORDS: Final = 10
_HEADING_CHARS: Final = 80


def _clean_inline(text: str) -> str:
    """`text` without markdown's inline markup, whitespace collapsed."""
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def _heading_text(text: str) -> str:
    """A heading's words: no markup, no trailing colon."""
    return _clean_inline(text).rstrip(":：").strip()


def _looks_like_heading(line: str) -> bool:
    """Whether a line standing alone reads as a heading: short, unpunctuated, not lower case."""
    text = _heading_text(line)
    if not text or BULLET_MARKER.match(line):
        return False
    words = text.split()
    return (
        len(words) <= _HEADING_WORDS
        and len(text) <= _HEADING_CHARS
        and text[-1] not in TERMINAL | {",", ";", "，", "；"}
        and not text[0].islower()
    )


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence of the notes, or one of their bullets.

    `lead` is where it stands: 2 first in its section, 1 first in its paragraph, else 0;
    `numbered`: a bullet of a numbered list ("1. Boil the water"), which names a step.
    """

    text: str
    bullet: bool = False
    lead: int = 0
    numbered: bool = False


@dataclass(slots=True)
class Section:
    """A heading of the notes (None before the first) and what stands under it: its units, and
    its fenced code blocks as (code, language named on the fence or "")."""

    title: str | None
    units: list[Unit] = field(default_factory=list)
    code: list[tuple[str, str]] = field(default_factory=list)


def _join_lines(lines: Iterable[str]) -> str:
    """Lines of one paragraph as one text: CJK lines join without a space."""
    text = ""
    for line in (line.strip() for line in lines):
        glue = "" if text and is_cjk(text[-1]) and line and is_cjk(line[0]) else " "
        text = f"{text}{glue}{line}" if text else line
    return text


class NotesParser:
    """Splits notes into sections at headings: `#` lines, underlined lines, and short lines that
    stand alone before a blank line. One parser per call; nothing is shared."""

    def __init__(self) -> None:
        self.sections: list[Section] = [Section(None)]
        self._paragraph: list[str] = []
        self._bullet: list[str] = []
        self._numbered = False
        self._fresh = True  # at the start of a block: after a blank line, a heading or the start

    def parse(self, text: str) -> list[Section]:
        """The sections of `text` that have something under their heading."""
        lines = text.splitlines()
        fenced = skip = False
        listing: list[str] = []
        language = ""
        for index, raw in enumerate(lines):
            if skip:
                skip = False
                continue
            fence = _FENCE.match(raw)
            if fence:
                self._end_block()
                if fenced and "\n".join(listing).strip():
                    self.sections[-1].code.append(("\n".join(listing).strip("\n"), language))
                fenced, listing, language = not fenced, [], fence.group(1).lower()
                continue
            if fenced:
                listing.append(raw)
            else:
                following = lines[index + 1] if index + 1 < len(lines) else None
                skip = self._line(_QUOTE.sub("", raw, count=1), following)
        self._end_block()
        for section in self.sections:
            if section.code and not section.units and section.title:
                # Code under a heading alone: the narrator says the heading, not the code.
                section.units.append(Unit(section.title, lead=2))
        return [section for section in self.sections if section.units]

    def _line(self, line: str, following: str | None) -> bool:
        """Take one line; True when it also used up the next (a heading's underline)."""
        if not line.strip() or _RULE.match(line):
            self._end_block()
            return False
        heading = _ATX_HEADING.match(line)
        underlined = following is not None and _UNDERLINE.match(following) is not None
        if heading or (self._fresh and underlined and not BULLET_MARKER.match(line)):
            self._start_section((heading.group(1) or "") if heading else line)
            return not heading
        alone = following is not None and not following.strip()
        if self._fresh and alone and _looks_like_heading(line):
            self._start_section(line)
            return False
        self._body_line(line)
        return False

    def _body_line(self, line: str) -> None:
        """A line of a paragraph, a bullet, or the continuation of a bullet."""
        if BULLET_MARKER.match(line):
            self._end_block()
            self._bullet = [strip_marker(line)]
            self._numbered = _NUMBERED.match(line) is not None
        elif self._bullet:
            self._bullet.append(line)
        else:
            self._paragraph.append(line)
        self._fresh = False

    def _start_section(self, title: str) -> None:
        self._end_block()
        self.sections.append(Section(_heading_text(title) or None))
        self._fresh = True

    def _end_block(self) -> None:
        """Close the open paragraph or bullet."""
        section = self.sections[-1]
        if self._bullet:
            text = _clean_inline(" ".join(self._bullet))
            if text:
                lead = 0 if section.units else 2
                section.units.append(Unit(text, bullet=True, lead=lead, numbered=self._numbered))
        if self._paragraph:
            sentences = split_sentences(_clean_inline(_join_lines(self._paragraph)))
            for index, sentence in enumerate(sentences):
                lead = 2 if not section.units else int(index == 0)
                section.units.append(Unit(sentence, lead=lead))
        self._bullet, self._paragraph = [], []
        self._fresh = True
