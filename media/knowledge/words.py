"""What a topic or a title is made of, for matching one against the other, per language.

Matching only: these forms never reach a slide. `fold` casefolds and drops Latin accents;
`tokens` splits into words, each reduced to a singular-ish stem (volcanoes → volcano, volcanes →
volcan, chevaux → cheval) so a plural topic finds a singular title; `content` also drops a leading
article, stop words and words that say nothing about a subject ("introduction", "how ... works").
Stems are crude on purpose: both sides go through the same function, so they only have to agree.

Pure functions over strings; no state.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

__all__ = [
    "content",
    "fold",
    "has_phrase",
    "is_stop",
    "same_word",
    "strip_article",
    "tokens",
    "without_article",
]

_WORD: Final = re.compile(r"\w+")
# The combining accents of the Latin, Greek and Cyrillic scripts.
_ACCENTS: Final = (0x0300, 0x036F)

# Leading articles a topic or title may start with ("The water cycle", "L'eau", "Los volcanes").
_ARTICLES: Final[dict[str, frozenset[str]]] = {
    "english": frozenset({"the", "a", "an"}),
    "french": frozenset({"le", "la", "les", "l", "un", "une", "des"}),
    "spanish": frozenset({"el", "la", "los", "las", "un", "una", "unos", "unas"}),
}


# Words that carry no subject: joining words, question words, and what people put around a
# topic ("an introduction to", "how ... works", "facts about"). Folded, before stemming.
def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP: Final[dict[str, frozenset[str]]] = {
    "english": _set(
        "the a an of in on and or for to with by at from into about as is are was were be how "
        "what why when who where which does do did its it their this that my your our these "
        "those vs versus introduction overview basics basic guide explained explanation "
        "explaining facts fact understanding lesson primer tutorial work works working kids "
        "beginners simple"
    ),
    "french": _set(
        "le la les l un une des de du d et ou en au aux pour par sur dans avec qu que qui est "
        "sont comment pourquoi quoi quel quelle ce cette ces son sa ses leur leurs introduction "
        "presentation explication comprendre bases base fonctionnement"
    ),
    "spanish": _set(
        "el la los las un una unos unas de del y o e en a al por para con que como es son sobre "
        "su sus este esta estos estas lo introduccion explicacion conceptos basico basicos "
        "funciona funcionamiento"
    ),
}
_NONE: Final[frozenset[str]] = frozenset()
# A first word and what ends it: a space, or an elision's apostrophe ("l'", "l’").
_LEADING: Final = re.compile(r"(\w+)(?:\s+|['’](?=\w))")


class _Folding(dict[int, str]):
    """`str.translate` table built as it is used: each character to its compatibility form
    without the accents of the Latin, Greek and Cyrillic scripts (U+0300-U+036F; other
    scripts' marks, Devanagari vowel signs say, are part of their letters and kept)."""

    def __missing__(self, code: int) -> str:
        decomposed = unicodedata.normalize("NFKD", chr(code))
        folded = "".join(c for c in decomposed if not _ACCENTS[0] <= ord(c) <= _ACCENTS[1])
        self[code] = folded
        return folded


_FOLDING: Final = _Folding()


def fold(text: str) -> str:
    """Casefolded, with accents dropped ("Éruption" → "eruption")."""
    folded = text.casefold()
    return folded if folded.isascii() else folded.translate(_FOLDING)


def _stem(word: str, language: str) -> str:
    """A crude singular: only has to map a plural and its singular to the same string."""
    n = len(word)
    if language == "english" and n > 3:
        if word.endswith("ies") and n > 4:
            return word[:-3] + "y"
        if word.endswith(("oes", "ches", "shes", "xes", "sses", "zes")):
            return word[:-2]
        if word.endswith("s") and not word.endswith(("ss", "us", "is")):
            return word[:-1]
    elif language == "french" and n > 3:
        if word.endswith("eaux"):
            return word[:-1]
        if word.endswith("aux"):
            return word[:-3] + "al"
        if word.endswith(("s", "x")) and not word.endswith("ss"):
            return word[:-1]
    elif language == "spanish" and n > 3:
        if word.endswith("ces") and n > 4:
            return word[:-3] + "z"
        if word.endswith("es") and n > 4 and word[-3] not in "aeiou":
            return word[:-2]
        if word.endswith("s") and not word.endswith("ss"):
            return word[:-1]
    return word


def tokens(text: str, language: str) -> tuple[str, ...]:
    """Every word of `text`, folded and stemmed."""
    return tuple(_stem(word, language) for word in _WORD.findall(fold(text)))


def strip_article(words: tuple[str, ...], language: str) -> tuple[str, ...]:
    """`words` without a leading article, unless the article is all there is."""
    if len(words) > 1 and words[0] in _ARTICLES.get(language, _NONE):
        return words[1:]
    return words


def without_article(text: str, language: str) -> str:
    """`text` as written, without a leading article ("The water cycle" → "water cycle",
    "L'eau" → "eau"), unless the article is all there is."""
    text = text.strip()
    match = _LEADING.match(text)
    if match is None:
        return text
    rest = text[match.end() :].strip()
    if rest and fold(match.group(1)) in _ARTICLES.get(language, _NONE):
        return rest
    return text


def content(text: str, language: str) -> tuple[str, ...]:
    """The words of `text` that name its subject: no article, stop word or filler; stemmed."""
    stop = _STOP.get(language, _NONE)
    words = _WORD.findall(fold(text))
    kept = tuple(
        _stem(w, language) for w in words if w not in stop and len(w) > 1 and not w.isdigit()
    )
    # A title that is all stop words ("The Who", "It") is still its own subject.
    return kept or strip_article(tuple(_stem(w, language) for w in words), language)


def is_stop(word: str, language: str) -> bool:
    """Whether one word says nothing of a subject (a stop word or filler, a digit, a letter)."""
    folded = fold(word)
    return folded in _STOP.get(language, _NONE) or len(folded) < 2 or folded.isdigit()


def same_word(a: str, b: str) -> bool:
    """Whether two stems name the same thing: equal, or one a close extension of the other
    (volcanic / volcano, photosynthetic / photosynthesis): a shared start of six letters or
    more, and at most three letters apart in length."""
    if a == b:
        return True
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= 6 and abs(len(a) - len(b)) <= 3 and shared >= min(len(a), len(b)) - 3


def has_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether `phrase` occurs in `words` as consecutive words (each by `same_word`)."""
    n = len(phrase)
    if n == 0 or n > len(words):
        return False
    return any(
        all(same_word(words[i + j], phrase[j]) for j in range(n)) for i in range(len(words) - n + 1)
    )
