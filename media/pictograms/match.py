"""The pictogram matcher: a slide title → the emoji or Lucide icon that fits it, with a
confidence, or None when nothing fits well enough.

Tag matching alone is about half right ("Machine learning" → a washing machine), and a wrong
picture is worse than none, so a match must be a whole phrase of the title (longest first, so
"machine learning" wins over "machine"), from the curated table or the emoji package's names in
the slide's language (`media.pictograms.vocabulary`); its confidence grows with how much of the
title it covers and whether it is the title's head noun; below `THRESHOLD` nothing is shown.
Measured on a labelled set by `bench/pictograms.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from videogen.media.pictograms.vocabulary import Entry, Vocabulary, tokens, vocabulary

__all__ = ["THRESHOLD", "Pictogram", "match_pictogram"]

# Below this confidence no picture is shown; tuned on the labelled set's "tune" part.
THRESHOLD: Final = 0.6
# How sure each source is of a whole-phrase match that is the whole title.
_BASE: Final = {"curated": 0.9, "name": 0.75}
# The share of the confidence that depends on how much of the title the phrase covers.
_COVERAGE_WEIGHT: Final = 0.45
# Added when the phrase holds the title's head noun ("vaccine" in "Smallpox vaccine").
_HEAD_BONUS: Final = 0.1
# A runner-up picture closer than this to the best one makes the title ambiguous: none shown.
_MARGIN: Final = 0.08
# Plural and inflection endings tried when a word is not found as written (long words only).
_ENDINGS: Final = ("es", "s", "en", "n", "e")
_MIN_STEM: Final = 4
# Words after which an English title names its subject ("History OF Italy").
_LINKS: Final = frozenset({"of", "and", "in", "on", "for", "from", "to", "with", "beyond", "vs"})
# Languages whose head noun comes first ("Énergie solaire"), not last ("Solar energy").
_HEAD_FIRST: Final = frozenset({"french", "spanish", "portuguese", "italian"})
_LUCIDE: Final = "lucide:"


@dataclass(frozen=True, slots=True)
class Pictogram:
    """A matched picture: an emoji character or a Lucide icon name, how sure the matcher is
    (0..1) and the title's words that matched."""

    kind: Literal["emoji", "icon"]
    what: str
    confidence: float
    phrase: str


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    entry: Entry


def _variants(word: str) -> list[str]:
    out = [word]
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            out.append(word[: -len(ending)])
    return out


def _lookup(words: list[str], vocab: Vocabulary) -> Entry | None:
    entry = vocab.phrases.get(tuple(words))
    if entry is not None:
        return entry
    for variant in _variants(words[-1])[1:]:
        entry = vocab.phrases.get((*words[:-1], variant))
        # Only the curated table is trusted with inflections: an emoji name's word with an
        # ending cut off is too often another word ("Kinds" is not German "Kind", a child).
        if entry is not None and entry.source != "name":
            return entry
    return None


def _scan(words: list[str], vocab: Vocabulary) -> list[_Found]:
    """Whole-phrase matches, longest first at each position, never overlapping."""
    found: list[_Found] = []
    i = 0
    while i < len(words):
        for length in range(min(vocab.longest, len(words) - i), 0, -1):
            entry = _lookup(words[i : i + length], vocab)
            if entry is not None:
                found.append(_Found(i, i + length, entry))
                i += length
                break
        else:
            i += 1
    return found


def _content(words: list[str], vocab: Vocabulary) -> list[int]:
    """Positions of the words that say what the slide is about."""
    return [
        i
        for i, w in enumerate(words)
        if w not in vocab.stopwords and w not in vocab.generic and not w.isdigit()
    ]


def _head(words: list[str], content: list[int], language: str) -> int | None:
    """The position of the title's head noun: in English the last content word before the
    first linking word whose part holds any content ("Smallpox vaccine", "History of Italy")."""
    if not content:
        return None
    if language in _HEAD_FIRST:
        return content[0]
    part: list[int] = []
    for i, w in enumerate(words):
        if w in _LINKS and part:
            break
        if i in content:
            part.append(i)
    return part[-1] if part else content[-1]


def _score(group: list[_Found], content: list[int], head: int | None) -> float:
    """How sure the matches in `group` (all for one picture) are, from the share of the
    title's content words they cover and whether they hold its head noun."""
    covered = [i for i in content if any(f.start <= i < f.end for f in group)]
    if not covered:
        return 0.0
    base = max(_BASE[f.entry.source] for f in group)
    score = base * (1 - _COVERAGE_WEIGHT * (1 - len(covered) / len(content)))
    return score + (_HEAD_BONUS if head in covered else 0.0)


def match_pictogram(title: str, language: str) -> Pictogram | None:
    """The pictogram that fits a slide titled `title` in `language`, or None below `THRESHOLD`,
    when nothing matches, or when the title holds a blocked phrase. Raises nothing."""
    vocab = vocabulary(language)
    words = tokens(title)
    found = _scan(words, vocab)
    if not found or any(f.entry.source == "blocked" for f in found):
        return None
    neutral = {i for f in found if f.entry.source == "neutral" for i in range(f.start, f.end)}
    found = [f for f in found if f.entry.source != "neutral"]
    content = [i for i in _content(words, vocab) if i not in neutral]
    head = _head(words, content, language)
    # Matches that agree on one picture pool their words ("Indian Ocean ... tsunami").
    pooled: dict[str, list[_Found]] = {}
    for f in found:
        pooled.setdefault(f.entry.what, []).append(f)
    scored = sorted(
        ((_score(group, content, head), group) for group in pooled.values()),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] < THRESHOLD:
        return None
    # Two pictures nearly as likely: the title is about two things, and either may be wrong.
    if len(scored) > 1 and scored[1][0] > scored[0][0] - _MARGIN:
        return None
    score, group = scored[0]
    f = max(group, key=lambda g: g.end - g.start)
    what = f.entry.what
    kind: Literal["emoji", "icon"] = "icon" if what.startswith(_LUCIDE) else "emoji"
    name = what.removeprefix(_LUCIDE)
    return Pictogram(kind, name, min(1.0, round(score, 3)), " ".join(words[f.start : f.end]))
