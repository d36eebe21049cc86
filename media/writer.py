"""The offline writer: a request becomes the deck's content and its narration, with no network.

Three sources, in order of precedence:

1. the user's own slides (`request.slides`), used as given;
2. the user's notes (`request.source_text`, plain text or markdown): split at their headings,
   fitted to the slide count, and condensed by an extractive summary when they are long;
3. the topic alone: a generic but well-structured deck, worded in the request's language and tone
   from the tables in `media.phrases`.

Everything is deterministic and there is no shared mutable state: `plan_deck` builds every slide
and its narration from the request alone, and `write_content` and `write_script` both call it, so
one writer serves any number of threads at once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Protocol

from media.languages import LANGUAGES
from media.models import Content, Script, Slide, SlideScript
from media.phrases import SECTION_PRIORITY, SECTIONS, phrases, section_key

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from media.models import GenerationRequest

__all__ = [
    "ANIMATION_DESCRIPTION",
    "MAX_CONTENT_SECONDS",
    "MIN_SLIDE_SECONDS",
    "OfflineWriter",
    "Writer",
    "bullets_from_text",
    "estimate_seconds",
    "narration_from_text",
    "plan_deck",
    "split_sentences",
]

ANIMATION_DESCRIPTION: Final = "Reveal the bullet points one by one as the narration reaches them"
# The longest narration a content slide gets from the notes; the phrase tables aim at 6-12 s.
MAX_CONTENT_SECONDS: Final = 12.0
# A slide stays up at least this long, however short its narration, so it can be read.
MIN_SLIDE_SECONDS: Final = 2.0
# A sentence this long (in words) is too long to be a bullet.
_SHORT_BULLET_WORDS: Final = 20
# A slide built from notes shows at most this many of their bullets.
_MAX_NOTE_BULLETS: Final = 6
# Speech rate that `_CJK_CHARS_PER_SECOND` is measured at.
_CJK_REFERENCE_WPM: Final = 175
_CJK_CHARS_PER_SECOND: Final = 4.0


class Writer(Protocol):
    """Writes what the slides say and what the narrator says."""

    name: str

    def write_content(self, request: GenerationRequest) -> Content: ...

    def write_script(self, request: GenerationRequest, content: Content) -> Script: ...


# --- measuring speech ----------------------------------------------------------------------------


def _is_cjk(char: str) -> bool:
    """Whether `char` is a Han, kana or Hangul character (spoken one syllable each)."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0xAC00 <= code <= 0xD7AF  # Hangul syllables
        or 0xFF66 <= code <= 0xFF9F  # half-width katakana
    )


def _word_units(text: str) -> float:
    """The length of `text` in spoken words: CJK characters count as a fraction of a word.

    At the reference rate a word takes 60/175 s and a CJK character 1/4 s, so one character is
    175/240 of a word; other tokens with a letter or digit count one each.
    """
    words = 0
    chars = 0
    for token in text.split():
        cjk = sum(1 for char in token if _is_cjk(char))
        chars += cjk
        if any(char.isalnum() and not _is_cjk(char) for char in token):
            words += 1
    return words + chars * _CJK_REFERENCE_WPM / (60 * _CJK_CHARS_PER_SECOND)


def estimate_seconds(text: str, *, rate_wpm: int, language: str) -> float:
    """How long `text` takes to say at `rate_wpm` words per minute.

    Words are counted between spaces; Chinese and Japanese (and any Han, kana or Hangul inside
    other text) are counted by character, about 4 characters a second at 175 words per minute,
    scaled with the rate. Pauses are not counted: speech measures the real length later.
    Raises ValueError for a rate that is not positive or a language not in `LANGUAGES`.
    """
    if rate_wpm <= 0:
        raise ValueError(f"rate_wpm must be positive, got {rate_wpm}")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    return _word_units(text) * 60.0 / rate_wpm


def _slide_seconds(narration: str, request: GenerationRequest) -> float:
    """A slide's duration: its narration's estimate to 0.1 s, never under `MIN_SLIDE_SECONDS`."""
    seconds = estimate_seconds(narration, rate_wpm=request.rate, language=request.language)
    return max(MIN_SLIDE_SECONDS, round(seconds, 1))


# --- sentences and bullets -----------------------------------------------------------------------

