"""Painting a layout on a theme: `render_slide` for one image, `render_slide_images` for frames.

Nothing here is random or time-dependent: the same input gives the same PNG bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from videogen.media import fonts
from videogen.media.languages import LANGUAGES
from videogen.media.slides.brand import brand_layout, draw_brand
from videogen.media.slides.layout import layout_slide
from videogen.media.slides.measure import shape
from videogen.media.slides.themes import theme_for

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from videogen.media.brand import ThemeSpec
    from videogen.media.models import Slide
    from videogen.media.slides.geometry import Role, Shape, SlideLayout, TextLine
    from videogen.media.slides.themes import Color, Theme

__all__ = ["SlideImages", "draw_line", "paint_layout", "render_slide", "render_slide_images"]


@dataclass(frozen=True, slots=True)
class SlideImages:
    """The frames of one slide: `frames[j]` shows the first j+1 bullets when revealing."""

    slide_number: int
    frames: tuple[Path, ...]


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
    if layout.title_slide and theme.title_style != "band":
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


def draw_line(draw: ImageDraw.ImageDraw, line: TextLine, language: str, fill: Color) -> None:
    """Draw the line's font runs on its baseline, right to left for right-to-left lines."""
    if line.mono:
        font = fonts.mono_font(line.size)
        draw.text((line.box.left, line.baseline), line.text, font=font, fill=fill, anchor="ls")
        return
    runs = shape(line.text, language, line.bold, line.size, line.rtl)
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


def _draw_shape(draw: ImageDraw.ImageDraw, shape: Shape, fill: Color) -> None:
    box = shape.box
    corners = (box.left, box.top, box.right - 1, box.bottom - 1)
    if shape.kind == "panel":
        radius = max(2, min(box.right - box.left, box.bottom - box.top) // 6)
        draw.rounded_rectangle(corners, radius=radius, fill=fill)
    elif shape.kind == "rect":
        draw.rectangle(corners, fill=fill)
    elif shape.kind == "disc":
        draw.ellipse(corners, fill=fill)
    elif shape.kind == "polygon":
        draw.polygon(list(shape.points), fill=fill)
    else:
        draw.line(list(shape.points), fill=fill, width=shape.width, joint="curve")


def _paint_item(
    draw: ImageDraw.ImageDraw, layout: SlideLayout, theme: Theme, item: int | None
) -> None:
    """Draw the shapes, lines and dots of one body item (None: everything always shown)."""
    for figure in layout.shapes:
        if figure.item == item:
            _draw_shape(draw, figure, theme.accent if figure.fill == "accent" else theme.track)
    for line in layout.lines:
        if line.item == item:
            draw_line(draw, line, layout.language, _colour(theme, line.role))
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
    draw_brand(image, layout, theme, rtl=LANGUAGES[layout.language].rtl)
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


def _layout(
    slide: Slide, topic: str, total: int, language: str, style: Theme, size: tuple[int, int]
) -> SlideLayout:
    """The slide laid out and branded; the content slides' footer shows the theme's text."""
    shown = topic if slide.slide_number == 1 else style.footer(topic)
    layout = layout_slide(
        slide, topic=shown, total=total, language=language, size=size, title_scale=style.title_scale
    )
    return brand_layout(layout, style)


def render_slide(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str | ThemeSpec,
    size: tuple[int, int],
    visible_bullets: int | None = None,
) -> Image.Image:
    """The slide as an RGB image of `size`, with the first `visible_bullets` items (None: all).

    `theme` is a built-in theme's name or a brand kit (`media.brand.ThemeSpec`).

    Raises:
        ValueError: unknown language or theme, `total` below 1, negative `visible_bullets`.
        FontMissingError: the language's font is not installed.
    """
    style = theme_for(theme)
    layout = _layout(slide, topic, total, language, style, size)
    return paint_layout(layout, style, visible_bullets=visible_bullets)


def render_slide_images(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str | ThemeSpec,
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
        OSError: a frame cannot be written, or the theme's logo cannot be decoded.
    """
    style = theme_for(theme)
    layout = _layout(slide, topic, total, language, style, size)
    counts = range(1, layout.items + 1) if reveal and layout.items >= 2 else (layout.items,)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for j, image in enumerate(_frames(layout, style, counts)):
        path = out_dir / f"slide_{slide.slide_number:02d}_{j:02d}.png"
        # Level 1: these PNGs are read once by the encoder; size matters less than speed.
        image.save(path, format="PNG", compress_level=1)
        paths.append(path)
    return SlideImages(slide.slide_number, tuple(paths))
