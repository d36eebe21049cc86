"""The matcher's word lists: the curated table, blocked phrases, generic and stop words (read
from `media/data/pictograms/vocabulary.toml`) and the emoji package's names per language.

Owns the parsing of that data into phrase indexes, built once per language and cached. Raises
nothing for an unknown language: it gets empty lists (no picture is ever matched then).
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal

import emoji

from videogen.media.languages import LANGUAGES

__all__ = ["Entry", "Vocabulary", "normal", "tokens", "vocabulary"]

_DATA: Final = ("data", "pictograms", "vocabulary.toml")
_WORD: Final = re.compile(r"[^\W_]+")
# Emoji names longer than this many words are descriptions ("man_in_lotus_position"), not nouns.
_MAX_NAME_WORDS: Final = 3
# A one-word emoji name shorter than this is too often another word ("ox", "ant" in French).
_MIN_NAME_CHARS: Final = 4
_FULLY_QUALIFIED: Final = emoji.STATUS["fully_qualified"]
# The first word of a flag's name in the emoji package's languages ("flag_France" is "France").
_FLAG_WORDS: Final = frozenset({"flag", "drapeau", "bandera", "flagge"})

Source = Literal["curated", "name", "blocked", "neutral"]


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase means: a pictogram ("🌋", "lucide:atom") from a source, or, when blocked,
    that no picture may be shown, or, when neutral, that its words are no subject (`what` is
    empty for both)."""

    what: str
    source: Source


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """One language's phrase index (tuple of normalised words → entry) and word lists."""

    phrases: dict[tuple[str, ...], Entry]
    generic: frozenset[str]
    stopwords: frozenset[str]
    longest: int


def normal(word: str) -> str:
    """`word` as the matcher compares it: composed and case folded ("Énergía" → "énergía").
    Accents are kept: without them French "thé" would match English "the"."""
    return unicodedata.normalize("NFC", word.casefold())


def tokens(text: str) -> list[str]:
    """The words of `text`, normalised; apostrophes and hyphens split ("l'eau" → l, eau)."""
    return [normal(w) for w in _WORD.findall(unicodedata.normalize("NFKC", text).casefold())]


@functools.cache
def _data() -> dict[str, object]:
    path = resources.files("videogen.media").joinpath(*_DATA)
    return tomllib.loads(path.read_text(encoding="utf-8"))


def _words(section: str, language: str) -> list[str]:
    table = _data().get(section, {})
    assert isinstance(table, dict)
    found = table.get(language, [])
    return [str(w) for w in found]


def _excluded() -> frozenset[str]:
    table = _data().get("excluded", {})
    assert isinstance(table, dict)
    return frozenset(str(e).replace("\ufe0f", "") for e in table.get("emoji", []))


def _emoji_names(code: str) -> dict[tuple[str, ...], str]:
    """The emoji package's names in the language `code` ("es"), as word tuples → emoji."""
    if code not in emoji.LANGUAGES:
        return {}
    emoji.config.load_language(code)
    excluded = _excluded()
    names: dict[tuple[str, ...], str] = {}
    for char, data in emoji.EMOJI_DATA.items():
        name = data.get(code)
        if not isinstance(name, str) or data.get("status") != _FULLY_QUALIFIED:
            continue
        if char.replace("\ufe0f", "") in excluded or "skin" in name or "_tone" in name:
            continue
        words = tuple(tokens(name.strip(":")))
        if _is_flag(char) and len(words) > 1 and words[0] in _FLAG_WORDS:
            words = words[1:]
        if not words or len(words) > _MAX_NAME_WORDS:
            continue
        if len(words) == 1 and len(words[0]) < _MIN_NAME_CHARS:
            continue
        names.setdefault(words, char)
    return names


def _is_flag(char: str) -> bool:
    return all(0x1F1E6 <= ord(c) <= 0x1F1FF for c in char)


@functools.cache
def vocabulary(language: str) -> Vocabulary:
    """The phrase index and word lists of `language` (a `media.languages` name), built once."""
    phrases: dict[tuple[str, ...], Entry] = {}
    for phrase in _words("blocked", language):
        phrases[tuple(tokens(phrase))] = Entry("", "blocked")
    for phrase in _words("neutral", language):
        phrases[tuple(tokens(phrase))] = Entry("", "neutral")
    table = _data().get("phrases", {})
    assert isinstance(table, dict)
    curated = table.get(language, {})
    assert isinstance(curated, dict)
    for phrase, what in curated.items():
        phrases.setdefault(tuple(tokens(phrase)), Entry(str(what), "curated"))
    lang = LANGUAGES.get(language)
    if lang is not None:
        for words, char in _emoji_names(lang.bcp47).items():
            phrases.setdefault(words, Entry(char, "name"))
    return Vocabulary(
        phrases=phrases,
        generic=frozenset(normal(w) for w in _words("generic", language)),
        stopwords=frozenset(normal(w) for w in _words("stopwords", language)),
        longest=max((len(p) for p in phrases), default=1),
    )