# Latin full stops end a sentence only before a space or the end (not in "3.5" or "example.com");
# the danda and the CJK and Arabic marks end one wherever they are.
_SENTENCE_END: Final = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s|$)|[।॥。！？؟]+[\"'”’»)\]」』]*")
_ABBREVIATIONS: Final = frozenset(
    {"e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "fig", "no", "cf", "approx"}
)
_TERMINAL: Final = frozenset(".!?।॥。！？؟…")
# The full stop a narration gets when a line of the user's lacks one.
_FULL_STOP: Final[dict[str, str]] = {
    "hindi": "।",
    "bengali": "।",
    "punjabi": "।",
    "odia": "।",
    "chinese": "。",
    "japanese": "。",
}
# "- item", "* item", "• item", "1. item", "2) item".
_BULLET_MARKER: Final = re.compile(r"^\s*(?:[•‣◦▪]\s*|[-*+–]\s+|\d{1,3}[.)]\s+)(?=\S)")


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation such as "e.g." or "Dr."."""
    before = text[:dot].split()
    return bool(before) and before[-1].lstrip("([\"'").casefold() in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each keeping its closing punctuation, whitespace collapsed.

    Sentences end at `.`, `!`, `?` (followed by a space or the end, and not after a common
    abbreviation), at the Devanagari danda `।`, at the CJK `。！？` and at the Arabic `؟`.
    Trailing text without closing punctuation is the last sentence.
    """
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start()):
            continue
        sentence = " ".join(text[start : match.end()].split())
        if sentence:
            sentences.append(sentence)
        start = match.end()
    tail = " ".join(text[start:].split())
    if tail:
        sentences.append(tail)
    return sentences


def _strip_marker(line: str) -> str:
    """`line` without its bullet marker and outer whitespace."""
    return _BULLET_MARKER.sub("", line, count=1).strip()


def _as_sentence(text: str, language: str) -> str:
    """`text` ending in sentence punctuation: when it has none, a full stop (the language's own
    after its own script, "." after Latin letters and digits, as in English notes)."""
    text = text.strip()
    core = text.rstrip("\"'”’»)]」』")
    if not core or core[-1] in _TERMINAL:
        return text
    return text + ("." if core[-1].isascii() else _FULL_STOP.get(language, "."))


def _is_short(sentence: str) -> bool:
    """Whether a sentence is short enough to be a bullet."""
    return _word_units(sentence) <= _SHORT_BULLET_WORDS


