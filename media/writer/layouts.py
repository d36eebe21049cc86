"""Which layout a content slide gets, from what its text says: `choose_layout`.

Pure rules, deterministic, no model. Each layout needs its evidence in the slide's own words and
the chooser hands the renderer the data it found (the steps, the dated events, the bars, the
figure, the two sides); without evidence the slide stays `bullets`. The rules, first match wins:

* quote: a bullet that is a quotation (in quotation marks, three words or more);
* process or cycle: a sentence that speaks of processes, stages or steps and lists three or more
  process nouns ("the processes ... are evaporation, transpiration, condensation"), or three or
  more bullets numbered or led by "first / then / finally"; a cycle when the text says cycle,
  cyclic, returns or repeats;
* timeline: three or more bullets (or short narration sentences) each with a year;
* chart: three or more bullets (or sentences) each with one number in the same unit;
* comparison: two things contrasted ("whereas", "unlike", "versus", "in contrast"), or exactly two
  "Heading: text" bullets;
* big_number: one striking figure (a percentage, or a number with "million" or "billion") in
  the whole slide.

Words ("first", "whereas", process-noun endings) are known in English, French and Spanish;
numbers and years in every language written with ASCII digits. Title, summary and sources slides
are the writer's framing and never come here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from videogen.media.models import (
    Visual,
    VisualBar,
    VisualColumn,
    VisualData,
    VisualEvent,
)
from videogen.media.writer.sentences import split_sentences

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import Layout

__all__ = [
    "MAX_BARS",
    "MAX_EVENTS",
    "MAX_STEPS",
    "choose_layout",
    "code_block",
    "is_cycle",
    "quoted",
]

# What a diagram can hold and stay readable on a 9:16 frame at the fitting code's smallest type.
MAX_STEPS: Final = 6
MAX_EVENTS: Final = 5
MAX_BARS: Final = 6
# Fewer than this many items is not a process, a timeline or a chart: it is a sentence.
_MIN_ITEMS: Final = 3
# A list item longer than this is a clause, not the name of a step.
_MAX_STEP_WORDS: Final = 4
# A narration sentence longer than this makes no chart label.
_MAX_LABEL_WORDS: Final = 16

_WORDY: Final = frozenset({"english", "french", "spanish"})

_PROCESS_NOUN: Final = re.compile(
    r"(?:tion|sion|ment|ance|ence|ysis|osis|ing|ción|sión|miento)$", re.IGNORECASE
)
_LIST_SPLIT: Final = re.compile(r",\s*|\s+(?:and|or|et|ou|y|o)\s+", re.IGNORECASE)
_LIST_LEAD: Final = re.compile(r"^(?:and|or|et|ou|y|o)\s+", re.IGNORECASE)
_CLAUSE_CUT: Final = re.compile(r"[:;()—–]")
_CYCLE: Final = re.compile(
    r"\b(?:cycl(?:e|es|ic|ical|ing)|returns?|repeats?|cycles?|ciclo|cíclico)\b", re.IGNORECASE
)
_STAGES: Final = re.compile(
    r"\b(?:process(?:es)?|stages?|steps?|phases?|cycles?|sequence|processus|étapes?|phases?"
    r"|procesos?|etapas?|fases?)\b",
    re.IGNORECASE,
)
_SEQUENCE: Final = re.compile(
    r"^(?:\d{1,2}[.)]\s|step\s+\d+|first(?:ly)?\b|second(?:ly)?\b|third(?:ly)?\b|then\b|next\b"
    r"|after\s+that\b|afterwards\b|finally\b|lastly\b|d'abord\b|ensuite\b|enfin\b"
    r"|primero\b|luego\b|después\b|finalmente\b)",
    re.IGNORECASE,
)
_SEQUENCE_LEAD: Final = re.compile(
    r"^(?:\d{1,2}[.)]\s*|step\s+\d+[:.]?\s*|(?:first(?:ly)?|second(?:ly)?|third(?:ly)?|then|next"
    r"|after\s+that|afterwards|finally|lastly|d'abord|ensuite|enfin|primero|luego|después"
    r"|finalmente),?\s*)",
    re.IGNORECASE,
)
_YEAR: Final = re.compile(
    r"\b(?:(?:in|on|by|from|since|en|desde)\s+)?(?:(?:early|late|mid)\s+)?(?:\d{1,2}\s+)?"
    r"(?:(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December),?\s+(?:\d{1,2},?\s+)?)?((?:1[0-9]|20)\d{2}|\d{1,4}\s?(?:BC|BCE|AD|CE))\b",
    re.IGNORECASE,
)
_NUMBER: Final = re.compile(
    r"(?<![\w.])(?:(\d+(?:\.\d+)?)\s?[–-]\s?)?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?"
    r"(%|percent\b|per cent\b|million\b|billion\b|trillion\b|km²|km2|km\b|kg\b|°C|°F|m\b|cm\b"
    r"|mm\b|t\b|tonnes\b|years\b|days\b|hours\b|people\b|species\b|met(?:er|re)s\b|ft\b"
    r"|mi\b|sq mi\b)?",
    re.IGNORECASE,
)
_STRIKING: Final = frozenset({"%", "percent", "per cent", "million", "billion", "trillion"})
_CONTRAST: Final = re.compile(
    r"\s*(?:,\s*)?\b(?:whereas|(?<=,\s)while|but\s+in\s+contrast|in\s+contrast(?:\s+to)?|on\s+the\s+other"
    r"\s+hand|versus|vs\.?|tandis\s+que|alors\s+que|mientras\s+que)\b,?\s*",
    re.IGNORECASE,
)
_UNLIKE: Final = re.compile(r"^(?:unlike|contrairement\s+à|a\s+diferencia\s+de)\s+([^,]+),\s*(.+)$")
_HEADED: Final = re.compile(r"^([^:]{2,40}):\s+(.+)$")
_QUOTED: Final = re.compile(r"^[\"“«„「『](.+?)[\"”»“」』](?:\s*[—–-]\s*(.+))?$")
_SUBJECT_END: Final = re.compile(
    r"\s+(?:is|are|was|were|has|have|had|can|may|does|do|will|est|sont|es|son)\b", re.IGNORECASE
)


_CONNECTIVE: Final = re.compile(
    r"^(?:also|in addition|however|moreover|furthermore|by contrast|aussi|además),\s*",
    re.IGNORECASE,
)


def _capital(text: str) -> str:
    """`text` without a leading connective ("Also, ..."), with a capital first letter."""
    text = _CONNECTIVE.sub("", text.strip())
    return text[:1].upper() + text[1:] if text else text


def _texts(bullets: Sequence[str], narration: str, language: str) -> list[str]:
    return [*bullets, *split_sentences(narration, language)]


# --- process and cycle ---------------------------------------------------------------------------


def code_block(code: str, language: str = "") -> str:
    """`code` as the fenced block a code slide's `content_text` holds (what
    `media.slides.layouts.code` draws)."""
    return f"```{language}\n{code.strip(chr(10))}\n```"


def is_cycle(text: str) -> bool:
    """Whether `text` says its steps come round again (cycle, cyclic, returns, repeats)."""
    return _CYCLE.search(text) is not None


def _listed_steps(sentence: str) -> list[str] | None:
    """The items of a list of process nouns in `sentence` ("evaporation, condensation and
    precipitation"), or None when it holds no such list."""
    for clause in _CLAUSE_CUT.split(sentence):
        if clause.count(",") < 1:
            continue
        head, _, tail = clause.rpartition(" are ")
        body = tail if head else clause
        items = [_LIST_LEAD.sub("", i).strip(" .") for i in _LIST_SPLIT.split(body)]
        items = [i for i in items if i]
        # The list is the run of short items ending the clause; the first may carry its lead-in
        # ("The processes are evaporation" → "evaporation"): keep its last word then.
        if items and len(items[0].split()) > _MAX_STEP_WORDS:
            items[0] = items[0].split()[-1]
        short = [i for i in items if len(i.split()) <= _MAX_STEP_WORDS]
        if len(short) != len(items):
            continue
        nouns = [i for i in items if _PROCESS_NOUN.search(i.split()[-1])]
        if len(nouns) >= _MIN_ITEMS and 2 * len(nouns) >= len(items):
            return [_capital(i) for i in items]
    return None


def _sequenced(bullets: Sequence[str]) -> list[str] | None:
    """Bullets that name steps in order (numbered, or led by first / then / finally)."""
    led = [b for b in bullets if _SEQUENCE.match(b.strip())]
    if len(led) < _MIN_ITEMS or len(led) < len(bullets) - 1:
        return None
    return [_capital(_SEQUENCE_LEAD.sub("", b.strip())) for b in led]


def _process(
    title: str, bullets: Sequence[str], narration: str, language: str
) -> tuple[Layout, tuple[Visual, ...]] | None:
    steps = _sequenced(bullets)
    if steps is None and language in _WORDY:
        for text in _texts(bullets, narration, language):
            # A list of processes is a process only where the sentence says it lists stages
            # ("the processes that drive ... are"); "errors during replication, mitosis,
            # meiosis" lists causes.
            steps = _listed_steps(text) if _STAGES.search(text) else None
            if steps:
                break
    if not steps:
        return None
    what = "cycle" if is_cycle(" ".join((title, *bullets, narration))) else "process"
    data = VisualData(steps=tuple(dict.fromkeys(steps))[:MAX_STEPS])
    if len(data.steps) < _MIN_ITEMS:
        return None
    return "process", (Visual(kind="diagram", what=what, data=data),)


# --- timeline, chart, big number -----------------------------------------------------------------


_DATE_LEAD: Final = re.compile(r"^(?:in|on|by|from|since|en|desde)\s+", re.IGNORECASE)


def _without(text: str, match: re.Match[str]) -> str:
    """`text` with the matched number or date taken out, spaces and edges tidied."""
    rest = " ".join((text[: match.start()] + " " + text[match.end() :]).split())
    rest = re.sub(r"\s+([,.;:])", r"\1", rest).strip(" ,.;:—–-")
    return _capital(rest)


def _year_value(date: str) -> int:
    digits = int(re.sub(r"\D", "", date) or 0)
    return -digits if re.search(r"BC", date, re.IGNORECASE) else digits


def _timeline(bullets: Sequence[str], narration: str, language: str) -> Visual | None:
    candidates = [list(bullets), [s for s in split_sentences(narration, language) if len(s) < 140]]
    for texts in candidates:
        events: list[tuple[int, VisualEvent]] = []
        for text in texts:
            found = list(_YEAR.finditer(text))
            if len(found) != 1:
                break
            match = found[0]
            date = _DATE_LEAD.sub("", match.group(0))
            rest = _without(text, match)
            events.append((_year_value(match.group(1)), VisualEvent(date=date, text=rest)))
        else:
            if len(events) >= _MIN_ITEMS:
                events.sort(key=lambda pair: pair[0])
                ordered = [event for _, event in events][:MAX_EVENTS]
                return Visual(
                    kind="diagram", what="timeline", data=VisualData(events=tuple(ordered))
                )
    return None


def _in_brackets(text: str) -> set[int]:
    """The positions of `text` inside round brackets: "2,600 metres (8,500 ft)" gives the
    same figure again in other units, which is not a figure of its own."""
    inside: set[int] = set()
    for match in re.finditer(r"\([^()]*\)", text):
        inside.update(range(match.start(), match.end()))
    return inside


def _figures(text: str) -> list[tuple[re.Match[str], float, str]]:
    """Numbers in `text` that are quantities (years, bare small counts and conversions in
    brackets are not); a range ("70–85 million") counts as its upper end."""
    found = []
    years = {m.start(1) for m in _YEAR.finditer(text)}
    bracketed = _in_brackets(text)
    for match in _NUMBER.finditer(text):
        unit = (match.group(3) or "").lower()
        value = float(match.group(2).replace(",", ""))
        if match.start(2) in bracketed or (match.start(2) in years and not unit):
            continue
        if not unit and value < 1000:
            continue
        found.append((match, value, "%" if unit in {"percent", "per cent"} else unit))
    return found


_CLAUSE_SPLIT: Final = re.compile(r",\s+|;\s+|\s+(?:and|including|of which|while)\s+")
_LABEL_LEAD: Final = re.compile(
    r"^(?:(?:of|and|including|with|about|around|some|nearly|almost|over|the|estimated|an?)\s+)+",
    re.IGNORECASE,
)


def _bar(text: str) -> VisualBar | None:
    """A bar from a text holding exactly one figure: the text without it is the label; a
    range's bar is its upper end, the range kept in the label ("(70–85)")."""
    figures = _figures(text)
    if len(figures) != 1:
        return None
    match, value, unit = figures[0]
    label = _capital(_LABEL_LEAD.sub("", _without(text, match)))
    if match.group(1):
        label = f"{label} ({match.group(1)}–{match.group(2)})"
    return VisualBar(label=label or match.group(0).strip(), value=value, unit=unit)


def _sentence_bars(text: str) -> list[VisualBar]:
    """The bars of one sentence that gives three figures or more in one unit ("around 30
    million occurred on the Eastern Front, including 9 million children"): a bar per clause."""
    figures = _figures(text)
    if len(figures) < _MIN_ITEMS or len({unit for _, _, unit in figures}) != 1:
        return []
    bars = [_bar(clause) for clause in _CLAUSE_SPLIT.split(text)]
    found = [bar for bar in bars if bar is not None]
    labelled = all(len(bar.label.split()) <= _MAX_STEP_WORDS + 4 for bar in found)
    return found if len(found) == len(figures) and labelled else []


def _chart(bullets: Sequence[str], narration: str, language: str) -> Visual | None:
    # A bar's label is its sentence without the number: a long sentence makes no label.
    said = [s for s in split_sentences(narration, language) if len(s.split()) <= _MAX_LABEL_WORDS]
    for texts in (list(bullets), said, *([s] for s in _texts(bullets, narration, language))):
        if len(texts) == 1:
            bars = _sentence_bars(texts[0])
        else:
            bars = [bar for bar in map(_bar, texts) if bar is not None]
        units = {bar.unit for bar in bars}
        if len(bars) >= _MIN_ITEMS and len(units) == 1 and all(b.value >= 0 for b in bars):
            data = VisualData(bars=tuple(bars[:MAX_BARS]))
            return Visual(kind="chart", what="bars", data=data)
    return None


def _big_number(bullets: Sequence[str], narration: str, language: str) -> Visual | None:
    texts = _texts(bullets, narration, language)
    found = [(text, f) for text in texts for f in _figures(text)]
    figures = {f[0].group(0).strip() for _, f in found}
    if len(figures) != 1:
        return None
    text, (match, _, unit) = found[-1]
    if unit not in _STRIKING:
        return None
    caption = text.strip()
    data = VisualData(figure=match.group(0).strip(), caption=caption)
    return Visual(kind="chart", what="figure", data=data)


# --- comparison and quote ------------------------------------------------------------------------


def _subject(clause: str) -> str:
    """A clause's subject ("Rivers flow ..." → ""; "Rivers are ..." → "Rivers"), when short."""
    head = _SUBJECT_END.split(clause, maxsplit=1)[0].strip(" ,.")
    return _capital(head) if head != clause.strip(" ,.") and len(head.split()) <= 4 else ""


def _comparison(bullets: Sequence[str], narration: str, language: str) -> Visual | None:
    headed = [_HEADED.match(b.strip()) for b in bullets]
    if len(bullets) == 2 and all(headed):
        columns = tuple(
            VisualColumn(heading=m.group(1).strip(), items=(_capital(m.group(2).strip()),))
            for m in headed
            if m
        )
        return Visual(kind="diagram", what="comparison", data=VisualData(columns=columns))
    if language not in _WORDY:
        return None
    for text in _texts(bullets, narration, language):
        sides: list[str] = []
        unlike = _UNLIKE.match(text.strip())
        if unlike:
            sides = [unlike.group(1), unlike.group(2)]
        else:
            parts = _CONTRAST.split(text.strip(), maxsplit=1)
            sides = parts if len(parts) == 2 else []
        sides = [s.strip(" ,.") for s in sides]
        if len(sides) == 2 and all(len(s.split()) >= 2 for s in sides):
            if unlike:
                columns = (
                    VisualColumn(heading=_capital(sides[0]), items=()),
                    VisualColumn(heading=_subject(sides[1]), items=(_capital(sides[1]),)),
                )
            else:
                columns = tuple(
                    VisualColumn(heading=_subject(s), items=(_capital(s),)) for s in sides
                )
            if not all(column.heading for column in columns):
                # One side named and the other not reads as a mistake: name neither.
                columns = tuple(VisualColumn(heading="", items=c.items) for c in columns)
            return Visual(kind="diagram", what="comparison", data=VisualData(columns=columns))
    return None


def quoted(bullet: str) -> tuple[str, str] | None:
    """A bullet that is a quotation: its words and who said them ("" when not given)."""
    match = _QUOTED.match(bullet.strip())
    if match is None or len(match.group(1).split()) < _MIN_ITEMS:
        return None
    return match.group(1).strip(), (match.group(2) or "").strip()


# --- the chooser ---------------------------------------------------------------------------------


def choose_layout(
    title: str, bullets: Sequence[str], narration: str, language: str
) -> tuple[Layout, tuple[Visual, ...]]:
    """The layout of a content slide with these words, and the visuals it draws (see the
    module's docstring for the rules); `("bullets", ())` when nothing gives evidence."""
    if any(quoted(b) for b in bullets):
        return "quote", ()
    process = _process(title, bullets, narration, language)
    if process is not None:
        return process
    timeline = _timeline(bullets, narration, language)
    if timeline is not None:
        return "timeline", (timeline,)
    chart = _chart(bullets, narration, language)
    if chart is not None:
        return "chart", (chart,)
    comparison = _comparison(bullets, narration, language)
    if comparison is not None:
        return "comparison", (comparison,)
    figure = _big_number(bullets, narration, language)
    if figure is not None:
        return "big_number", (figure,)
    return "bullets", ()
