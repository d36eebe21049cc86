"""The grounded extractive deck: slides made only of what retrieval found, each citing it.

The input is a `Grounding` (documents, best first) and the request. Every sentence spoken and
every bullet shown is cut from a document's own sentences (see `media.writer.extract`): nothing
is paraphrased or invented, so numbers, dates and names stay as written, and each slide lists
the ids of the sources it drew on. The deck is

1. a title slide: the topic, the main document's description as its subtitle, and the main
   document's first sentence (its definition, for an encyclopedia article) as its narration;
2. content slides: one per section of a document with headings (merged or split to fit, as the
   notes deck does), one per related article, the main article's other sentences split as
   needed; titled by the heading, the related article's title, or a key phrase of the passage;
   a document's picture goes on the slide of its section, as an `image` slide
   (`media.writer.pictures`);
3. a Sources slide: every source the deck drew on as "Title — origin (license)", with the
   Wikipedia credit its CC BY-SA 4.0 licence requires.

One slide is the title slide with the credit in its body and narration; two are the title and
the Sources slide. Material that cannot fill `num_slides` (each content slide needs two
sentences of its own) makes a shorter deck: never padding.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.media.phrases import phrases
from videogen.media.writer.drafts import Draft, bulleted, fill
from videogen.media.writer.extract import bullets_of, key_phrase
from videogen.media.writer.layouts import choose_layout
from videogen.media.writer.notes import Unit
from videogen.media.writer.notes_deck import _merge, _Piece
from videogen.media.writer.pictures import place_pictures
from videogen.media.writer.sentences import as_sentence, split_sentences
from videogen.media.writer.summarise import Scorer, condense
from videogen.media.writer.timing import estimate_seconds, is_cjk, word_units
from videogen.media.writer.words import bare, is_stopword

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from videogen.media.knowledge.model import Found, Grounding, SourceRef
    from videogen.media.models import GenerationRequest

__all__ = ["MAX_BULLETS", "grounded_deck", "is_wikipedia"]

# A content slide shows at most this many bullets, and needs at least `_MIN_BULLETS`.
MAX_BULLETS: Final = 4
_MIN_BULLETS: Final = 2
# A sentence shorter than this (in words) is a caption or a fragment, not a fact to tell.
_MIN_SENTENCE_WORDS: Final = 4
# A piece is split in two only when each half keeps this many sentences.
_MIN_SPLIT_UNITS: Final = 2
# The main article's sentences per slide, when it has to share the deck with related ones.
_MAIN_SENTENCES_PER_SLIDE: Final = 3
_CONNECTIVES: Final = ("connective_also", "connective_addition")
# A content slide's narration: what its bullets say, in full, within this many seconds (more
# than a notes slide's: a fact-dense source would otherwise lose the sentences its bullets show).
_SPOKEN_SECONDS: Final = 20.0


@dataclass(frozen=True, slots=True)
class _Passage(Unit):
    """A sentence of a source document, the id of the source it came from and the heading of
    its section (None: the lead), which places the document's pictures."""

    source: str = ""
    section: str | None = None


def is_wikipedia(ref: SourceRef) -> bool:
    """Whether `ref` is Wikipedia text (a wikipedia.org page or a Wikipedia ZIM file)."""
    return "wikipedia" in ref.origin.casefold() and ref.license.upper().startswith("CC BY-SA")


def _key(sentence: str) -> str:
    return " ".join(bare(word) for word in sentence.split())


