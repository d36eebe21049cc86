"""Slide images: one PNG per slide, or one per revealed bullet, drawn with Pillow.

`layout_slide` is the pure part: it measures the text with the real fonts (raqm shapes Indic
conjuncts and joined Arabic, so what is measured is what is drawn), wraps it to the safe area and
shrinks the type until title and body fit, returning every line's box. `render_slide` paints a
layout on a theme; `render_slide_images` writes the PNG frames the compose stage consumes.
Nothing here is random or time-dependent: the same input gives the same PNG bytes.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import KW_ONLY, dataclass, replace
from typing import TYPE_CHECKING, Final, Literal

from PIL import Image, ImageDraw

from media import fonts
from media.languages import LANGUAGES, Language
from media.models import THEMES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from pathlib import Path

    from PIL import ImageFont

    from media.models import Slide

__all__ = [
    "SLIDE_RENDER_VERSION",
    "THEME_STYLES",
    "BodyItem",
    "Box",
    "SlideImages",
    "SlideLayout",
    "TextLine",
    "Theme",
    "body_items",
    "layout_slide",
    "paint_layout",
    "render_slide",
    "render_slide_images",
    "theme_for",
]

# Bump when the pictures change for the same input (cached frames are then stale).
SLIDE_RENDER_VERSION: Final = 1

Color = tuple[int, int, int]
Role = Literal["title", "body", "muted", "accent"]


# --- themes ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Theme:
    """A slide colour scheme: a vertical background gradient and the text and accent colours."""

    name: str
    background_top: Color
    background_bottom: Color
    accent: Color
    title: Color
    body: Color
    muted: Color
    track: Color  # the unfilled part of the progress strip


THEME_STYLES: Final[dict[str, Theme]] = {
    "classic": Theme(
        "classic", (255, 255, 255), (238, 243, 250), (31, 95, 191),
        (15, 39, 71), (43, 58, 79), (107, 122, 144), (220, 228, 240),
    ),
    "midnight": Theme(
        "midnight", (15, 23, 42), (30, 41, 59), (56, 189, 248),
        (248, 250, 252), (203, 213, 225), (148, 163, 184), (51, 65, 85),
    ),
    "ocean": Theme(
        "ocean", (4, 59, 80), (9, 104, 128), (94, 234, 212),
        (255, 255, 255), (224, 242, 241), (156, 201, 212), (14, 90, 112),
    ),
    "sunset": Theme(
        "sunset", (255, 246, 236), (255, 226, 204), (228, 87, 46),
        (61, 31, 20), (90, 58, 46), (154, 116, 102), (246, 210, 188),
    ),
}  # fmt: skip


def theme_for(name: str) -> Theme:
    """The theme called `name`.

    Raises:
        ValueError: `name` is not one of `media.models.THEMES`.
    """
    theme = THEME_STYLES.get(name) if name in THEMES else None
    if theme is None:
        raise ValueError(f"unknown theme {name!r}; allowed: {', '.join(THEMES)}")
    return theme


# --- layout data ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Box:
    """A pixel rectangle; `right` and `bottom` are exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    def inside(self, other: Box) -> bool:
        """Whether this box lies within `other`."""
        return (
            other.left <= self.left <= self.right <= other.right
            and other.top <= self.top <= self.bottom <= other.bottom
        )

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any pixel."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text: its box (advance width × line height) and how to draw it.

    `item` is the body item the line belongs to (lines of later items are hidden while bullets
    are revealed one by one); None for lines that are always shown.
    """

    text: str
    box: Box
    baseline: int
    size: int
    bold: bool
    role: Role
    rtl: bool
    item: int | None = None


@dataclass(frozen=True, slots=True)
class Marker:
    """A bullet dot in front of a body item's first line."""

    box: Box
    item: int


@dataclass(frozen=True, slots=True)
class SlideLayout:
    """Where everything goes on one slide; every box lies inside `safe`.

    `rules` are accent bars, `progress` the filled fraction of the bottom strip (None on the
    title slide), `items` how many body items can be revealed, and `truncated` whether text had
    to be cut with an ellipsis because it would not fit even at the smallest size.
    """

    width: int
    height: int
    language: str
    title_slide: bool
    safe: Box
    lines: tuple[TextLine, ...]
    markers: tuple[Marker, ...]
    rules: tuple[Box, ...]
    progress: float | None
    items: int
    truncated: bool


@dataclass(frozen=True, slots=True)
class SlideImages:
    """The frames of one slide: `frames[j]` shows the first j+1 bullets when revealing."""

    slide_number: int
    frames: tuple[Path, ...]


@dataclass(frozen=True, slots=True)
class BodyItem:
    """One bullet or paragraph of a slide's body."""

    text: str
    bullet: bool


