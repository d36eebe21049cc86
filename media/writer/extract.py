"""Short phrases cut from source sentences: a bullet from a sentence, a title from a passage.

Everything is extractive: a bullet is a run of the sentence's own words (a parenthesis dropped),
a title is a run of a passage's own content words. Nothing is paraphrased, so every word shown
is in the source and numbers, dates and names stay exactly as written.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Final

from videogen.media.writer.sentences import TERMINAL
from videogen.media.writer.timing import is_cjk
from videogen.media.writer.words import (
    ARTICLES,
    PUNCTUATION,
    bare,
    content_stems,
    has_stopwords,
    is_stopword,
    stem,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = ["MAX_BULLET_WORDS", "bullets_of", "key_phrase"]

# A bullet is a phrase to read at a glance: at most this many words (CJK: characters / 2).
MAX_BULLET_WORDS: Final = 10
_MAX_CJK_BULLET_CHARS: Final = 2 * MAX_BULLET_WORDS
# A bullet of fewer words than this (the whole sentence aside) says too little.
_MIN_BULLET_WORDS: Final = 3
# A clause ends after these marks; a phrase cut there is complete.
_CLAUSE_END: Final = (",", ";", ":", "—", "–")
_CJK_CLAUSE: Final = re.compile(r"(?<=[，、；：,;:])")
_PARENTHESIS: Final = re.compile(r"\s*[(（][^()（）]*[)）]")
# Scores of a candidate bullet, besides one point per content word: keeping the sentence's
# subject, ending where a clause ends, and holding a number.
_SUBJECT_BONUS: Final = 2.0
_CLAUSE_BONUS: Final = 1.5
_BEFORE_CONNECTOR_BONUS: Final = 0.5  # the next word is "that", "which", "of"...: a soft end
_MID_CLAUSE_PENALTY: Final = 4.0
_CROSSED_CLAUSE_PENALTY: Final = 2.0  # "fluxes, are evaporation": a clause mark, then a verb
_NUMBER_BONUS: Final = 0.5
_MIN_CONTENT_WORDS: Final = 2
# A title is a run of at most this many content words.
_MAX_TITLE_WORDS: Final = 3


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def _trimmed(text: str) -> str:
    """A phrase without closing punctuation or clause marks at its end."""
    return text.rstrip("".join(TERMINAL) + "".join(_CLAUSE_END) + " ")


def _weak_start(word: str, language: str) -> bool:
    """A word a phrase cut from inside a sentence must not start with ("and", "which", "are")."""
    return is_stopword(word, language) and bare(word) not in ARTICLES.get(language, frozenset())


# Where an English phrase may end before the next word: a subordinate clause or a list starts
# there ("... found | where plates diverge", "... gases | such as"). Ending before a verb or a
# preposition ("plates | are diverging", "the body | of salt water") cuts a clause in half.
_SOFT_ENDS: Final[dict[str, frozenset[str]]] = {
    "english": frozenset(
        [
            "that",
            "which",
            "who",
            "whom",
            "whose",
            "where",
            "when",
            "while",
            "whereas",
            "because",
            "although",
            "though",
            "since",
            "unless",
            "until",
            "such",
            "including",
            "especially",
            "like",
        ]
    ),
}


def _soft_end(word: str, language: str) -> bool:
    """Whether a phrase may end just before `word` (see `_SOFT_ENDS`; other languages: any
    stopword, for want of a list)."""
    ends = _SOFT_ENDS.get(language)
    return _weak_start(word, language) if ends is None else bare(word) in ends


def _window_score(
    words: Sequence[str], stems: Sequence[Sequence[str]], start: int, end: int, language: str
) -> float:
    chosen = words[start:end]
    score = float(len({s for found in stems[start:end] for s in found}))
    if start == 0:
        score += _SUBJECT_BONUS
    if end == len(words) or words[end - 1].endswith(_CLAUSE_END):
        score += _CLAUSE_BONUS
    elif _soft_end(words[end], language):
        score += _BEFORE_CONNECTOR_BONUS
    else:
        score -= _MID_CLAUSE_PENALTY
    crossed = (
        words[i].endswith(_CLAUSE_END) and _weak_start(words[i + 1], language)
        for i in range(start, end - 1)
    )
    if any(crossed):
        score -= _CROSSED_CLAUSE_PENALTY
    if any(char.isdigit() for word in chosen for char in word):
        score += _NUMBER_BONUS
    return score


def _clean_end(words: Sequence[str], end: int, language: str) -> bool:
    """Whether a phrase ending at `end` ends a sentence, a clause or before a soft end."""
    return (
        end == len(words) or words[end - 1].endswith(_CLAUSE_END) or _soft_end(words[end], language)
    )


def _windows(
    words: Sequence[str], language: str, *, clean: bool = False
) -> list[tuple[float, int, int]]:
    """Every candidate phrase of a long sentence as (score, start, end), best first.

    A phrase starts at the sentence's start (after a leading "However,") or after a clause mark
    (skipping connectors such as "and" or "which"); it holds at most `MAX_BULLET_WORDS` words
    and at least `_MIN_CONTENT_WORDS` content words, and ends on a content word.
    """
    starts = [0, *(i for i in range(1, len(words)) if words[i - 1].endswith(_CLAUSE_END))]
    stems = [content_stems(word, language) for word in words]
    found: list[tuple[float, int, int]] = []
    for first in starts:
        start = first
        if first == 0:
            if words[0].endswith(",") and _weak_start(words[0], language):
                start = 1
        else:
            while start < len(words) and _weak_start(words[start], language):
                start += 1
        for end in range(start + _MIN_BULLET_WORDS, min(len(words), start + MAX_BULLET_WORDS) + 1):
            last = words[end - 1]
            if is_stopword(last, language) or not bare(last):
                continue
            if sum(map(len, stems[start:end])) < _MIN_CONTENT_WORDS:
                continue
            if clean and not _clean_end(words, end, language):
                continue
            found.append((_window_score(words, stems, start, end, language), start, end))
    found.sort(key=lambda item: (-item[0], item[1], item[2]))
    return found


def _cjk_bullets(sentence: str, count: int) -> list[str]:
    """Bullets of a CJK sentence: its leading clauses up to the length, then later clauses."""
    clauses = [c for c in _CJK_CLAUSE.split(_trimmed(sentence)) if c.strip()]
    bullets: list[str] = []
    current = ""
    for clause in clauses:
        if current and len(current + clause) > _MAX_CJK_BULLET_CHARS:
            bullets.append(_trimmed(current))
            current = ""
        current += clause
    if current:
        bullets.append(_trimmed(current))
    return [b[:_MAX_CJK_BULLET_CHARS] for b in bullets if b][:count]


def bullets_of(sentence: str, language: str, count: int = 1, *, clean: bool = False) -> list[str]:
    """Up to `count` bullets cut from `sentence`, best first, not overlapping.

    A sentence of at most `MAX_BULLET_WORDS` words is its own bullet (its full stop dropped).
    A longer one gives its best phrases: runs of its own words that keep the subject or a
    whole clause, end on a content word (no dangling "and" or "the") and hold the most content
    words; a parenthesis is left out. `clean`: only phrases that end where a sentence or a
    clause does (none cut mid-clause). Empty when the sentence has no such phrase.
    """
    text = " ".join(_PARENTHESIS.sub("", sentence).split())
    if sum(1 for char in text if is_cjk(char)) > len(text) / 2:
        return _cjk_bullets(text, count)
    words = text.split()
    if len(words) <= MAX_BULLET_WORDS:
        return [_capital(_trimmed(text))] if _trimmed(text) else []
    chosen: list[tuple[int, int]] = []
    for _, start, end in _windows(words, language, clean=clean):
        if len(chosen) == count:
            break
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    return [_capital(_trimmed(" ".join(words[s:e]))) for s, e in sorted(chosen)]


def _runs(text: str, language: str) -> Iterable[list[str]]:
    """Runs of consecutive content words of `text`, broken at stopwords, numbers and marks."""
    run: list[str] = []
    for raw in text.split():
        word = raw.strip(PUNCTUATION)
        if not word or is_stopword(word, language) or any(c.isdigit() for c in word):
            if run:
                yield run
            run = []
            continue
        run.append(word)
        if raw != word and raw.rstrip(PUNCTUATION) != raw:  # a mark after the word ends the run
            yield run
            run = []
    if run:
        yield run


def key_phrase(texts: Sequence[str], language: str, avoid: Iterable[str]) -> str | None:
    """A title for a passage without a heading: its most telling run of content words.

    Candidates are runs of one to `_MAX_TITLE_WORDS` content words; each scores the passage
    frequencies of its stems; runs made only of `avoid`'s words (the topic, other titles) or
    holding a word said only once are left out. None for a language without stopwords here (its runs
    would be whole clauses) or when nothing qualifies.
    """
    if not has_stopwords(language):
        return None
    avoided = {stem(bare(word)) for text in avoid for word in text.split()}
    counts = Counter(s for text in texts for s in content_stems(text, language))
    best: tuple[float, str] | None = None
    for text in texts:
        for run in _runs(text, language):
            for size in range(1, min(_MAX_TITLE_WORDS, len(run)) + 1):
                for i in range(len(run) - size + 1):
                    words = run[i : i + size]
                    stems = [stem(bare(word)) for word in words]
                    fresh = [s for s in stems if s not in avoided]
                    if not fresh or any(counts[s] < 2 for s in stems):
                        continue
                    score = sum(counts[s] for s in fresh) + 0.5 * (size - 1)
                    if best is None or score > best[0]:
                        best = (score, _capital(" ".join(words)))
    return best[1] if best else None