def _doc_pieces(found: Found, language: str, seen: set[str], origin: int) -> list[_Piece]:
    """A document's sections as pieces, each sentence a `_Passage`; sentences already `seen`
    (in a better document) and fragments are left out, and a one-sentence section joins the
    piece before it (or after it, when first)."""
    pieces: list[_Piece] = []
    for section in found.document.sections:
        units: list[Unit] = []
        for paragraph in section.paragraphs:
            for index, sentence in enumerate(split_sentences(paragraph, language)):
                key = _key(sentence)
                if key in seen or word_units(sentence) < _MIN_SENTENCE_WORDS:
                    continue
                seen.add(key)
                lead = 2 if not units else int(index == 0)
                units.append(
                    _Passage(sentence, lead=lead, source=found.ref.id, section=section.heading)
                )
        if not units:
            continue
        if len(units) < _MIN_SPLIT_UNITS and pieces:
            pieces[-1].units.extend(units)
            continue
        if pieces and len(pieces[-1].units) < _MIN_SPLIT_UNITS:
            pieces[-1].units.extend(units)
            continue
        pieces.append(_Piece(origin + len(pieces), section.heading, units))
    return pieces


def _split(pieces: list[_Piece], count: int) -> list[_Piece]:
    """`pieces` with the heaviest cut in two at a paragraph start near its middle, until there
    are `count` or no piece has two sentences for each half."""
    pieces = list(pieces)
    while len(pieces) < count:
        splittable = [i for i, p in enumerate(pieces) if len(p.units) >= 2 * _MIN_SPLIT_UNITS]
        if not splittable:
            break
        index = max(
            splittable, key=lambda i: (sum(word_units(u.text) for u in pieces[i].units), -i)
        )
        piece = pieces[index]
        middle = len(piece.units) // 2
        starts = [
            i
            for i in range(_MIN_SPLIT_UNITS, len(piece.units) - _MIN_SPLIT_UNITS + 1)
            if piece.units[i].lead
        ]
        cut = min(starts, key=lambda i: abs(i - middle)) if starts else middle
        pieces[index : index + 1] = [
            _Piece(piece.origin, piece.title, piece.units[:cut]),
            # The second half keeps the heading: "How we work (2)" says where it belongs.
            _Piece(piece.origin, piece.title, piece.units[cut:]),
        ]
    return pieces