# --- body text ------------------------------------------------------------------------------

_BULLET_PREFIX: Final = re.compile(r"^(?:[-*–]\s+|•\s*)")
_SPACES: Final = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def body_items(slide: Slide) -> tuple[BodyItem, ...]:
    """The slide's body: its `bullets`, else `content_text` split into lines.

    Lines of `content_text` that start with "-", "*", "–" or "•" become bullets, other lines
    paragraphs; blank lines are dropped.
    """
    if slide.bullets:
        cleaned = (_clean(_BULLET_PREFIX.sub("", b.strip())) for b in slide.bullets)
        return tuple(BodyItem(text, True) for text in cleaned if text)
    items: list[BodyItem] = []
    for line in slide.content_text.splitlines():
        stripped = line.strip()
        marker = _BULLET_PREFIX.match(stripped)
        text = _clean(stripped[marker.end() :] if marker else stripped)
        if text:
            items.append(BodyItem(text, marker is not None))
    return tuple(items)


# --- measuring ------------------------------------------------------------------------------

# Raqm advances are unhinted, so widths scale linearly with the size: text is measured once at
# this size and scaled, which keeps the size search free of font calls.
_REF_SIZE: Final = 100
_ELLIPSIS: Final = "…"


@dataclass(frozen=True, slots=True)
class _Run:
    text: str
    font: ImageFont.FreeTypeFont
    direction: str
    tag: str | None
    width: float


def _run_direction(text: str, index: int, rtl: bool) -> str:
    """Right-to-left for the script's own runs; fallback runs holding Latin letters go LTR."""
    if not rtl:
        return "ltr"
    if index > 0 and any(unicodedata.bidirectional(ch) == "L" for ch in text):
        return "ltr"
    return "rtl"


@functools.lru_cache(maxsize=4096)
def _shape(text: str, language: str, bold: bool, size: int, rtl: bool) -> tuple[_Run, ...]:
    """`text` split into font runs, each with its direction and advance width at `size`."""
    chain = fonts.font_chain(language, bold=bold, size=size)
    tag = LANGUAGES[language].bcp47
    runs = []
    for piece, index in fonts.font_runs(text, language, bold=bold):
        direction = _run_direction(piece, index, rtl)
        run_tag = tag if index == 0 else None
        width = chain[index].getlength(piece, direction=direction, language=run_tag)
        runs.append(_Run(piece, chain[index], direction, run_tag, width))
    return tuple(runs)


@functools.lru_cache(maxsize=16384)
def _ref_width(text: str, language: str, bold: bool) -> float:
    rtl = LANGUAGES[language].rtl
    return sum(run.width for run in _shape(text, language, bold, _REF_SIZE, rtl))


@functools.lru_cache(maxsize=64)
def _metrics_em(language: str, bold: bool) -> tuple[float, float]:
    """Ascent and descent of a line, in ems, over the whole font chain.

    Capped, because some fonts declare far more than their glyphs use (Noto Sans Arabic asks
    for 2.1 em per line); the caps still hold the tallest stacked marks we draw.
    """
    chain = fonts.font_chain(language, bold=bold, size=_REF_SIZE)
    ascent = max(font.getmetrics()[0] for font in chain) / _REF_SIZE
    descent = max(font.getmetrics()[1] for font in chain) / _REF_SIZE
    return min(ascent, 1.0), min(descent, 0.5)


@dataclass(frozen=True, slots=True)
class _Face:
    """Text of one language, weight and size: measures, wraps and cuts it."""

    language: str
    bold: bool
    size: int

    @property
    def ascent(self) -> int:
        return math.ceil(_metrics_em(self.language, self.bold)[0] * self.size)

    @property
    def pitch(self) -> int:
        """Height of one line box."""
        ascent, descent = _metrics_em(self.language, self.bold)
        return math.ceil(ascent * self.size) + math.ceil(descent * self.size)

    def estimate(self, text: str) -> float:
        """Advance width at this size, scaled from the reference measurement."""
        return _ref_width(text, self.language, self.bold) * self.size / _REF_SIZE

    def exact(self, text: str, rtl: bool) -> int:
        """Advance width as drawn, in whole pixels."""
        runs = _shape(text, self.language, self.bold, self.size, rtl)
        return math.ceil(sum(run.width for run in runs))

    def wrap(self, text: str, limit: float) -> list[str]:
        """Break `text` into lines no wider than `limit` pixels."""
        spaced = LANGUAGES[self.language].spaced
        tokens = _word_tokens(text) if spaced else _cjk_tokens(text)
        # Words are measured one by one and summed; a small allowance covers kerning across
        # the joins, so the exact width of a line never exceeds the limit.
        return _greedy(tokens, self.estimate, limit * 0.985 - 1)

    def ellipsize(self, text: str, limit: float) -> str:
        """`text` cut at a cluster boundary so that it and an ellipsis fit in `limit`."""
        clusters = _clusters(text)
        while clusters and self.estimate("".join(clusters) + _ELLIPSIS) > limit * 0.985 - 1:
            clusters.pop()
        return "".join(clusters).rstrip() + _ELLIPSIS


