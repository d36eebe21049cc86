"""Painting a layout on a theme: `render_slide` for one image, `render_slide_images` for frames.

Nothing here is random or time-dependent: the same input gives the same PNG bytes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw

from videogen.media import fonts
from videogen.media.languages import LANGUAGES
from videogen.media.pictograms.emoji_glyphs import emoji_image
from videogen.media.pictograms.errors import PictogramMissingError
from videogen.media.pictograms.icons import icon_image
from videogen.media.pictures import PICTURES_DIR, load_picture
from videogen.media.slides.brand import brand_layout, draw_brand
from videogen.media.slides.layout import layout_slide
from videogen.media.slides.measure import shape
from videogen.media.slides.quality import slide_quality
from videogen.media.slides.themes import theme_for

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path

    from videogen.media.brand import ThemeSpec
    from videogen.media.models import Slide, SlideQuality
    from videogen.media.slides.geometry import Picture, Role, Shape, SlideLayout, TextLine
    from videogen.media.slides.themes import Color, Theme

__all__ = [
    "SlideImages",
    "draw_line",
    "paint_layout",
    "render_slide",
    "render_slide_images",
    "slide_layout",
    "slide_report",
]


@dataclass(frozen=True, slots=True)
class SlideImages:
    """The frames of one slide: `frames[j]` shows the first j+1 bullets when revealing; and the
    slide's quality report (`media.slides.quality`)."""

    slide_number: int
    frames: tuple[Path, ...]
    quality: SlideQuality


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


def _draw_picture(
    canvas: Image.Image, draw: ImageDraw.ImageDraw, shape: Shape, pictures: Path | None, fill: Color
) -> None:
    """The picture scaled into its shape's box (the box has its proportions); a track panel in
    its place when the picture is not in `pictures` or does not decode."""
    box = shape.box
    size = (max(1, box.right - box.left), max(1, box.bottom - box.top))
    picture = load_picture(pictures, shape.picture)
    if picture is None:
        draw.rectangle((box.left, box.top, box.right - 1, box.bottom - 1), fill=fill)
        return
    scaled = picture.resize(size, Image.Resampling.LANCZOS)
    canvas.paste(scaled, (box.left, box.top), scaled)


def _paint_item(
    canvas: Image.Image,
    layout: SlideLayout,
    theme: Theme,
    item: int | None,
    pictures: Path | None = None,
) -> None:
    """Draw the shapes, lines and dots of one body item (None: everything always shown)."""
    draw = ImageDraw.Draw(canvas)
    for figure in layout.shapes:
        if figure.item != item:
            continue
        fill = theme.accent if figure.fill == "accent" else theme.track
        if figure.kind == "picture":
            _draw_picture(canvas, draw, figure, pictures, fill)
        else:
            _draw_shape(draw, figure, fill)
    for line in layout.lines:
        if line.item == item:
            draw_line(draw, line, layout.language, _colour(theme, line.role))
    for marker in layout.markers:
        if marker.item == item:
            box = marker.box
            draw.bitmap((box.left, box.top), _dot(box.right - box.left), fill=theme.accent)


def _backdrop(layout: SlideLayout, theme: Theme) -> Image.Image:
    """The slide as painted with every shape but no text: what the text is read against."""
    image = _background(theme, (layout.width, layout.height)).copy()
    draw = ImageDraw.Draw(image)
    _decorate(draw, layout, theme)
    draw_brand(image, layout, theme, rtl=LANGUAGES[layout.language].rtl)
    for figure in layout.shapes:
        # A picture is never behind text (its caption sits beside it): its panel is enough.
        if figure.kind != "picture":
            _draw_shape(draw, figure, theme.accent if figure.fill == "accent" else theme.track)
    return image


def _report(slide: Slide, layout: SlideLayout, theme: Theme) -> SlideQuality:
    backdrop = _backdrop(layout, theme)
    return slide_quality(slide, layout, theme, backdrop, colour_of=_colour, draw_line=draw_line)


# The pictogram sits on a disc so it reads on any background: an emoji takes this share of the
# disc's side (its outlines are black: the disc is light), an icon, thinner, a little less.
_EMOJI_SHARE: Final = 0.74
_ICON_SHARE: Final = 0.6
# A background darker than this (relative luminance, 0..1) gets a light disc under emoji.
_DARK: Final = 0.35
_LIGHT_DISC: Final = (241, 245, 249)


