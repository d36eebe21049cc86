"""The faithfulness check: is each claim a deck makes found in a source passage?

A claim is a bullet, or a sentence of a narration, of a content slide. It is supported when
its numbers all appear in one passage (a source sentence, or two adjacent ones of the same
paragraph) and at least `SUPPORT_SHARE` of its content words do too (case-folded, crudely
stemmed: see `media.writer.words`; CJK by character pairs). A connective from the language's
phrase table that opens a sentence ("Also,") is not part of the claim. A claim without content
words or numbers ("Let us begin.") asserts nothing and is not counted.

Title and Sources slides are not checked: a title slide shows the topic and a subtitle, a
Sources slide the credits; the caller passes only the content slides (`claims` does this for
drafts). Any writer's output can be checked: nothing assumes the extractive deck wrote it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media.models import Faithfulness, Unsupported
from videogen.media.phrases import phrases
from videogen.media.writer.sentences import split_sentences
from videogen.media.writer.words import content_stems, numbers

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.knowledge.model import Grounding
    from videogen.media.writer.drafts import Draft

__all__ = ["SUPPORT_SHARE", "Claimed", "assess", "claims"]

# The share of a claim's content words one passage must hold. Tuned on the bench: copied and
# cut-down sentences score 1.0; a made-up sentence on the topic scores well under 0.5.
SUPPORT_SHARE: Final = 0.7
# Layouts whose slides hold no claims to check.
_NOT_CLAIMS: Final = frozenset({"title", "sources"})
_CONNECTIVE_KEYS: Final = ("connective_also", "connective_addition")


@dataclass(frozen=True)
class Claimed:
    """What one slide claims: its bullets and its narration (split into sentences here)."""

    slide_number: int
    bullets: tuple[str, ...]
    narration: str


@dataclass(frozen=True, slots=True)
class _Passage:
    stems: frozenset[str]
    numbers: frozenset[str]


class _Index:
    """The source passages of a grounding, with an index from stem to passages."""

    def __init__(self, grounding: Grounding, language: str) -> None:
        self.passages: list[_Passage] = []
        for found in grounding.found:
            for section in found.document.sections:
                for paragraph in section.paragraphs:
                    sentences = [
                        _Passage(frozenset(content_stems(s, language)), frozenset(numbers(s)))
                        for s in split_sentences(paragraph, language)
                    ]
                    self.passages.extend(sentences)
                    self.passages.extend(
                        _Passage(a.stems | b.stems, a.numbers | b.numbers)
                        for a, b in itertools.pairwise(sentences)
                    )
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        for index, passage in enumerate(self.passages):
            for found_stem in passage.stems:
                self.by_stem[found_stem].append(index)

    def supports(self, stems: set[str], figures: set[str]) -> bool:
        """Whether one passage holds every number and `SUPPORT_SHARE` of the stems."""
        hits: dict[int, int] = defaultdict(int)
        for claim_stem in stems:
            for index in self.by_stem.get(claim_stem, ()):
                hits[index] += 1
        if not stems:
            candidates = range(len(self.passages))
            return any(figures <= self.passages[i].numbers for i in candidates)
        need = SUPPORT_SHARE * len(stems)
        return any(
            count >= need and figures <= self.passages[index].numbers
            for index, count in hits.items()
        )


def _without_connective(sentence: str, connectives: Sequence[str]) -> str:
    for connective in connectives:
        if sentence.startswith(connective):
            return sentence[len(connective) :].lstrip()
    return sentence


def assess(slides: Sequence[Claimed], grounding: Grounding, language: str) -> Faithfulness:
    """Each bullet and narration sentence of `slides` matched against `grounding`'s passages.

    `sentences` counts the claims checked, `supported` + `unsupported` == `sentences`, and
    `flagged` holds each unsupported claim with its slide's number, in deck order. Raises
    ValueError for a language without a phrase table (not a validated request's).
    """
    table = phrases(language, "formal")
    connectives = [table[key] for key in _CONNECTIVE_KEYS]
    index = _Index(grounding, language)
    supported = 0
    flagged: list[Unsupported] = []
    for slide in slides:
        spoken = split_sentences(slide.narration, language)
        for text in [*slide.bullets, *spoken]:
            claim = _without_connective(text, connectives)
            stems, figures = set(content_stems(claim, language)), numbers(claim)
            if not stems and not figures:
                continue
            if index.supports(stems, figures):
                supported += 1
            else:
                flagged.append(Unsupported(slide_number=slide.slide_number, text=text))
    return Faithfulness(
        supported=supported,
        unsupported=len(flagged),
        sentences=supported + len(flagged),
        flagged=tuple(flagged),
    )


def claims(drafts: Sequence[Draft]) -> list[Claimed]:
    """The claims of a deck's drafts, numbered from 1: every slide but title and Sources."""
    return [
        Claimed(number, draft.bullets, draft.narration)
        for number, draft in enumerate(drafts, start=1)
        if draft.layout not in _NOT_CLAIMS
    ]
