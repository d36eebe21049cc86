"""A drawn slide's quality report: type too small, overflow, tofu and contrast under WCAG AA.

`slide_quality` looks at a laid-out slide (`SlideLayout`) and the backdrop it is painted on (the
theme's gradient, bands and the diagram's shapes, without the text), so the contrast is measured
against what is actually behind each line. It runs where the slide is drawn
(`media.slides.paint.render_slide_images`); the slides stage carries the report into the
content and the logs. Pure and deterministic, like the drawing.

The four findings:

- "shrunk": a line set below `READABLE` of the frame's short side;
- "overflow": text cut with an ellipsis (`SlideLayout.truncated`), a word broken across lines,
  ink leaving its box (the body box for a diagram's text, else the safe area), a shape leaving
  its box, or two lines on top of each other;
- "tofu": characters that no font of the line's chain has a glyph for. fontTools is not a
  dependency, so coverage is `media.fonts.missing_glyphs`' test: a character counts as missing
  when its unshaped rendering is the font's .notdef box;
- "contrast": a line whose colour against the backdrop under its glyphs is below WCAG AA
  (4.5:1, or 3:1 for large text).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw

from videogen.media import fonts
from videogen.media.languages import LANGUAGES
from videogen.media.slides.body import body_items, clean
from videogen.media.slides.geometry import Box
from videogen.media.slides.wrap import soft_break
from videogen.media.visuals import QualityIssue, SlideQuality

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from videogen.media.models import Slide
    from videogen.media.slides.geometry import Role, SlideLayout, TextLine
    from videogen.media.slides.themes import Color, Theme

    # The painter's (`media.slides.paint`): a line drawn on its baseline, and a role's colour.
    DrawLine = Callable[[ImageDraw.ImageDraw, TextLine, str, Color], None]
    ColourOf = Callable[[Theme, Role], Color]

__all__ = ["READABLE", "contrast_ratio", "slide_quality"]

# The smallest readable type, as a fraction of the short side: the fitting code's own floor
# (`media.slides.layouts.common.MIN_TEXT`, the bullets' minimum), 17 px at 720p.
READABLE: Final = 0.024
# WCAG 2.x AA: 4.5:1 for text, 3:1 for large text (18 pt, or 14 pt bold: 24 px, 18.67 px bold).
AA_TEXT: Final = 4.5
AA_LARGE: Final = 3.0
_LARGE_PX: Final = 24.0
_LARGE_BOLD_PX: Final = 18.67
# Sizes are judged as on a 720p frame shown at its own pixels (the smallest frame we make), so
# a slide gets the same verdict at every resolution.
_REFERENCE_SHORT_SIDE: Final = 720
# The contrast a line meets on all but this share of its ink: one anti-aliased pixel of a
# panel's edge under a glyph is not the background the text is read against.
_INK_OUTLIERS: Final = 0.02
# A glyph mask pixel at least half opaque counts as ink.
_THRESHOLD: Final = [0] * 128 + [255] * 128
# A word broken across lines is only reported for words of this many characters or more.
_WORD: Final = 2


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def _luminance(colour: Color) -> float:
    red, green, blue = (_linear(c) for c in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG's contrast ratio of two sRGB colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _mask(line: TextLine, language: str, draw_line: DrawLine) -> tuple[Image.Image, Box]:
    """The line's ink (glyph pixels at least half opaque) as a 0/255 mask, and where the mask
    lies on the frame (the line's box padded by one em on every side, so ink outside the box
    is in it too)."""
    pad = line.size
    box = line.box
    width, height = box.right - box.left + 2 * pad, box.bottom - box.top + 2 * pad
    moved = replace(
        line,
        box=Box(pad, pad, pad + box.right - box.left, pad + box.bottom - box.top),
        baseline=line.baseline - box.top + pad,
    )
    # RGB: the painter draws in colour tuples, which an "L" canvas refuses.
    canvas = Image.new("RGB", (width, height))
    draw_line(ImageDraw.Draw(canvas), moved, language, (255, 255, 255))
    mask = canvas.convert("L").point(_THRESHOLD)
    where = Box(box.left - pad, box.top - pad, box.right + pad, box.bottom + pad)
    return mask, where


def _ink(mask: Image.Image, where: Box) -> Box | None:
    found = mask.getbbox()
    if found is None:
        return None
    left, top, right, bottom = found
    return Box(where.left + left, where.top + top, where.left + right, where.top + bottom)


def _behind(
    backdrop: Image.Image, mask: Image.Image, where: Box, ink: Box | None
) -> list[tuple[int, Color]]:
    """The backdrop's colours under the ink, with their pixel counts (ink off the frame is not
    counted: it is an overflow)."""
    if ink is None:
        return []
    clip = Box(
        max(0, ink.left),
        max(0, ink.top),
        min(backdrop.width, ink.right),
        min(backdrop.height, ink.bottom),
    )
    if clip.right <= clip.left or clip.bottom <= clip.top:
        return []
    region = backdrop.crop((clip.left, clip.top, clip.right, clip.bottom)).convert("RGBA")
    left, top = clip.left - where.left, clip.top - where.top
    region.putalpha(mask.crop((left, top, left + region.width, top + region.height)))
    colours = region.getcolors(maxcolors=region.width * region.height) or []
    found: list[tuple[int, Color]] = []
    for count, pixel in colours:
        assert isinstance(pixel, tuple)  # an RGBA image's colours are 4-tuples
        red, green, blue, alpha = pixel
        if alpha == 255:
            found.append((count, (red, green, blue)))
    return found


def _met(colour: Color, behind: Sequence[tuple[int, Color]]) -> float | None:
    """The contrast `colour` meets on all but `_INK_OUTLIERS` of the ink (None: no ink)."""
    ratios = sorted((contrast_ratio(colour, under), count) for count, under in behind)
    total = sum(count for _, count in ratios)
    if not total:
        return None
    allowed = total * _INK_OUTLIERS
    seen = 0
    for ratio, count in ratios:
        seen += count
        if seen > allowed:
            return ratio
    return ratios[-1][0]


def _large(line: TextLine, unit: int) -> bool:
    size = line.size * _REFERENCE_SHORT_SIDE / unit
    return size >= _LARGE_PX or (line.bold and size >= _LARGE_BOLD_PX)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"


def _named(line: TextLine) -> str:
    return f"{line.role} {_short(line.text)!r}"


def _source_words(slide: Slide) -> set[str]:
    """The words the slide's texts hold (title, body, the visuals' labels), to find broken ones."""
    texts = [slide.title, *(item.text for item in body_items(slide))]
    for visual in slide.visuals:
        data = visual.data
        texts.extend(data.steps)
        texts.extend(bar.label for bar in data.bars)
        texts.extend(f"{event.date} {event.text}" for event in data.events)
        texts.extend((data.figure, data.caption))
        for column in data.columns:
            texts.extend((column.heading, *column.items))
    return {word for text in texts for word in clean(text).split() if len(word) >= _WORD}


def _blocks(lines: Sequence[TextLine]) -> Iterator[list[TextLine]]:
    """Runs of lines that wrap one text: same role, item and size, each right below the last."""
    block: list[TextLine] = []
    for line in lines:
        last = block[-1] if block else None
        if (
            last is not None
            and (last.role, last.item, last.size, last.bold)
            == (line.role, line.item, line.size, line.bold)
            and line.box.top == last.box.bottom
        ):
            block.append(line)
            continue
        if block:
            yield block
        block = [line]
    if block:
        yield block


def _broken_at(glued: str, ends: Sequence[int], word: str) -> bool:
    """Whether `word`, found in the lines `glued` together (each line ending at `ends`), is cut
    somewhere other than a soft break (a URL broken after a slash reads as one)."""
    start = glued.find(word)
    cuts = [end for end in ends if start < end < start + len(word)]
    return any(not soft_break(glued[:end], glued[end:]) for end in cuts)


def _broken_words(slide: Slide, layout: SlideLayout) -> list[QualityIssue]:
    """Words of a spaced script split between two lines ("Condensatio" / "n")."""
    if not LANGUAGES[layout.language].spaced:
        return []
    words = _source_words(slide)
    issues = []
    for block in _blocks(layout.lines):
        if len(block) < 2:
            continue
        spaced = " ".join(line.text for line in block)
        glued = "".join(line.text for line in block)
        ends = list(itertools.accumulate(len(line.text) for line in block))
        broken = sorted(
            w for w in words if w in glued and w not in spaced and _broken_at(glued, ends, w)
        )
        if broken:
            issues.append(
                QualityIssue(
                    kind="overflow",
                    detail=f"{block[0].role}: a word broken across lines: {_short(broken[0])!r}",
                )
            )
    return issues


def _overflow(slide: Slide, layout: SlideLayout, inks: Sequence[Box | None]) -> list[QualityIssue]:
    issues = []
    if layout.truncated:
        cut = [_named(line) for line in layout.lines if line.text.endswith("…")]
        issues.append(
            QualityIssue(
                kind="overflow",
                detail="text cut with an ellipsis" + (f": {cut[0]}" if cut else ""),
            )
        )
    issues.extend(_broken_words(slide, layout))
    for line, ink in zip(layout.lines, inks, strict=True):
        room = layout.body if layout.body is not None and line.item is not None else layout.safe
        if ink is not None and not ink.inside(room):
            where = "body box" if room is layout.body else "safe area"
            issues.append(
                QualityIssue(kind="overflow", detail=f"{_named(line)} leaves the {where}: {ink}")
            )
    for shape in layout.shapes:
        room = layout.body or layout.safe
        if not shape.box.inside(room):
            issues.append(
                QualityIssue(kind="overflow", detail=f"a {shape.kind} leaves its box: {shape.box}")
            )
    boxes = [line.box for line in layout.lines]
    for i, box in enumerate(boxes):
        other = next((j for j in range(i + 1, len(boxes)) if box.overlaps(boxes[j])), None)
        if other is not None:
            detail = f"{_named(layout.lines[i])} overlaps {_named(layout.lines[other])}"
            issues.append(QualityIssue(kind="overflow", detail=detail))
    return issues


def _shrunk(layout: SlideLayout) -> list[QualityIssue]:
    unit = min(layout.width, layout.height)
    floor = round(unit * READABLE)
    small: dict[str, int] = {}
    for line in layout.lines:
        if line.size < floor:
            small[line.role] = min(line.size, small.get(line.role, line.size))
    return [
        QualityIssue(
            kind="shrunk",
            detail=f"{role} text at {size} px ({size / unit:.3f} of the short side), "
            f"below the readable {READABLE} ({floor} px)",
        )
        for role, size in small.items()
    ]


def _tofu(layout: SlideLayout) -> list[QualityIssue]:
    missing: dict[str, set[str]] = {}
    for line in layout.lines:
        for char in fonts.missing_glyphs(line.text, layout.language, bold=line.bold):
            missing.setdefault(char, set()).add(line.role)
    return [
        QualityIssue(
            kind="tofu",
            detail=f"no glyph for U+{ord(char):04X} {char!r} ({', '.join(sorted(roles))} text)",
        )
        for char, roles in sorted(missing.items())
    ]


def _contrast(
    layout: SlideLayout, colours: Sequence[Color], behinds: Sequence[Sequence[tuple[int, Color]]]
) -> list[QualityIssue]:
    unit = min(layout.width, layout.height)
    worst: dict[str, tuple[float, float]] = {}
    for line, colour, behind in zip(layout.lines, colours, behinds, strict=True):
        ratio = _met(colour, behind)
        need = AA_LARGE if _large(line, unit) else AA_TEXT
        if ratio is not None and ratio < need:
            seen = worst.get(line.role)
            if seen is None or ratio < seen[0]:
                worst[line.role] = (ratio, need)
    return [
        QualityIssue(
            kind="contrast",
            detail=f"{role} text at {ratio:.2f}:1 against its background, under AA {need:g}:1",
        )
        for role, (ratio, need) in worst.items()
    ]


def slide_quality(
    slide: Slide,
    layout: SlideLayout,
    theme: Theme,
    backdrop: Image.Image,
    *,
    colour_of: ColourOf,
    draw_line: DrawLine,
) -> SlideQuality:
    """The report of `slide` laid out as `layout`, painted in `theme` on `backdrop` (the frame
    without its text). `colour_of` and `draw_line` are the painter's (`media.slides.paint`),
    so the glyphs measured are the glyphs drawn."""
    masks = [_mask(line, layout.language, draw_line) for line in layout.lines]
    inks = [_ink(mask, where) for mask, where in masks]
    behinds = [
        _behind(backdrop, mask, where, ink) for (mask, where), ink in zip(masks, inks, strict=True)
    ]
    colours = [colour_of(theme, line.role) for line in layout.lines]
    issues = (
        *_shrunk(layout),
        *_overflow(slide, layout, inks),
        *_tofu(layout),
        *_contrast(layout, colours, behinds),
    )
    return SlideQuality(ok=not issues, issues=issues)
