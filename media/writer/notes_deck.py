"""Source 2, the user's notes: sections fitted to the slide count, long ones condensed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media.phrases import phrases
from videogen.media.writer.drafts import Draft, bulleted, summary_slide, title_slide
from videogen.media.writer.layouts import choose_layout, code_block
from videogen.media.writer.sentences import TERMINAL, as_sentence, bullets_from_text
from videogen.media.writer.summarise import Scorer, condense
from videogen.media.writer.timing import word_units

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from videogen.media.models import GenerationRequest
    from videogen.media.writer.notes import Section, Unit

__all__ = ["notes_deck"]

# A slide built from notes shows at most this many of their bullets.
_MAX_NOTE_BULLETS: Final = 6


@dataclass(slots=True)
class _Piece:
    """The material of one slide: a section, part of one, or several merged."""

    origin: int  # the index of its (first) section, to number the parts of a split section
    title: str | None
    units: list[Unit]


def _weight(units: Iterable[Unit]) -> float:
    return sum(word_units(unit.text) for unit in units)


def _merge(pieces: list[_Piece], count: int) -> list[_Piece]:
    """`pieces` merged, neighbours only, into `count` groups of about equal length."""
    weights = [_weight(piece.units) for piece in pieces]
    merged: list[_Piece] = []
    start = 0
    for group in range(count):
        left = count - group  # groups still to make, this one included
        end = start + 1
        if left == 1:
            end = len(pieces)
        else:
            target = sum(weights[start:]) / left
            size = weights[start]
            # Leave at least one piece for each later group; take the next piece while that
            # keeps this group nearer the target than stopping would.
            while end <= len(pieces) - left and size + weights[end] / 2 <= target:
                size += weights[end]
                end += 1
        group_pieces = pieces[start:end]
        units = [unit for piece in group_pieces for unit in piece.units]
        merged.append(_Piece(group_pieces[0].origin, group_pieces[0].title, units))
        start = end
    return merged


def _split_point(units: Sequence[Unit]) -> int:
    """Where to cut `units` in two: the paragraph start nearest the middle, else the middle."""
    middle = len(units) / 2
    starts = [i for i in range(1, len(units)) if units[i].lead]
    return min(starts, key=lambda i: abs(i - middle)) if starts else len(units) // 2


def _split(pieces: list[_Piece], count: int) -> list[_Piece]:
    """`pieces` with the longest cut in two, again and again, until there are `count` (or every
    piece is a single unit: tiny notes make fewer slides)."""
    pieces = list(pieces)
    while len(pieces) < count:
        splittable = [i for i, piece in enumerate(pieces) if len(piece.units) >= 2]
        if not splittable:
            break
        index = max(splittable, key=lambda i: (_weight(pieces[i].units), -i))
        piece = pieces[index]
        cut = _split_point(piece.units)
        halves = [
            _Piece(piece.origin, piece.title, piece.units[:cut]),
            _Piece(piece.origin, piece.title, piece.units[cut:]),
        ]
        pieces[index : index + 1] = halves
    return pieces


def _headline(text: str) -> str:
    """A sentence cut down to a title: its first seven words (or sixteen CJK characters)."""
    text = text.rstrip("".join(TERMINAL) + " ")
    words = text.split()
    if len(words) <= 1 and len(text) > 16:
        return text[:16] + "…"
    return text if len(words) <= 8 else " ".join(words[:7]) + "…"


def _piece_titles(pieces: Sequence[_Piece], intro: str, topic: str, score: Scorer) -> list[str]:
    """Slide titles: the heading, numbered "(2)", "(3)" for later parts of a split section.

    Text before any heading is the introduction; later parts of it, having no heading, are named
    after their best sentence (numbered when that sentence is all they hold). A heading that
    merely repeats the topic is the introduction too.
    """
    titles: list[str] = []
    parts: Counter[int] = Counter()
    for piece in pieces:
        parts[piece.origin] += 1
        part = parts[piece.origin]
        heading = piece.title
        if heading is not None and heading.casefold() == topic.casefold():
            heading = None
        if heading is None and part > 1 and len(piece.units) > 1:
            titles.append(_headline(max(piece.units, key=score).text))
        elif heading is None:
            titles.append(intro if part == 1 else f"{intro} ({part})")
        else:
            titles.append(heading if part == 1 else f"{heading} ({part})")
    return titles


def _shown(piece: _Piece, spoken: Sequence[Unit], score: Scorer) -> list[Unit]:
    """What a slide with bullets lists: its bullets and the sentences it speaks, in order; at
    most `_MAX_NOTE_BULLETS`, spoken units first, then the best of the rest."""
    candidates = [unit for unit in piece.units if unit.bullet or unit in spoken]
    if len(candidates) <= _MAX_NOTE_BULLETS:
        return candidates
    ranked = sorted(candidates, key=lambda unit: (unit not in spoken, -score(unit)))
    keep = set(ranked[:_MAX_NOTE_BULLETS])
    return [unit for unit in candidates if unit in keep]


def _code_slide(draft: Draft, code: tuple[str, str]) -> Draft:
    """`draft` as a code slide: its body the listing; its narration and bullets the notes' own
    prose (code read aloud symbol by symbol is noise)."""
    body = code_block(*code)
    return Draft(draft.title, body, draft.narration, draft.bullets, draft.image_keyword, "code")


def _piece_slide(piece: _Piece, title: str, score: Scorer, request: GenerationRequest) -> Draft:
    """One slide of notes. The narration is the condensed notes (bullets read as sentences).
    Notes with a bullet list show it, with any spoken sentence among the bullets; plain
    paragraphs show the condensed text itself. The layout is chosen from those words as the
    grounded deck's is (`choose_layout`): numbered steps make a process, figures a chart."""
    spoken = condense(piece.units, score, request)
    narration = " ".join(as_sentence(unit.text, request.language) for unit in spoken)
    keyword = f"{request.topic} {title}"
    if any(unit.bullet for unit in piece.units):
        shown = _shown(piece, spoken, score)
        items = [unit.text if unit.bullet else unit.text.rstrip(".。।") for unit in shown]
        # A numbered list names steps in order: the chooser sees its numbers.
        said = [
            f"{n}. {text}" if u.numbered else text
            for n, (u, text) in enumerate(zip(shown, items, strict=True), start=1)
        ]
    else:
        items = said = list(bullets_from_text(narration))
    layout, visuals = choose_layout(title, said, narration, request.language)
    if any(unit.bullet for unit in piece.units) or layout != "bullets":
        return bulleted(title, items, narration, keyword, layout=layout, visuals=visuals)
    return Draft(title, narration, narration, tuple(items), keyword)