def _luminance(colour: Color) -> float:
    r, g, b = (c / 255 for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _draw_pictogram(image: Image.Image, picture: Picture, theme: Theme) -> None:
    """The pictogram on its disc inside `picture.box`; nothing when it cannot be drawn (its font
    or icon set missing): the slide is still whole without it."""
    box = picture.box
    side = box.right - box.left
    try:
        if picture.kind == "emoji":
            glyph = emoji_image(picture.what, round(side * _EMOJI_SHARE))
        else:
            stroke = "#{:02x}{:02x}{:02x}".format(*theme.accent)
            glyph = icon_image(picture.what, round(side * _ICON_SHARE), stroke)
    except PictogramMissingError:
        return
    dark = _luminance(theme.background_top) < _DARK
    disc = _LIGHT_DISC if picture.kind == "emoji" and dark else theme.track
    image.paste(disc, (box.left, box.top), _dot(side))
    offset = (side - glyph.width) // 2
    image.paste(glyph, (box.left + offset, box.top + offset), glyph)


def _frames(
    layout: SlideLayout, theme: Theme, counts: Sequence[int], pictures: Path | None = None
) -> Iterator[Image.Image]:
    """The slide with the first `count` items shown, for each count (ascending).

    Items are drawn onto one canvas in order, so each frame costs only its new item, and the
    drawing order is that of a fresh painting, so the pixels are too. The same canvas is yielded
    each time (a copy costs as much as drawing): use each frame before asking for the next.
    """
    image = _background(theme, (layout.width, layout.height)).copy()
    draw = ImageDraw.Draw(image)
    _decorate(draw, layout, theme)
    draw_brand(image, layout, theme, rtl=LANGUAGES[layout.language].rtl)
    if layout.picture is not None:
        _draw_pictogram(image, layout.picture, theme)
    _paint_item(image, layout, theme, None, pictures)
    shown = 0
    for count in counts:
        for item in range(shown, min(count, layout.items)):
            _paint_item(image, layout, theme, item, pictures)
        shown = max(shown, count)
        yield image


def paint_layout(
    layout: SlideLayout,
    theme: Theme,
    *,
    visible_bullets: int | None = None,
    pictures: Path | None = None,
) -> Image.Image:
    """Paint `layout` in `theme`, showing the first `visible_bullets` body items (None: all);
    its pictures are read from the folder `pictures` (`media.pictures.load_picture`).

    Raises:
        ValueError: `visible_bullets` is negative.
    """
    if visible_bullets is not None and visible_bullets < 0:
        raise ValueError(f"visible_bullets must not be negative, not {visible_bullets}")
    count = layout.items if visible_bullets is None else visible_bullets
    return next(_frames(layout, theme, (count,), pictures))


def _layout(
    slide: Slide, topic: str, total: int, language: str, style: Theme, size: tuple[int, int]
) -> SlideLayout:
    """The slide laid out and branded; the content slides' footer shows the theme's text."""
    shown = topic if slide.slide_number == 1 else style.footer(topic)
    layout = layout_slide(
        slide, topic=shown, total=total, language=language, size=size, title_scale=style.title_scale
    )
    return brand_layout(layout, style)


def slide_layout(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str | ThemeSpec,
    size: tuple[int, int],
) -> SlideLayout:
    """The layout `render_slide` paints for these arguments (branded), for a reader that redraws
    parts of it elsewhere (the PPTX export's editable text). Raises as `render_slide` does."""
    return _layout(slide, topic, total, language, theme_for(theme), size)


def render_slide(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str | ThemeSpec,
    size: tuple[int, int],
    visible_bullets: int | None = None,
    pictures: Path | None = None,
) -> Image.Image:
    """The slide as an RGB image of `size`, with the first `visible_bullets` items (None: all).

    `theme` is a built-in theme's name or a brand kit (`media.brand.ThemeSpec`); an image
    slide's picture is read from the folder `pictures` (not drawn without it).

    Raises:
        ValueError: unknown language or theme, `total` below 1, negative `visible_bullets`.
        FontMissingError: the language's font is not installed.
    """
    style = theme_for(theme)
    layout = _layout(slide, topic, total, language, style, size)
    return paint_layout(layout, style, visible_bullets=visible_bullets, pictures=pictures)


def slide_report(
    slide: Slide,
    *,
    topic: str,
    total: int,
    language: str,
    theme: str | ThemeSpec,
    size: tuple[int, int],
) -> SlideQuality:
    """The quality report `render_slide_images` gives for the slide, without writing frames.

    Raises:
        ValueError: unknown language or theme, or `total` below 1.
        FontMissingError: the language's font is not installed.
        OSError: the theme's logo cannot be decoded.
    """
    style = theme_for(theme)
    return _report(slide, _layout(slide, topic, total, language, style, size), style)


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
    0..j); otherwise a single frame shows everything. `out_dir` is created if needed. An image
    slide's picture is read from `out_dir/pictures` (`media.pictures.save_pictures` writes it
    there: `out_dir` is the generation's work directory).

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
    for j, image in enumerate(_frames(layout, style, counts, out_dir / PICTURES_DIR)):
        path = out_dir / f"slide_{slide.slide_number:02d}_{j:02d}.png"
        # Level 1: these PNGs are read once by the encoder; size matters less than speed.
        image.save(path, format="PNG", compress_level=1)
        paths.append(path)
    return SlideImages(slide.slide_number, tuple(paths), _report(slide, layout, style))