def bullets_from_text(text: str) -> tuple[str, ...]:
    """The bullets of a slide body.

    Several lines: one bullet per non-empty line, without its marker ("-", "•", "*", "1."). One
    line with a marker: that bullet. One paragraph: its sentences, when there are several and all
    are short (a sentence's final full stop is dropped); else no bullets.
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return tuple(item for item in map(_strip_marker, lines) if item)
    if not lines:
        return ()
    if _BULLET_MARKER.match(lines[0]):
        return (_strip_marker(lines[0]),)
    sentences = split_sentences(lines[0])
    if len(sentences) > 1 and all(map(_is_short, sentences)):
        return tuple(sentence.rstrip(".。।") for sentence in sentences)
    return ()


def narration_from_text(text: str, language: str) -> str:
    """A body text made speakable: markers dropped, each line a sentence, lines joined."""
    lines = (_strip_marker(line) for line in text.splitlines())
    return " ".join(_as_sentence(line, language) for line in lines if line)


def _body(bullets: Sequence[str]) -> str:
    """The `content_text` of a bulleted slide: one "- " line per bullet (the renderer's form)."""
    return "\n".join(f"- {bullet}" for bullet in bullets)


# --- filling templates ---------------------------------------------------------------------------

_PLACEHOLDER: Final = re.compile(r"\{(topic|point)\}")
_SENTENCE_START: Final = re.compile(r"(?:^|[.!?]\s+)$")


def _capitalized(value: str) -> str:
    """`value` with a capital first letter if its first word is all lower case ("iPhone" stays)."""
    first = value.split(maxsplit=1)[0] if value.strip() else ""
    return value[0].upper() + value[1:] if first.islower() else value


def _fill(template: str, topic: str, point: str = "") -> str:
    """A phrase template with `{topic}` and `{point}` filled in (one pass, so values stay as given;
    a value that starts a sentence gets a capital letter when it has none)."""
    values = {"topic": topic, "point": point}

    def replace(match: re.Match[str]) -> str:
        value = values[match.group(1)]
        starts = _SENTENCE_START.search(template, 0, match.start()) is not None
        return _capitalized(value) if starts else value

    return _PLACEHOLDER.sub(replace, template)


# --- the deck, before numbering ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Draft:
    """One slide and its narration, before it is numbered and timed."""

    title: str
    content_text: str
    narration: str
    bullets: tuple[str, ...] = ()
    image_keyword: str = ""


def _bulleted(title: str, bullets: Sequence[str], narration: str, keyword: str) -> _Draft:
    """A slide whose body is its bullets."""
    return _Draft(title, _body(bullets), narration, tuple(bullets), keyword)


def _title_slide(table: Mapping[str, str], topic: str) -> _Draft:
    """Slide 1: the topic, a one-line subtitle and a short welcome."""
    return _Draft(topic, _fill(table["subtitle"], topic), _fill(table["welcome"], topic), (), topic)


def _summary_slide(
    table: Mapping[str, str], topic: str, bullets: Sequence[str] | None = None
) -> _Draft:
    """The closing slide: key takeaways (`bullets`, else the table's three) and a farewell."""
    points = bullets or [_fill(table[f"summary_{i}"], topic) for i in (1, 2, 3)]
    narration = _fill(table["summary_say"], topic)
    return _bulleted(table["summary_title"], points, narration, f"{topic} summary")


# --- source 3: the topic alone -------------------------------------------------------------------

# An English keyword per section for image search (images stay off offline, the keyword is kept).
_IMAGE_WORDS: Final[dict[str, str]] = {
    "what": "definition",
    "history": "history",
    "why": "importance",
    "how": "process",
    "ideas": "key concepts",
    "examples": "real world examples",
    "myths": "myths",
    "challenges": "challenges",
    "start": "beginners",
    "future": "future",
}
# The pairs of "lens" bullets that closer-look slides cycle through.
_LENS_PAIRS: Final[tuple[tuple[int, int], ...]] = ((1, 2), (3, 4), (1, 3), (2, 4), (1, 4), (2, 3))
_BULLETS_PER_SECTION: Final = 3
# The most middle slides a topic deck can fill: each section, then a closer look at each bullet.
_MAX_MIDDLE: Final = len(SECTIONS) * (1 + _BULLETS_PER_SECTION)


def _section_plan(count: int) -> list[tuple[str, list[int]]]:
    """Which sections fill `count` middle slides, in telling order, each with the bullets that
    get a closer-look slide of their own (only when there are more slides than sections).

    Raises ValueError when `count` is more than the sections and their bullets can fill.
    """
    if count > _MAX_MIDDLE:
        raise ValueError(f"a topic deck has at most {_MAX_MIDDLE} middle slides, not {count}")
    chosen = set(SECTION_PRIORITY[:count])
    closer: dict[str, list[int]] = {section: [] for section in chosen}
    extra = count - len(chosen)
    # Closer looks go round the sections by priority: every section's first bullet, then seconds.
    for bullet in range(1, _BULLETS_PER_SECTION + 1):
        for section in SECTION_PRIORITY[:extra]:
            closer[section].append(bullet)
        extra = max(0, extra - len(SECTION_PRIORITY))
    return [(section, closer[section]) for section in SECTIONS if section in chosen]


def _section_slide(table: Mapping[str, str], topic: str, section: str) -> _Draft:
    """A section's slide: its title, three bullets, and a narration that talks about them."""
    bullets = [_fill(table[section_key(section, str(i))], topic) for i in (1, 2, 3)]
    return _bulleted(
        _fill(table[section_key(section, "title")], topic),
        bullets,
        _fill(table[section_key(section, "say")], topic),
        f"{topic} {_IMAGE_WORDS[section]}",
    )


def _closer_slide(
    table: Mapping[str, str], topic: str, section: str, bullet: int, turn: int
) -> _Draft:
    """A closer look at one bullet of a section; `turn` picks its pair of lens bullets."""
    point = _fill(table[section_key(section, str(bullet))], topic)
    lenses = [_fill(table[f"lens_{i}"], topic) for i in _LENS_PAIRS[turn % len(_LENS_PAIRS)]]
    narration = _fill(table["closer_say"], topic, point)
    return _bulleted(point, lenses, narration, f"{topic} {_IMAGE_WORDS[section]}")


def _topic_deck(request: GenerationRequest) -> list[_Draft]:
    """Exactly `num_slides` slides: title, overview (from 5 slides), sections, summary.

    1 slide is the title alone; 2 add the summary; 3 and 4 put one and two sections between them.
    """
    table = phrases(request.language, request.tone)
    topic, count = request.topic, request.num_slides
    first = _title_slide(table, topic)
    if count == 1:
        return [first]
    # An agenda of one or two items is not worth a slide of its own.
    overview = count >= 5
    middle: list[_Draft] = []
    agenda: list[str] = []
    for section, closer in _section_plan(count - 2 - int(overview)):
        middle.append(_section_slide(table, topic, section))
        agenda.append(middle[-1].title)
        for bullet in closer:
            middle.append(_closer_slide(table, topic, section, bullet, turn=len(middle)))
    if overview:
        say = _fill(table["overview_say"], topic)
        middle.insert(0, _bulleted(table["overview_title"], agenda, say, f"{topic} overview"))
    return [first, *middle, _summary_slide(table, topic)]


# --- source 2: the user's notes ------------------------------------------------------------------

_ATX_HEADING: Final = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?\s*#*\s*$")
_UNDERLINE: Final = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE: Final = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_FENCE: Final = re.compile(r"^\s*(?:```|~~~)")
_QUOTE: Final = re.compile(r"^\s{0,3}>\s?")
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
    if not text or _BULLET_MARKER.match(line):
        return False
    words = text.split()
    return (
        len(words) <= _HEADING_WORDS
        and len(text) <= _HEADING_CHARS
        and text[-1] not in _TERMINAL | {",", ";", "，", "；"}
        and not text[0].islower()
    )


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence of the notes, or one of their bullets.

    `lead` is where it stands: 2 first in its section, 1 first in its paragraph, else 0.
    """

    text: str
    bullet: bool = False
    lead: int = 0


@dataclass(slots=True)
class _Section:
    """A heading of the notes (None before the first) and what stands under it."""

    title: str | None
    units: list[_Unit] = field(default_factory=list)


def _join_lines(lines: Iterable[str]) -> str:
    """Lines of one paragraph as one text: CJK lines join without a space."""
    text = ""
    for line in (line.strip() for line in lines):
        glue = "" if text and _is_cjk(text[-1]) and line and _is_cjk(line[0]) else " "
        text = f"{text}{glue}{line}" if text else line
    return text


class _NotesParser:
    """Splits notes into sections at headings: `#` lines, underlined lines, and short lines that
    stand alone before a blank line. One parser per call; nothing is shared."""

    def __init__(self) -> None:
        self.sections: list[_Section] = [_Section(None)]
        self._paragraph: list[str] = []
        self._bullet: list[str] = []
        self._fresh = True  # at the start of a block: after a blank line, a heading or the start

    def parse(self, text: str) -> list[_Section]:
        """The sections of `text` that have something under their heading."""
        lines = text.splitlines()
        fenced = skip = False
        for index, raw in enumerate(lines):
            if skip:
                skip = False
                continue
            if _FENCE.match(raw):
                fenced = not fenced
                self._end_block()
                continue
            if not fenced:
                following = lines[index + 1] if index + 1 < len(lines) else None
                skip = self._line(_QUOTE.sub("", raw, count=1), following)
        self._end_block()
        return [section for section in self.sections if section.units]

    def _line(self, line: str, following: str | None) -> bool:
        """Take one line; True when it also used up the next (a heading's underline)."""
        if not line.strip() or _RULE.match(line):
            self._end_block()
            return False
        heading = _ATX_HEADING.match(line)
        underlined = following is not None and _UNDERLINE.match(following) is not None
        if heading or (self._fresh and underlined and not _BULLET_MARKER.match(line)):
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
        if _BULLET_MARKER.match(line):
            self._end_block()
            self._bullet = [_strip_marker(line)]
        elif self._bullet:
            self._bullet.append(line)
        else:
            self._paragraph.append(line)
        self._fresh = False

    def _start_section(self, title: str) -> None:
        self._end_block()
        self.sections.append(_Section(_heading_text(title) or None))
        self._fresh = True

    def _end_block(self) -> None:
        """Close the open paragraph or bullet."""
        section = self.sections[-1]
        if self._bullet:
            text = _clean_inline(" ".join(self._bullet))
            if text:
                section.units.append(_Unit(text, bullet=True, lead=0 if section.units else 2))
        if self._paragraph:
            sentences = split_sentences(_clean_inline(_join_lines(self._paragraph)))
            for index, sentence in enumerate(sentences):
                lead = 2 if not section.units else int(index == 0)
                section.units.append(_Unit(sentence, lead=lead))
        self._bullet, self._paragraph = [], []
        self._fresh = True


# Words that carry no content, for scoring English notes; other languages rely on the
# document-frequency cut in `_Scorer`.
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
        run = "".join(char for char in word if _is_cjk(char))
        if run:
            tokens.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        elif len(word) > 2 and word not in _STOPWORDS:
            tokens.append(word)
    return tokens


class _Scorer:
    """Scores units of the notes for an extractive summary: how many of the notes' frequent
    content words a unit holds (sublinear in its length), with a bonus for leading a section or a
    paragraph. Built once per call from all the units."""

    def __init__(self, units: Sequence[_Unit]) -> None:
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
    def _score(unit: _Unit, found: set[str], counts: Counter[str], top: int) -> float:
        if not found:
            return 0.0
        score = sum(counts[token] for token in found) / top / math.sqrt(len(found))
        score *= (1.0, 1.2, 1.5)[unit.lead]
        # A fragment of two or three content words says little.
        return score * 0.5 if len(found) < 3 else score

    def __call__(self, unit: _Unit) -> float:
        return self._scores.get(unit, 0.0)


@dataclass(slots=True)
class _Piece:
    """The material of one slide: a section, part of one, or several merged."""

    origin: int  # the index of its (first) section, to number the parts of a split section
    title: str | None
    units: list[_Unit]


def _weight(units: Iterable[_Unit]) -> float:
    return sum(_word_units(unit.text) for unit in units)


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


def _split_point(units: Sequence[_Unit]) -> int:
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
    text = text.rstrip("".join(_TERMINAL) + " ")
    words = text.split()
    if len(words) <= 1 and len(text) > 16:
        return text[:16] + "…"
    return text if len(words) <= 8 else " ".join(words[:7]) + "…"


def _piece_titles(pieces: Sequence[_Piece], intro: str, topic: str, score: _Scorer) -> list[str]:
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


def _condense(units: Sequence[_Unit], score: _Scorer, request: GenerationRequest) -> list[_Unit]:
    """The best units that fit `MAX_CONTENT_SECONDS` of speech, in their original order.

    Best first by score; a unit that would overrun the budget is skipped for a shorter one. The
    best unit is kept even when it alone is too long, so no slide is silent.
    """
    ranked = sorted(range(len(units)), key=lambda i: (-score(units[i]), i))
    chosen: list[int] = []
    spent = 0.0
    for index in ranked:
        cost = estimate_seconds(units[index].text, rate_wpm=request.rate, language=request.language)
        if spent + cost <= MAX_CONTENT_SECONDS:
            chosen.append(index)
            spent += cost
    return [units[i] for i in sorted(chosen or ranked[:1])]


def _shown(piece: _Piece, spoken: Sequence[_Unit], score: _Scorer) -> list[_Unit]:
    """What a slide with bullets lists: its bullets and the sentences it speaks, in order; at
    most `_MAX_NOTE_BULLETS`, spoken units first, then the best of the rest."""
    candidates = [unit for unit in piece.units if unit.bullet or unit in spoken]
    if len(candidates) <= _MAX_NOTE_BULLETS:
        return candidates
    ranked = sorted(candidates, key=lambda unit: (unit not in spoken, -score(unit)))
    keep = set(ranked[:_MAX_NOTE_BULLETS])
    return [unit for unit in candidates if unit in keep]


def _piece_slide(piece: _Piece, title: str, score: _Scorer, request: GenerationRequest) -> _Draft:
    """One slide of notes. The narration is the condensed notes (bullets read as sentences).
    Notes with a bullet list show it, with any spoken sentence among the bullets; plain
    paragraphs show the condensed text itself."""
    spoken = _condense(piece.units, score, request)
    narration = " ".join(_as_sentence(unit.text, request.language) for unit in spoken)
    keyword = f"{request.topic} {title}"
    if any(unit.bullet for unit in piece.units):
        items = [
            unit.text if unit.bullet else unit.text.rstrip(".。।")
            for unit in _shown(piece, spoken, score)
        ]
        return _bulleted(title, items, narration, keyword)
    return _Draft(title, narration, narration, bullets_from_text(narration), keyword)


def _notes_deck(request: GenerationRequest, sections: list[_Section]) -> list[_Draft]:
    """A title slide, then the notes fitted to the other `num_slides - 1` slides.

    Notes too small to fill them (each slide needs a sentence or a bullet of its own) make a
    shorter deck, closed by a summary slide.
    """
    table = phrases(request.language, request.tone)
    topic, slots = request.topic, request.num_slides - 1
    first = _title_slide(table, topic)
    if slots == 0:
        return [first]
    pieces = [_Piece(i, section.title, section.units) for i, section in enumerate(sections)]
    pieces = _merge(pieces, slots) if len(pieces) > slots else _split(pieces, slots)
    score = _Scorer([unit for section in sections for unit in section.units])
    titles = _piece_titles(pieces, table["intro_title"], topic, score)
    deck = [
        first,
        *(_piece_slide(p, t, score, request) for p, t in zip(pieces, titles, strict=True)),
    ]
    if len(pieces) < slots:
        deck.append(_summary_slide(table, topic, titles if len(titles) >= 2 else None))
    return deck


# --- source 1: the user's slides -----------------------------------------------------------------


def _user_deck(request: GenerationRequest) -> list[_Draft]:
    """The user's slides as given; narration is theirs, else the body, else the title."""
    drafts: list[_Draft] = []
    for slide in request.slides or ():
        spoken = slide.narration or narration_from_text(slide.content_text, request.language)
        drafts.append(
            _Draft(
                slide.title,
                slide.content_text,
                spoken or slide.title,
                bullets_from_text(slide.content_text),
                slide.title,
            )
        )
    return drafts


# --- the writer ----------------------------------------------------------------------------------


def _drafts(request: GenerationRequest) -> list[_Draft]:
    """The deck from the best source the request has."""
    if request.slides:
        return _user_deck(request)
    if request.source_text and request.source_text.strip():
        sections = _NotesParser().parse(request.source_text)
        if sections:
            return _notes_deck(request, sections)
    return _topic_deck(request)


def _numbered(number: int, draft: _Draft, request: GenerationRequest) -> Slide:
    animated = len(draft.bullets) >= 2
    return Slide(
        slide_number=number,
        title=draft.title,
        content_text=draft.content_text,
        needs_image=False,
        image_keyword=draft.image_keyword,
        needs_animation=animated,
        animation_description=ANIMATION_DESCRIPTION if animated else "",
        duration=_slide_seconds(draft.narration, request),
        bullets=draft.bullets,
    )


def plan_deck(request: GenerationRequest) -> list[tuple[Slide, str]]:
    """Every slide of the deck, numbered from 1 and timed, with its narration.

    Deterministic: the same request always gives the same deck. Raises ValueError when the
    request's language has no phrase table (cannot happen for a validated request).
    """
    return [
        (_numbered(number, draft, request), draft.narration)
        for number, draft in enumerate(_drafts(request), start=1)
    ]


class OfflineWriter:
    """A `Writer` that needs no network and no model: see the module's docstring."""

    name: str = "offline"

    def write_content(self, request: GenerationRequest) -> Content:
        """The deck's `content_data`. Raises ValueError as `plan_deck` does."""
        slides = tuple(slide for slide, _ in plan_deck(request))
        return Content(topic=request.topic, total_slides=len(slides), slides=slides)

    def write_script(self, request: GenerationRequest, content: Content) -> Script:
        """The narration of `content`, each slide placed after the one before.

        A slide that `plan_deck` wrote for this request gets the narration planned with it; any
        other slide (edited content) is narrated from its body, else its title. Times are
        estimates from `estimate_seconds`, to 0.1 s. Raises ValueError as `plan_deck` does.
        """
        planned = {slide.slide_number: (slide, spoken) for slide, spoken in plan_deck(request)}
        narrations = [
            (
                slide.slide_number,
                _narration_of(slide, planned.get(slide.slide_number), request.language),
            )
            for slide in content.slides
        ]
        return estimated_script(request, narrations)


def estimated_script(request: GenerationRequest, narrations: Sequence[tuple[int, str]]) -> Script:
    """A script from (slide number, narration) pairs, timed by `estimate_seconds` to 0.1 s.

    Speech replaces these estimates with measured durations later (`media.timeline`).
    """
    scripts: list[SlideScript] = []
    clock = 0.0
    for number, narration in narrations:
        end = round(clock + _slide_seconds(narration, request), 1)
        scripts.append(
            SlideScript(
                slide_number=number, start_time=clock, end_time=end, narration_text=narration
            )
        )
        clock = end
    return Script(
        topic=request.topic,
        total_duration=clock,
        language=request.language,
        slide_scripts=tuple(scripts),
    )


def _narration_of(slide: Slide, planned: tuple[Slide, str] | None, language: str) -> str:
    """The planned narration when `slide` is the planned slide, else one made from the slide."""
    if planned is not None and planned[0] == slide:
        return planned[1]
    return narration_from_text(slide.content_text, language) or slide.title
