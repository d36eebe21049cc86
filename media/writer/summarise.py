"""The extractive summariser: scores the units of the notes and keeps the best that fit.

Scores are the notes' own frequent content words a unit holds; nothing is learned or fetched.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING, Final

from videogen.media.writer.timing import estimate_seconds, is_cjk

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import GenerationRequest
    from videogen.media.writer.notes import Unit

__all__ = ["MAX_CONTENT_SECONDS", "Scorer", "condense"]

# The longest narration a content slide gets from the notes; the phrase tables aim at 6-12 s.
MAX_CONTENT_SECONDS: Final = 12.0

# Words that carry no content, for scoring English notes; other languages rely on the
# document-frequency cut in `Scorer`.
_STOPWORDS: Final = frozenset(
    word
    for line in (
        "a about above after again against all also am an and any are as at be because been",
        "before being below between both but by can could did do does doing down during each few",
        "for from further had has have having he her here hers herself him himself his how",
        "however i if in into is it its itself just let like may me might more most much must my",
        "myself no nor not now of off on once only or other our ours ourselves out over own same",
        "she should so some such than that the their theirs them themselves then there these they",
        "this those through thus to too under until up upon very was we were what when where",
        "which while who whom why will with within without would yet you your yours yourself",
        "yourselves one two many often every",
    )
    for word in line.split()
)
_PUNCTUATION: Final = "\"'“”‘’«»()[]{}<>.,;:!?…—–-_/\\|*#@&%$^~`+=।॥،؛؟。，、！？：；（）「」『』"
# Tokens in more than this share of the units are too common to tell them apart.
_COMMON_SHARE: Final = 0.4
_COMMON_MIN_UNITS: Final = 10


def _tokens(text: str) -> list[str]:
    """Content tokens for scoring: words without stopwords, and character pairs of CJK runs."""
    tokens: list[str] = []
    for raw in text.casefold().split():
        word = raw.strip(_PUNCTUATION)
        run = "".join(char for char in word if is_cjk(char))
        if run:
            tokens.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        elif len(word) > 2 and word not in _STOPWORDS:
            tokens.append(word)
    return tokens


class Scorer:
    """Scores units of the notes for an extractive summary: how many of the notes' frequent
    content words a unit holds (sublinear in its length), with a bonus for leading a section or a
    paragraph. Built once per call from all the units."""

    def __init__(self, units: Sequence[Unit]) -> None:
        tokens = {unit: set(_tokens(unit.text)) for unit in units}
        share = Counter(token for found in tokens.values() for token in found)
        common = (
            {token for token, n in share.items() if n > _COMMON_SHARE * len(units)}
            if len(units) >= _COMMON_MIN_UNITS
            else set()
        )
        counts = Counter(t for unit in units for t in _tokens(unit.text) if t not in common)
        top = max(counts.values(), default=1)
        self._scores = {
            unit: self._score(unit, tokens[unit] - common, counts, top) for unit in units
        }

    @staticmethod
    def _score(unit: Unit, found: set[str], counts: Counter[str], top: int) -> float:
        if not found:
            return 0.0
        score = sum(counts[token] for token in found) / top / math.sqrt(len(found))
        score *= (1.0, 1.2, 1.5)[unit.lead]
        # A fragment of two or three content words says little.
        return score * 0.5 if len(found) < 3 else score

    def __call__(self, unit: Unit) -> float:
        return self._scores.get(unit, 0.0)


def condense(
    units: Sequence[Unit],
    score: Scorer,
    request: GenerationRequest,
    budget: float = MAX_CONTENT_SECONDS,
) -> list[Unit]:
    """The best units that fit `budget` seconds of speech, in their original order.

    Best first by score; a unit that would overrun the budget is skipped for a shorter one. The
    best unit is kept even when it alone is too long, so no slide is silent.
    """
    ranked = sorted(range(len(units)), key=lambda i: (-score(units[i]), i))
    chosen: list[int] = []
    spent = 0.0
    for index in ranked:
        cost = estimate_seconds(units[index].text, rate_wpm=request.rate, language=request.language)
        if spent + cost <= budget:
            chosen.append(index)
            spent += cost
    return [units[i] for i in sorted(chosen or ranked[:1])]