def notes_deck(request: GenerationRequest, sections: list[Section]) -> list[Draft]:
    """A title slide, then the notes fitted to the other `num_slides - 1` slides.

    Notes too small to fill them (each slide needs a sentence or a bullet of its own) make a
    shorter deck, closed by a summary slide.
    """
    table = phrases(request.language, request.tone)
    topic, slots = request.topic, request.num_slides - 1
    first = title_slide(table, topic)
    if slots == 0:
        return [first]
    pieces = [_Piece(i, section.title, section.units) for i, section in enumerate(sections)]
    pieces = _merge(pieces, slots) if len(pieces) > slots else _split(pieces, slots)
    score = Scorer([unit for section in sections for unit in section.units])
    titles = _piece_titles(pieces, table["intro_title"], topic, score)
    deck = [first]
    shown: set[int] = set()
    for piece, title in zip(pieces, titles, strict=True):
        draft = _piece_slide(piece, title, score, request)
        code = sections[piece.origin].code
        # A section's first listing goes on its first slide.
        if code and piece.origin not in shown:
            draft = _code_slide(draft, code[0])
        shown.add(piece.origin)
        deck.append(draft)
    if len(pieces) < slots:
        deck.append(summary_slide(table, topic, titles if len(titles) >= 2 else None))
    return deck