# --- wrapping -------------------------------------------------------------------------------

# Japanese and Chinese line-breaking rules (kinsoku): these never start or end a line.
_NO_LINE_START: Final = frozenset(
    "、。，．,.!?！？:;：；)]}）」』】〕〉》”’ーぁぃぅぇぉっゃゅょァィゥェォッャュョ…・%％"
)
_NO_LINE_END: Final = frozenset("([{（「『【〔〈《“‘")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char) in {"Mn", "Mc", "Me"} or char in "\u200c\u200d"


def _clusters(text: str) -> list[str]:
    """Split `text` where a line may break inside a word: never inside a conjunct.

    A mark stays with its base, and a virama (or zero-width joiner) binds the next consonant,
    so Indic syllables such as क्ष stay whole.
    """
    clusters: list[str] = []
    bind_next = False
    for char in text:
        if clusters and (bind_next or _is_mark(char)):
            clusters[-1] += char
        else:
            clusters.append(char)
        bind_next = unicodedata.combining(char) == 9 or char == "\u200d"
    return clusters


def _word_tokens(text: str) -> list[str]:
    return _clean(text).replace(" ", "\0 \0").split("\0") if text.strip() else []


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _cjk_tokens(text: str) -> list[str]:
    """Break opportunities for unspaced scripts: between characters, except inside Latin words
    and digits and where kinsoku forbids it."""
    tokens: list[str] = []
    for cluster in _clusters(_clean(text)):
        previous = tokens[-1] if tokens else " "
        glue = (
            previous != " "
            and cluster != " "
            and (
                cluster[0] in _NO_LINE_START
                or previous[-1] in _NO_LINE_END
                or (_is_word_char(cluster[0]) and _is_word_char(previous[-1]))
            )
        )
        if glue:
            tokens[-1] += cluster
        else:
            tokens.append(cluster)
    return tokens


def _greedy(tokens: Sequence[str], width: Callable[[str], float], limit: float) -> list[str]:
    """Fill lines token by token, summing token widths (so each word is measured only once).

    Spaces are dropped at line ends; a word wider than a whole line is split between clusters.
    """
    lines: list[str] = []
    current, used, spaced = "", 0.0, False
    for token in tokens:
        if token == " ":
            spaced = bool(current)
            continue
        gap = width(" ") if spaced else 0.0
        need = width(token)
        if current and used + gap + need > limit:
            lines.append(current)
            current, used, spaced, gap = "", 0.0, False, 0.0
        if not current and need > limit:
            *full, current = _split_word(token, width, limit)
            lines.extend(full)
            used = width(current)
        else:
            current += (" " if spaced else "") + token
            used += gap + need
        spaced = False
    if current:
        lines.append(current)
    return lines


def _split_word(word: str, width: Callable[[str], float], limit: float) -> list[str]:
    """Break a word wider than the line between clusters (at least one cluster per piece)."""
    pieces: list[str] = []
    current, used = "", 0.0
    for cluster in _clusters(word):
        need = width(cluster)
        if current and used + need > limit:
            pieces.append(current)
            current, used = "", 0.0
        current += cluster
        used += need
    pieces.append(current)
    return pieces


# --- fitting --------------------------------------------------------------------------------


def _largest(sizes: range, fits: Callable[[int], bool]) -> int | None:
    """The largest of the descending `sizes` that fits, or None.

    Bisection rather than trying every size: smaller type never needs more room, so the sizes
    that fit form a tail of the range.
    """
    low, high = 0, len(sizes)
    while low < high:
        middle = (low + high) // 2
        if fits(sizes[middle]):
            high = middle
        else:
            low = middle + 1
    return sizes[low] if low < len(sizes) else None


@dataclass(frozen=True, slots=True)
class _Block:
    """Wrapped paragraphs at one size: the lines of each paragraph, and their total height."""

    face: _Face
    paragraphs: tuple[tuple[str, ...], ...]
    gap: int

    @property
    def height(self) -> int:
        count = sum(len(lines) for lines in self.paragraphs)
        return count * self.face.pitch + self.gap * max(0, len(self.paragraphs) - 1)


def _wrap_block(texts: Sequence[str], face: _Face, limit: float, gap: float) -> _Block:
    paragraphs = tuple(tuple(face.wrap(text, limit)) for text in texts)
    return _Block(face, paragraphs, round(gap * face.size))


