"""The two slide layouts, title and content: `layout_slide` is the pure part of rendering.

It measures the text with the real fonts, wraps it to the safe area and shrinks the type until
title and body fit, returning every line's box. A content slide whose `layout` is a diagram
(process, timeline, chart, big number, comparison, quote) has its body drawn by
`media.slides.layouts` instead of as bullets, when the slide holds that diagram's data.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING, Final

from videogen.media.languages import LANGUAGES
from videogen.media.slides.body import body_items, clean
from videogen.media.slides.fit import Spec, block_at, fit, fits_at, largest
from videogen.media.slides.geometry import Box, SlideLayout, TextLine
from videogen.media.slides.layouts import DIAGRAM_LAYOUTS, draw_body
from videogen.media.slides.measure import Face
from videogen.media.slides.picture import pictogram_of, picture_room, placed
from videogen.media.slides.place import Column, Frame, place

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence, Set

    from videogen.media.models import Slide
    from videogen.media.slides.body import BodyItem
    from videogen.media.slides.fit import Block
    from videogen.media.slides.geometry import Picture
    from videogen.media.slides.layouts import Drawn
    from videogen.media.slides.picture import PictureRoom

__all__ = ["layout_slide"]


def _same(a: str, b: str) -> bool:
    return clean(a).casefold() == clean(b).casefold()


def _subtitle_spec(items: Sequence[BodyItem], frame: Frame, room: int, title: Block) -> Spec:
    """The title slide's subtitle: at most about half the title's type."""
    safe = frame.safe
    high = min(0.048, 0.55 * title.face.size / frame.unit)
    return Spec(
        tuple(i.text for i in items),
        frame.language.name,
        bold=False,
        sizes=frame.sizes(high, 0.024),
        width=safe.right - safe.left,
        height=room - title.height,
        gap=0.35,
    )


def _title_slide(slide: Slide, topic: str, frame: Frame) -> SlideLayout:
    """Centred: the topic small (unless it is the title), the title, a rule, the subtitle."""
    safe, lang = frame.safe, frame.language.name
    width, height = safe.right - safe.left, safe.bottom - safe.top
    shown = () if _same(topic, slide.title) or not topic.strip() else (clean(topic),)
    eyebrow, cut_eyebrow = fit(
        Spec(
            shown,
            lang,
            bold=True,
            sizes=frame.sizes(0.034, 0.026),
            width=width,
            height=height // 6,
            max_lines=2,
        )
    )
    title_spec = Spec(
        (clean(slide.title),),
        lang,
        bold=True,
        sizes=frame.title_sizes(0.105, 0.05),
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
    frame: Frame, blocks: tuple[Block, Block, Block], items: Sequence[BodyItem]
) -> SlideLayout:
    """Stack the title slide's blocks, centred vertically in the safe area."""
    eyebrow, title, subtitle = blocks
    safe, rtl = frame.safe, frame.language.rtl
    rule_gap, eyebrow_gap = frame.px(0.035), frame.px(0.03) if eyebrow.paragraphs else 0
    total = eyebrow.height + eyebrow_gap + title.height + 2 * rule_gap + frame.rule
    total += subtitle.height
    y = safe.top + max(0, (safe.bottom - safe.top - total) // 2)
    top_lines, _, y = place(eyebrow, Column(safe, True, rtl, "accent"), y)
    title_lines, _, y = place(title, Column(safe, True, rtl, "title"), y + eyebrow_gap)
    rule_width = frame.px(0.12)
    left = (frame.width - rule_width) // 2
    rule = Box(left, y + rule_gap, left + rule_width, y + rule_gap + frame.rule)
    body_lines, _, _ = place(
        subtitle, Column(safe, True, rtl, "muted"), rule.bottom + rule_gap, items=items
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
# Diagrams that leave room for a pictogram beside them (the others need the whole width).
_PICTURED_DIAGRAMS: Final = frozenset({"big_number"})
# A pictogram is drawn only if the body's type keeps at least this share of its size without.
_KEEP_TEXT: Final = 0.85


def _title_spec(slide: Slide, frame: Frame, area: Box) -> Spec:
    return Spec(
        (clean(slide.title),),
        frame.language.name,
        bold=True,
        sizes=frame.title_sizes(0.08, 0.04),
        width=area.right - area.left,
        height=round((area.bottom - area.top) * 0.4),
        max_lines=3,
    )


def _body_spec(items: Sequence[BodyItem], frame: Frame, area: Box, title: Block) -> Spec:
    """The body under `title`: never larger than three quarters of the title's type."""
    room = area.bottom - area.top - title.height - 2 * frame.px(_RULE_GAP) - frame.rule
    high = min(0.05, 0.75 * title.face.size / frame.unit)
    indent = 1.1 if any(item.bullet for item in items) else 0.0
    return Spec(
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
    title_spec: Spec, body_for: Callable[[Block], Spec], floor: int
) -> tuple[Block, Block, bool]:
    """Title and body blocks, and whether either had to be truncated.

    The title is fitted first. When the body then does not fit even in its smallest type, the
    title shrinks further (down to `floor` px) to leave the body more room.
    """
    title, cut_title = fit(title_spec)
    body_spec = body_for(title)
    if largest(body_spec.sizes, functools.partial(fits_at, body_spec)) is None:
        free = replace(title_spec, max_lines=None)

        def body_fits(size: int) -> bool:
            spec = body_for(block_at(free, size))
            return largest(spec.sizes, functools.partial(fits_at, spec)) is not None

        sizes = range(title.face.size - 1, floor - 1, -1)
        size = (largest(sizes, body_fits) or sizes[-1]) if sizes else None
        smaller = block_at(free, size) if size is not None else None
        if smaller is not None and smaller.height <= free.height:
            title, cut_title = smaller, False
            body_spec = body_for(title)
    body, cut_body = fit(body_spec)
    return title, body, cut_title or cut_body


def _diagram_slide(
    slide: Slide, topic: str, total: int, frame: Frame, content: Box, footer: Face
) -> SlideLayout | None:
    """Title at the top, an accent rule, the body drawn in the slide's layout (a process, a
    timeline, a chart ...) in the room left, and a footer; None when the layout cannot be
    drawn from what the slide holds (it is drawn as bullets then)."""
    rtl = frame.language.rtl
    spec = _title_spec(slide, frame, content)
    title, cut_title = fit(replace(spec, height=round((content.bottom - content.top) * 0.3)))
    rule_gap = frame.px(_RULE_GAP)
    title_lines, _, y = place(title, Column(content, False, rtl, "title"), content.top)
    rule = _start_rule(frame, content, y + rule_gap)
    body = Box(content.left, rule.bottom + 2 * rule_gap, content.right, content.bottom)
    if body.bottom - body.top < frame.px(0.2):
        return None
    drawn, area, picture = _drawn_with_picture(slide, frame, body)
    if drawn is None:
        return None
    shown = {"image"} if slide.layout == "image" else set()
    if picture is not None:
        shown |= _PICTOGRAMS
    credit = _footer_text(slide, topic, shown)
    footer_lines = _footer(frame, footer, credit, slide.slide_number, total)
    return SlideLayout(
        width=frame.width,
        height=frame.height,
        language=frame.language.name,
        title_slide=False,
        safe=frame.safe,
        lines=(*title_lines, *drawn.lines, *footer_lines),
        markers=(),
        rules=(rule,),
        progress=min(1.0, max(0.0, slide.slide_number / total)),
        items=drawn.items,
        truncated=cut_title or drawn.truncated,
        shapes=drawn.shapes,
        body=area,
        picture=picture,
    )


def _drawn_with_picture(
    slide: Slide, frame: Frame, body: Box
) -> tuple[Drawn | None, Box, Picture | None]:
    """The diagram drawn in `body`, beside (or under) the slide's pictogram when it has one and
    its layout leaves room for it (a big number does), and nothing is cut that fits without it.
    Returns what was drawn, the box it was drawn in, and the picture."""
    pictogram = pictogram_of(slide)
    room = picture_room(frame, body) if pictogram is not None else None
    if pictogram is not None and room is not None and slide.layout in _PICTURED_DIAGRAMS:
        drawn = draw_body(slide, frame, room.text)
        if drawn is not None and not drawn.truncated:
            picture = placed(room, frame, body, body.top, body.bottom - body.top, *pictogram)
            return drawn, room.text, picture
    return draw_body(slide, frame, body), body, None


def _content_slide(slide: Slide, topic: str, total: int, frame: Frame) -> SlideLayout:
    """Title at the top, an accent rule, the body as bullets (or the slide's diagram layout),
    and a footer. A pictogram visual is drawn beside the bullets (above them on portrait
    frames) when the text still fits uncut and nearly as large; else the slide is drawn
    without it."""
    safe, lang = frame.safe, frame.language.name
    footer = Face(lang, False, frame.px(0.026))
    content = replace(safe, bottom=safe.bottom - footer.pitch - frame.px(0.035))
    if slide.layout in DIAGRAM_LAYOUTS:
        diagram = _diagram_slide(slide, topic, total, frame, content, footer)
        if diagram is not None:
            return diagram
    plain = _bullets_slide(slide, topic, total, frame, (content, footer), None, None)
    pictogram = pictogram_of(slide)
    room = picture_room(frame, content) if pictogram is not None else None
    if pictogram is None or room is None:
        return plain
    pictured = _bullets_slide(slide, topic, total, frame, (content, footer), room, pictogram)
    # A picture is worth less than readable text: none when the text would be cut, or shrunk
    # well below the size it has without the picture.
    if pictured.truncated or _body_size(pictured) < _KEEP_TEXT * _body_size(plain):
        return plain
    return pictured


def _body_size(layout: SlideLayout) -> int:
    return max((line.size for line in layout.lines if line.role == "body"), default=0)


def _bullets_slide(
    slide: Slide,
    topic: str,
    total: int,
    frame: Frame,
    parts: tuple[Box, Face],
    room: PictureRoom | None,
    pictogram: tuple[str, str] | None,
) -> SlideLayout:
    """The bullets slide in `content` (with its `footer` face), its body fitted into the room
    a picture leaves (`room`, None: no picture)."""
    content, footer = parts
    safe, lang, rtl = frame.safe, frame.language.name, frame.language.rtl
    text = room.text if room is not None else content
    items = body_items(slide)
    title, body, truncated = _fit_pair(
        _title_spec(slide, frame, content),
        functools.partial(_body_spec, items, frame, text),
        frame.px(0.032),
    )
    rule_gap = frame.px(_RULE_GAP)
    above = room.side + room.gap if room is not None and room.above else 0
    used = title.height + 2 * rule_gap + frame.rule + above + body.height
    # Portrait frames have room to spare: centre the text a little above the middle there.
    spare = content.bottom - content.top - used if frame.height > frame.width * 1.2 else 0
    y = content.top + max(0, spare * 2 // 5)
    title_lines, _, y = place(title, Column(content, False, rtl, "title"), y)
    rule = _start_rule(frame, content, y + rule_gap)
    body_top = rule.bottom + rule_gap
    indent = _body_spec(items, frame, text, title).indent
    body_lines, markers, _ = place(
        body,
        Column(text, False, rtl, "body"),
        body_top + above,
        indent=indent,
        items=items,
    )
    picture = None
    if room is not None and pictogram is not None:
        picture = placed(room, frame, content, body_top, body.height, *pictogram)
    credit = _footer_text(slide, topic, _PICTOGRAMS if picture is not None else set())
    footer_lines = _footer(frame, footer, credit, slide.slide_number, total)
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
        picture=picture,
    )


def _start_rule(frame: Frame, area: Box, top: int) -> Box:
    """A short accent bar under the title, on the side the text starts from."""
    width = frame.px(0.09)
    left = area.right - width if frame.language.rtl else area.left
    return Box(left, top, left + width, top + frame.rule)


_PICTOGRAMS: Final = frozenset({"emoji", "icon"})


def _footer_text(slide: Slide, topic: str, shown: Set[str]) -> str:
    """The footer's text: the credit of the picture the slide shows (`shown`: the visual kinds
    actually drawn) when it came from elsewhere ("OpenMoji, CC BY-SA 4.0"): a licence such as
    CC BY-SA asks that the credit be shown with the work, on the slide itself; else the topic."""
    for visual in slide.visuals:
        if visual.kind in shown and visual.source and visual.license:
            return f"{visual.source}, {visual.license}"
    return topic


def _footer(frame: Frame, face: Face, topic: str, number: int, total: int) -> list[TextLine]:
    """The bottom line: the slide counter ("n / total") on the end side, the topic (or the
    credit of the slide's picture, `_footer_text`) on the start."""
    safe, rtl = frame.safe, frame.language.rtl
    top = safe.bottom - face.pitch
    # Always left-to-right: in a right-to-left run "3 / 8" would read "8 / 3".
    counter = _footer_line(face, f"{number} / {total}", safe, top, at_left=rtl, rtl=False)
    room = safe.right - safe.left - (counter.box.right - counter.box.left) - frame.px(0.05)
    text = clean(topic)
    if not text or room < face.size * 3:
        return [counter]
    if face.estimate(text) > room * 0.985 - 1:
        text = face.ellipsize(text, room)
    return [counter, _footer_line(face, text, safe, top, at_left=not rtl, rtl=rtl)]


def _footer_line(
    face: Face, text: str, area: Box, top: int, *, at_left: bool, rtl: bool
) -> TextLine:
    width = face.exact(text, rtl)
    left = area.left if at_left else area.right - width
    box = Box(left, top, left + width, top + face.pitch)
    return TextLine(text, box, top + face.ascent, face.size, False, "muted", rtl)


def layout_slide(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    size: tuple[int, int],
    title_scale: float = 1.0,
) -> SlideLayout:
    """Where every line, bullet dot and rule of `slide` goes on a `size` canvas.

    Slide 1 is the title slide; the others get a title, a bulleted body and a footer. Every
    text box lies inside the safe area (`SlideLayout.safe`), whatever the text's length.
    `title_scale` (a brand kit's) scales the titles' type range.

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
    frame = Frame(size[0], size[1], lang, title_scale)
    if slide.slide_number == 1:
        return _title_slide(slide, topic, frame)
    return _content_slide(slide, topic, total, frame)