def _plan(grounding: Grounding, language: str, slots: int) -> tuple[_Passage | None, list[_Piece]]:
    """The title slide's definition and the content pieces, in the grounding's order.

    The main document comes first, merged into `slots` pieces if it has more sections; the
    others follow while they fit whole; then the heaviest pieces are split to fill `slots`.
    """
    seen: set[str] = set()
    ordered = sorted(grounding.found, key=lambda found: not found.main)
    chosen: list[_Piece] = []
    definition: _Passage | None = None
    for number, found in enumerate(ordered):
        pieces = _doc_pieces(found, language, seen, origin=1000 * number)
        if number == 0 and pieces:
            first = pieces[0].units.pop(0)
            assert isinstance(first, _Passage)
            definition = first
            if len(pieces) > 1 and len(pieces[0].units) < _MIN_SPLIT_UNITS:
                pieces[1].units[:0] = pieces[0].units
                pieces[1].title = pieces[1].title or pieces[0].title
                pieces.pop(0)
        # A piece of one sentence cannot show two bullets of its own: it is left out.
        pieces = [piece for piece in pieces if len(piece.units) >= _MIN_SPLIT_UNITS]
        if number == 0 and len(pieces) > slots > 1 and pieces[0].title is None:
            # Too many sections: the untitled lead joins the first headed one, keeping its title.
            pieces[1].units[:0] = pieces[0].units
            pieces.pop(0)
        if number == 0:
            chosen = _merge(pieces, slots) if len(pieces) > slots else pieces
            # The main article is what the deck is about: it gets a slide for about every
            # `_MAIN_SENTENCES_PER_SLIDE` sentences before related articles get any.
            sentences = sum(len(piece.units) for piece in chosen)
            wanted = min(slots, max(len(chosen), sentences // _MAIN_SENTENCES_PER_SLIDE))
            chosen = _split(chosen, wanted)
        elif pieces and len(chosen) + len(pieces) <= slots:
            for piece in pieces:
                piece.title = piece.title or found.document.title
            chosen.extend(pieces)
    return definition, _split(chosen, slots)


def _lowered(sentence: str, language: str, lower_words: set[str]) -> str | None:
    """`sentence` to follow a connective: its first word in lower case when that is safe (a
    stopword, or a word the sources also write in lower case), the sentence unchanged in a
    script without case; None when its first word is a name or opens with its own connective."""
    first = sentence.split(maxsplit=1)[0]
    if first.endswith((",", ":")):
        return None
    if first.lower() == first.upper():
        return sentence
    if first[0].islower():
        return sentence
    if is_stopword(first, language) or bare(first) in lower_words:
        return first[0].lower() + sentence[1:]
    return None


def _connected(
    table: Mapping[str, str], second: str, language: str, lower_words: set[str], turn: int
) -> str:
    """`second` led by the table's connective (alternating by `turn`), when it can be."""
    connective = table[_CONNECTIVES[turn % len(_CONNECTIVES)]]
    if connective.endswith((":", "：")):
        return f"{connective} {second}"
    lowered = _lowered(second, language, lower_words)
    if lowered is None:
        return second
    glue = "" if is_cjk(connective[-1]) or connective[-1] in "，、" else " "
    return f"{connective}{glue}{lowered}"


def _titles(pieces: Sequence[_Piece], topic: str, intro: str, language: str) -> list[str]:
    """Each piece's title: its heading (or related article's title), else a key phrase of its
    sentences; a title already used gets "(2)", "(3)"."""
    used: Counter[str] = Counter()
    titles: list[str] = []
    avoid = [topic, *(piece.title for piece in pieces if piece.title)]
    for piece in pieces:
        title = piece.title
        if title is None or title.casefold() == topic.casefold():
            title = key_phrase([u.text for u in piece.units], language, [*avoid, *titles])
        title = title or intro
        used[title.casefold()] += 1
        count = used[title.casefold()]
        titles.append(title if count == 1 else f"{title} ({count})")
    return titles


def _content_slide(
    piece: _Piece,
    title: str,
    score: Scorer,
    request: GenerationRequest,
    lower_words: set[str],
    turn: int,
) -> Draft:
    """One content slide: the piece's best sentences that fit about 12 s spoken, and bullets
    cut from those sentences first, then from the piece's other sentences."""
    table = phrases(request.language, request.tone)
    language = request.language
    spoken = condense(piece.units, score, request, _SPOKEN_SECONDS)
    first = piece.units[0]
    if first.lead == 2 and first not in spoken:
        # A section's or article's first sentence sets the scene ("Lava is ..."): it is said
        # first, and the best of the rest follow while they fit.
        budget = _SPOKEN_SECONDS - estimate_seconds(
            first.text, rate_wpm=request.rate, language=language
        )
        kept: list[Unit] = []
        for unit in spoken:
            cost = estimate_seconds(unit.text, rate_wpm=request.rate, language=language)
            if cost <= budget:
                kept.append(unit)
                budget -= cost
        spoken = [first, *kept]
    sentences = [as_sentence(unit.text, language) for unit in spoken]
    if len(sentences) >= 2 and turn % 2 == 0:
        sentences[1] = _connected(table, sentences[1], language, lower_words, turn // 2)
    # The bullets show what is said: one from each spoken sentence, two from the first when
    # that is all there is; the piece's unspoken sentences only when the spoken give too few.
    # A phrase cut mid-clause is taken only when clean cuts give too few.
    rest = sorted((u for u in piece.units if u not in spoken), key=lambda u: -score(u))
    bullets: list[str] = []
    drawn: list[Unit] = []

    def take(units: Sequence[Unit], enough: int, count: int, clean: bool) -> None:
        for unit in units:
            if len(bullets) >= enough:
                return
            found = [
                b for b in bullets_of(unit.text, language, count, clean=clean) if b not in bullets
            ]
            if found:
                bullets.extend(found[: enough - len(bullets)])
                drawn.append(unit)

    take(spoken, MAX_BULLETS, 1, True)
    take(spoken[:1], _MIN_BULLETS, _MIN_BULLETS, True)
    take(rest, _MIN_BULLETS, 1, True)
    take(spoken, _MIN_BULLETS, 1, False)
    take(rest, _MIN_BULLETS, 1, False)
    sources = dict.fromkeys(u.source for u in [*spoken, *drawn] if isinstance(u, _Passage))
    narration = " ".join(sentences)
    # The layout reads the whole sentences the bullets were cut from, not only their phrases:
    # "Of the estimated 70–85 million deaths" is one figure, its sentence a chart of three.
    cut_from = [as_sentence(u.text, language) for u in drawn if u not in spoken]
    layout, visuals = choose_layout(title, bullets, " ".join([narration, *cut_from]), language)
    return bulleted(
        title,
        bullets,
        narration,
        f"{request.topic} {title}",
        layout=layout,
        sources=tuple(sources),
        visuals=visuals,
    )


def _sources_slide(table: Mapping[str, str], refs: Sequence[SourceRef], topic: str) -> Draft:
    """The closing credits: the Wikipedia credit line when Wikipedia text was used, then each
    source as "Title — origin (license)"."""
    wikipedia = any(is_wikipedia(ref) for ref in refs)
    bullets = [table["sources_wikipedia"]] if wikipedia else []
    bullets.extend(f"{ref.title} — {ref.origin} ({ref.license})" for ref in refs)
    say = table["sources_say_wikipedia" if wikipedia else "sources_say"]
    return bulleted(
        table["sources_title"],
        bullets,
        say,
        f"{topic} sources",
        layout="sources",
        sources=tuple(ref.id for ref in refs),
    )


def grounded_deck(request: GenerationRequest, grounding: Grounding) -> list[Draft]:
    """The deck of `grounding` for `request` (see the module's docstring).

    Exactly `request.num_slides` slides when the documents hold enough sentences; fewer (title,
    what there is, Sources) when they do not: a content slide is never padded. Deterministic.
    Raises ValueError when `grounding` found nothing (the caller falls back to the topic deck).
    """
    if not grounding.found:
        raise ValueError("a grounded deck needs at least one document")
    table = phrases(request.language, request.tone)
    language, topic = request.language, request.topic
    main = next((found for found in grounding.found if found.main), grounding.found[0])
    definition, pieces = _plan(grounding, language, max(1, request.num_slides - 2))
    if request.num_slides <= 2:
        pieces = []
    described = main.document.description
    subtitle = (
        described[:1].upper() + described[1:] if described else fill(table["subtitle"], topic)
    )
    opening = (
        as_sentence(definition.text, language) if definition else fill(table["welcome"], topic)
    )
    titles = _titles(pieces, topic, table["intro_title"], language)
    score = Scorer([unit for piece in pieces for unit in piece.units])
    # Words the sources write in lower case: common nouns, safe to lower after a connective.
    lower_words = {
        bare(word)
        for found in grounding.found
        for word in found.document.text.split()
        if word.islower()
    }
    content = [
        _content_slide(piece, title, score, request, lower_words, turn)
        for turn, (piece, title) in enumerate(zip(pieces, titles, strict=True))
    ]
    origins = [
        frozenset((u.source, u.section) for u in piece.units if isinstance(u, _Passage))
        for piece in pieces
    ]
    content = place_pictures(content, origins, grounding.found)
    cited = {definition.source} if definition else {main.ref.id}
    cited.update(source for draft in content for source in draft.sources)
    refs = [found.ref for found in grounding.found if found.ref.id in cited]
    if request.num_slides == 1:
        closing = _sources_slide(table, refs, topic)
        credit = "\n".join(closing.bullets)
        return [
            Draft(
                topic,
                f"{subtitle}\n{credit}",
                f"{opening} {closing.narration}",
                (),
                topic,
                "title",
                tuple(ref.id for ref in refs),
            )
        ]
    opened = (definition.source,) if definition else ()
    first = Draft(topic, subtitle, opening, (), topic, "title", opened)
    return [first, *content, _sources_slide(table, refs, topic)]