@dataclass(frozen=True, slots=True)
class _Spec:
    """What to fit: texts, the width they wrap to, the size range and the room they may use."""

    texts: tuple[str, ...]
    language: str
    _: KW_ONLY
    bold: bool
    sizes: range
    width: float
    height: int
    max_lines: int | None = None
    gap: float = 0.0
    indent: float = 0.0  # of the wrap width, in ems (room for bullet dots)


def _block_at(spec: _Spec, size: int) -> _Block:
    face = _Face(spec.language, spec.bold, size)
    return _wrap_block(spec.texts, face, spec.width - spec.indent * size, spec.gap)


def _fits(spec: _Spec, size: int) -> bool:
    block = _block_at(spec, size)
    lines = sum(len(p) for p in block.paragraphs)
    return block.height <= spec.height and (spec.max_lines is None or lines <= spec.max_lines)


def _fit(spec: _Spec) -> tuple[_Block, bool]:
    """The block at the largest size that fits, and whether it had to be truncated.

    Tries `max_lines` first, then any number of lines; when even the smallest size is too big,
    lines are dropped from the end and the last one kept ends with an ellipsis.
    """
    candidates = (spec,) if spec.max_lines is None else (spec, replace(spec, max_lines=None))
    for candidate in candidates:
        size = _largest(candidate.sizes, functools.partial(_fits, candidate))
        if size is not None:
            return _block_at(candidate, size), False
    return _truncate(_block_at(spec, spec.sizes[-1]), spec), True


def _truncate(block: _Block, spec: _Spec) -> _Block:
    face = block.face
    kept: list[tuple[str, ...]] = []
    room = spec.height
    for lines in block.paragraphs:
        need = (block.gap if kept else 0) + len(lines) * face.pitch
        if need <= room:
            kept.append(lines)
            room -= need
            continue
        count = max(0, (room - (block.gap if kept else 0)) // face.pitch)
        if count:
            kept.append(lines[:count])
        break
    if not kept:
        return _Block(face, (), block.gap)
    *head, last = kept
    limit = spec.width - spec.indent * face.size
    cut = face.ellipsize(last[-1], limit)
    return _Block(face, (*head, (*last[:-1], cut)), block.gap)


# --- placing --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    """The canvas and the measures every part of the layout is derived from."""

    width: int
    height: int
    language: Language

    @property
    def unit(self) -> int:
        """Sizes scale with the short side, so 9:16 and 16:9 share one type scale."""
        return min(self.width, self.height)

    @property
    def safe(self) -> Box:
        margin = round(self.unit * 0.075)
        return Box(margin, margin, self.width - margin, self.height - margin)

    @property
    def rule(self) -> int:
        """Thickness of the accent rules."""
        return max(3, round(self.unit * 0.007))

    def px(self, fraction: float) -> int:
        return round(self.unit * fraction)

    def sizes(self, high: float, low: float) -> range:
        """Font sizes from `high` down to `low` (fractions of the short side)."""
        top, bottom = self.px(high), self.px(low)
        return range(max(top, bottom), bottom - 1, -1)


@dataclass(frozen=True, slots=True)
class _Column:
    """Where a block goes: its area, alignment and direction, and its role (colour)."""

    area: Box
    centred: bool
    rtl: bool
    role: Role


def _place(
    block: _Block,
    column: _Column,
    top: int,
    *,
    indent: float = 0.0,
    items: Sequence[BodyItem] | None = None,
) -> tuple[list[TextLine], list[Marker], int]:
    """Lay `block` out from `top` down; returns its lines, its bullet dots and its bottom.

    With `items`, paragraph k is body item k (revealed with it) and bullets get a dot in the
    indent (`indent` ems wide).
    """
    face = block.face
    lines: list[TextLine] = []
    markers: list[Marker] = []
    offset = round(indent * face.size)
    y = top
    for k, paragraph in enumerate(block.paragraphs):
        item = None if items is None else k
        if items is not None and items[k].bullet and offset:
            markers.append(Marker(_dot_box(face, column, y), k))
        for text in paragraph:
            box = _line_box(face, text, column, y, offset)
            line = TextLine(
                text, box, y + face.ascent, face.size, face.bold, column.role, column.rtl, item
            )
            lines.append(line)
            y += face.pitch
        y += block.gap
    return lines, markers, y - (block.gap if block.paragraphs else 0)


def _line_box(face: _Face, text: str, column: _Column, top: int, offset: int) -> Box:
    area = column.area
    width = face.exact(text, column.rtl)
    if column.centred:
        left = area.left + (area.right - area.left - width) // 2
    elif column.rtl:
        left = area.right - offset - width
    else:
        left = area.left + offset
    return Box(left, top, left + width, top + face.pitch)


def _dot_box(face: _Face, column: _Column, top: int) -> Box:
    """A bullet dot in the indent, centred on the first line's lowercase letters."""
    diameter = max(4, round(face.size * 0.3))
    centre_y = top + face.ascent - round(face.size * 0.34)
    inset = round(face.size * 0.35)
    centre_x = column.area.right - inset if column.rtl else column.area.left + inset
    left, upper = centre_x - diameter // 2, centre_y - diameter // 2
    return Box(left, upper, left + diameter, upper + diameter)


# --- slide layouts --------------------------------------------------------------------------


def _same(a: str, b: str) -> bool:
    return _clean(a).casefold() == _clean(b).casefold()


def _subtitle_spec(items: Sequence[BodyItem], frame: _Frame, room: int, title: _Block) -> _Spec:
    """The title slide's subtitle: at most about half the title's type."""
    safe = frame.safe
    high = min(0.048, 0.55 * title.face.size / frame.unit)
    return _Spec(
        tuple(i.text for i in items),
        frame.language.name,
        bold=False,
        sizes=frame.sizes(high, 0.024),
        width=safe.right - safe.left,
        height=room - title.height,
        gap=0.35,
    )


def _title_slide(slide: Slide, topic: str, frame: _Frame) -> SlideLayout:
    """Centred: the topic small (unless it is the title), the title, a rule, the subtitle."""
    safe, lang = frame.safe, frame.language.name
    width, height = safe.right - safe.left, safe.bottom - safe.top
    shown = () if _same(topic, slide.title) or not topic.strip() else (_clean(topic),)
    eyebrow, cut_eyebrow = _fit(
        _Spec(
            shown,
            lang,
            bold=True,
            sizes=frame.sizes(0.034, 0.026),
            width=width,
            height=height // 6,
            max_lines=2,
        )
    )
    title_spec = _Spec(
        (_clean(slide.title),),
        lang,
        bold=True,
        sizes=frame.sizes(0.105, 0.05),
        width=width,
        height=round(height * 0.45),
        max_lines=3,
    )
    items = body_items(slide)
    gaps = 2 * frame.px(0.035) + frame.rule + frame.px(0.03) * (1 + bool(shown))
    room = height - eyebrow.height - gaps
    title, subtitle, cut = _fit_pair(
        title_spec, functools.partial(_subtitle_spec, items, frame, room), frame.px(0.04)
    )
    layout = _stack_title(frame, (eyebrow, title, subtitle), items)
    return replace(layout, truncated=cut_eyebrow or cut)


def _stack_title(
    frame: _Frame, blocks: tuple[_Block, _Block, _Block], items: Sequence[BodyItem]
) -> SlideLayout:
    """Stack the title slide's blocks, centred vertically in the safe area."""
    eyebrow, title, subtitle = blocks
    safe, rtl = frame.safe, frame.language.rtl
    rule_gap, eyebrow_gap = frame.px(0.035), frame.px(0.03) if eyebrow.paragraphs else 0
    total = eyebrow.height + eyebrow_gap + title.height + 2 * rule_gap + frame.rule
    total += subtitle.height
    y = safe.top + max(0, (safe.bottom - safe.top - total) // 2)
    top_lines, _, y = _place(eyebrow, _Column(safe, True, rtl, "accent"), y)
    title_lines, _, y = _place(title, _Column(safe, True, rtl, "title"), y + eyebrow_gap)
    rule_width = frame.px(0.12)
    left = (frame.width - rule_width) // 2
    rule = Box(left, y + rule_gap, left + rule_width, y + rule_gap + frame.rule)
    body_lines, _, _ = _place(
        subtitle, _Column(safe, True, rtl, "muted"), rule.bottom + rule_gap, items=items
    )
    return SlideLayout(
        width=frame.width,
        height=frame.height,
        language=frame.language.name,
        title_slide=True,
        safe=safe,
        lines=(*top_lines, *title_lines, *body_lines),
        markers=(),
        rules=(rule,),
        progress=None,
        items=len(items),
        truncated=False,
    )


_RULE_GAP: Final = 0.028


def _title_spec(slide: Slide, frame: _Frame, area: Box) -> _Spec:
    return _Spec(
        (_clean(slide.title),),
        frame.language.name,
        bold=True,
        sizes=frame.sizes(0.08, 0.04),
        width=area.right - area.left,
        height=round((area.bottom - area.top) * 0.4),
        max_lines=3,
    )


def _body_spec(items: Sequence[BodyItem], frame: _Frame, area: Box, title: _Block) -> _Spec:
    """The body under `title`: never larger than three quarters of the title's type."""
    room = area.bottom - area.top - title.height - 2 * frame.px(_RULE_GAP) - frame.rule
    high = min(0.05, 0.75 * title.face.size / frame.unit)
    indent = 1.1 if any(item.bullet for item in items) else 0.0
    return _Spec(
        tuple(i.text for i in items),
        frame.language.name,
        bold=False,
        sizes=frame.sizes(high, 0.024),
        width=area.right - area.left,
        height=room,
        gap=0.42,
        indent=indent,
    )


def _fit_pair(
    title_spec: _Spec, body_for: Callable[[_Block], _Spec], floor: int
) -> tuple[_Block, _Block, bool]:
    """Title and body blocks, and whether either had to be truncated.

    The title is fitted first. When the body then does not fit even in its smallest type, the
    title shrinks further (down to `floor` px) to leave the body more room.
    """
    title, cut_title = _fit(title_spec)
    body_spec = body_for(title)
    if _largest(body_spec.sizes, functools.partial(_fits, body_spec)) is None:
        free = replace(title_spec, max_lines=None)

        def body_fits(size: int) -> bool:
            spec = body_for(_block_at(free, size))
            return _largest(spec.sizes, functools.partial(_fits, spec)) is not None

        sizes = range(title.face.size - 1, floor - 1, -1)
        size = (_largest(sizes, body_fits) or sizes[-1]) if sizes else None
        smaller = _block_at(free, size) if size is not None else None
        if smaller is not None and smaller.height <= free.height:
            title, cut_title = smaller, False
            body_spec = body_for(title)
    body, cut_body = _fit(body_spec)
    return title, body, cut_title or cut_body


def _content_slide(slide: Slide, topic: str, total: int, frame: _Frame) -> SlideLayout:
    """Title at the top, an accent rule, the body as bullets, and a footer."""
    safe, lang, rtl = frame.safe, frame.language.name, frame.language.rtl
    footer = _Face(lang, False, frame.px(0.026))
    content = replace(safe, bottom=safe.bottom - footer.pitch - frame.px(0.035))
    items = body_items(slide)
    title, body, truncated = _fit_pair(
        _title_spec(slide, frame, content),
        functools.partial(_body_spec, items, frame, content),
        frame.px(0.032),
    )
    rule_gap = frame.px(_RULE_GAP)
    used = title.height + 2 * rule_gap + frame.rule + body.height
    # Portrait frames have room to spare: centre the text a little above the middle there.
    spare = content.bottom - content.top - used if frame.height > frame.width * 1.2 else 0
    y = content.top + max(0, spare * 2 // 5)
    title_lines, _, y = _place(title, _Column(content, False, rtl, "title"), y)
    rule = _start_rule(frame, content, y + rule_gap)
    indent = _body_spec(items, frame, content, title).indent
    body_lines, markers, _ = _place(
        body,
        _Column(content, False, rtl, "body"),
        rule.bottom + rule_gap,
        indent=indent,
        items=items,
    )
    footer_lines = _footer(frame, footer, topic, slide.slide_number, total)
    progress = min(1.0, max(0.0, slide.slide_number / total))
    return SlideLayout(
        width=frame.width,
        height=frame.height,
        language=lang,
        title_slide=False,
        safe=safe,
        lines=(*title_lines, *body_lines, *footer_lines),
        markers=tuple(markers),
        rules=(rule,),
        progress=progress,
        items=len(items),
        truncated=truncated,
    )


def _start_rule(frame: _Frame, area: Box, top: int) -> Box:
    """A short accent bar under the title, on the side the text starts from."""
    width = frame.px(0.09)
    left = area.right - width if frame.language.rtl else area.left
    return Box(left, top, left + width, top + frame.rule)


def _footer(frame: _Frame, face: _Face, topic: str, number: int, total: int) -> list[TextLine]:
    """The bottom line: the slide counter ("n / total") on the end side, the topic on the start."""
    safe, rtl = frame.safe, frame.language.rtl
    top = safe.bottom - face.pitch
    # Always left-to-right: in a right-to-left run "3 / 8" would read "8 / 3".
    counter = _footer_line(face, f"{number} / {total}", safe, top, at_left=rtl, rtl=False)
    room = safe.right - safe.left - (counter.box.right - counter.box.left) - frame.px(0.05)
    text = _clean(topic)
    if not text or room < face.size * 3:
        return [counter]
    if face.estimate(text) > room * 0.985 - 1:
        text = face.ellipsize(text, room)
    return [counter, _footer_line(face, text, safe, top, at_left=not rtl, rtl=rtl)]


def _footer_line(
    face: _Face, text: str, area: Box, top: int, *, at_left: bool, rtl: bool
) -> TextLine:
    width = face.exact(text, rtl)
    left = area.left if at_left else area.right - width
    box = Box(left, top, left + width, top + face.pitch)
    return TextLine(text, box, top + face.ascent, face.size, False, "muted", rtl)


def layout_slide(
    slide: Slide, *, topic: str, total: int, language: str, size: tuple[int, int]
) -> SlideLayout:
    """Where every line, bullet dot and rule of `slide` goes on a `size` canvas.

    Slide 1 is the title slide; the others get a title, a bulleted body and a footer. Every
    text box lies inside the safe area (`SlideLayout.safe`), whatever the text's length.

    Raises:
        ValueError: the language is unknown, `total` is below 1, or `size` is too small.
        FontMissingError: the language's font is not installed.
    """
    lang = LANGUAGES.get(language)
    if lang is None:
        raise ValueError(f"unknown language {language!r}")
    if total < 1:
        raise ValueError(f"a deck has at least one slide, not {total}")
    if min(size) < 200:
        raise ValueError(f"slide size {size} is too small (200 px at least)")
    frame = _Frame(size[0], size[1], lang)
    if slide.slide_number == 1:
        return _title_slide(slide, topic, frame)
    return _content_slide(slide, topic, total, frame)


# --- painting -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _background(theme: Theme, size: tuple[int, int]) -> Image.Image:
    """The theme's vertical gradient (cached: every slide of a deck shares it)."""
    top = Image.new("RGB", size, theme.background_top)
    bottom = Image.new("RGB", size, theme.background_bottom)
    # A 256-step ramp stretched to the frame: no per-pixel Python.
    ramp = Image.linear_gradient("L").resize(size, Image.Resampling.BILINEAR)
    return Image.composite(bottom, top, ramp)


@functools.lru_cache(maxsize=64)
def _dot(diameter: int) -> Image.Image:
    """An anti-aliased disc mask, drawn four times larger and scaled down."""
    big = Image.new("L", (diameter * 4, diameter * 4))
    ImageDraw.Draw(big).ellipse((0, 0, diameter * 4 - 1, diameter * 4 - 1), fill=255)
    return big.resize((diameter, diameter), Image.Resampling.BOX)


def _colour(theme: Theme, role: Role) -> Color:
    return {"title": theme.title, "body": theme.body, "muted": theme.muted}.get(role, theme.accent)


def _decorate(draw: ImageDraw.ImageDraw, layout: SlideLayout, theme: Theme) -> None:
    """Accent rules, the title slide's side band, and the content slides' progress strip."""
    unit = min(layout.width, layout.height)
    rtl = LANGUAGES[layout.language].rtl
    for rule in layout.rules:
        draw.rectangle((rule.left, rule.top, rule.right - 1, rule.bottom - 1), fill=theme.accent)
    if layout.title_slide:
        band = max(6, round(unit * 0.014))
        left = layout.width - band if rtl else 0
        draw.rectangle((left, 0, left + band - 1, layout.height - 1), fill=theme.accent)
    if layout.progress is not None:
        _progress(draw, layout, theme, max(4, round(unit * 0.008)))


def _progress(draw: ImageDraw.ImageDraw, layout: SlideLayout, theme: Theme, strip: int) -> None:
    """The strip along the bottom edge, filled in reading direction."""
    assert layout.progress is not None
    top, filled = layout.height - strip, round(layout.width * layout.progress)
    draw.rectangle((0, top, layout.width - 1, layout.height - 1), fill=theme.track)
    if filled:
        left = layout.width - filled if LANGUAGES[layout.language].rtl else 0
        draw.rectangle((left, top, left + filled - 1, layout.height - 1), fill=theme.accent)


def _draw_line(draw: ImageDraw.ImageDraw, line: TextLine, language: str, fill: Color) -> None:
    """Draw the line's font runs on its baseline, right to left for right-to-left lines."""
    runs = _shape(line.text, language, line.bold, line.size, line.rtl)
    x = float(line.box.right if line.rtl else line.box.left)
    for run in runs:
        if line.rtl:
            x -= run.width
        draw.text(
            (x, line.baseline),
            run.text,
            font=run.font,
            fill=fill,
            anchor="ls",
            direction=run.direction,
            language=run.tag,
        )
        if not line.rtl:
            x += run.width


def _paint_item(
    draw: ImageDraw.ImageDraw, layout: SlideLayout, theme: Theme, item: int | None
) -> None:
    """Draw the lines and dots of one body item (None: everything that is always shown)."""
    for line in layout.lines:
        if line.item == item:
            _draw_line(draw, line, layout.language, _colour(theme, line.role))
    for marker in layout.markers:
        if marker.item == item:
            box = marker.box
            draw.bitmap((box.left, box.top), _dot(box.right - box.left), fill=theme.accent)


def _frames(layout: SlideLayout, theme: Theme, counts: Sequence[int]) -> Iterator[Image.Image]:
    """The slide with the first `count` items shown, for each count (ascending).

    Items are drawn onto one canvas in order, so each frame costs only its new item, and the
    drawing order is that of a fresh painting, so the pixels are too. The same canvas is yielded
    each time (a copy costs as much as drawing): use each frame before asking for the next.
    """
    image = _background(theme, (layout.width, layout.height)).copy()
    draw = ImageDraw.Draw(image)
    _decorate(draw, layout, theme)
    _paint_item(draw, layout, theme, None)
    shown = 0
    for count in counts:
        for item in range(shown, min(count, layout.items)):
            _paint_item(draw, layout, theme, item)
        shown = max(shown, count)
        yield image


def paint_layout(
    layout: SlideLayout, theme: Theme, *, visible_bullets: int | None = None
) -> Image.Image:
    """Paint `layout` in `theme`, showing the first `visible_bullets` body items (None: all).

    Raises:
        ValueError: `visible_bullets` is negative.
    """
    if visible_bullets is not None and visible_bullets < 0:
        raise ValueError(f"visible_bullets must not be negative, not {visible_bullets}")
    count = layout.items if visible_bullets is None else visible_bullets
    return next(_frames(layout, theme, (count,)))


def render_slide(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str,
    size: tuple[int, int],
    visible_bullets: int | None = None,
) -> Image.Image:
    """The slide as an RGB image of `size`, with the first `visible_bullets` items (None: all).

    Raises:
        ValueError: unknown language or theme, `total` below 1, negative `visible_bullets`.
        FontMissingError: the language's font is not installed.
    """
    style = theme_for(theme)
    layout = layout_slide(slide, topic=topic, total=total, language=language, size=size)
    return paint_layout(layout, style, visible_bullets=visible_bullets)


def render_slide_images(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str,
    size: tuple[int, int],
    out_dir: Path,
    reveal: bool,
) -> SlideImages:
    """Write the slide's frames to `out_dir` as `slide_{nn}_{j}.png` and return their paths.

    With `reveal` and at least two body items there is one frame per item (frame j shows items
    0..j); otherwise a single frame shows everything. `out_dir` is created if needed.

    Raises:
        ValueError: unknown language or theme, or `total` below 1.
        FontMissingError: the language's font is not installed.
        OSError: a frame cannot be written.
    """
    style = theme_for(theme)
    layout = layout_slide(slide, topic=topic, total=total, language=language, size=size)
    counts = range(1, layout.items + 1) if reveal and layout.items >= 2 else (layout.items,)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for j, image in enumerate(_frames(layout, style, counts)):
        path = out_dir / f"slide_{slide.slide_number:02d}_{j:02d}.png"
        # Level 1: these PNGs are read once by the encoder; size matters less than speed.
        image.save(path, format="PNG", compress_level=1)
        paths.append(path)
    return SlideImages(slide.slide_number, tuple(paths))


# --- burned-in subtitles --------------------------------------------------------------------

_CAPTION_LINES: Final = 3


def draw_caption(image: Image.Image, text: str, *, language: str) -> Image.Image:
    """A copy of `image` with `text` as a subtitle: white on a dark band near the bottom.

    The text is wrapped to 86 % of the width and shrunk until it fits in three lines; past
    that the last line ends with an ellipsis.
    """
    width, height = image.size
    unit = min(width, height)
    rtl = LANGUAGES[language].rtl
    limit = width * 0.86
    spec = _Spec(
        (text,),
        language,
        bold=False,
        sizes=range(round(unit * 0.045), round(unit * 0.026) - 1, -1),
        width=limit,
        height=round(unit * 0.045 * 1.3 * _CAPTION_LINES),
        max_lines=_CAPTION_LINES,
    )
    block, _ = _fit(spec)
    face = block.face
    lines = [line for paragraph in block.paragraphs for line in paragraph][:_CAPTION_LINES]
    pad = round(face.size * 0.45)
    band_height = face.pitch * len(lines) + 2 * pad
    bottom = height - round(unit * 0.05)
    band_top = bottom - band_height
    widest = max(face.exact(line, rtl) for line in lines)
    left = (width - widest) // 2 - pad
    result = image.convert("RGBA")
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    draw.rounded_rectangle((left, band_top, width - left, bottom), radius=pad, fill=(0, 0, 0, 170))
    result = Image.alpha_composite(result, overlay)
    text_draw = ImageDraw.Draw(result)
    for n, line in enumerate(lines):
        line_width = face.exact(line, rtl)
        x = (width - line_width) // 2
        top = band_top + pad + n * face.pitch
        box = Box(x, top, x + line_width, top + face.pitch)
        drawn = TextLine(line, box, top + face.ascent, face.size, False, "body", rtl)
        _draw_line(text_draw, drawn, language, (255, 255, 255))
    return result.convert("RGB")
