"""A brand kit applied to a laid-out slide: title weight, title-slide style, bands and the logo.

`brand_layout` is pure (a `SlideLayout` in, a `SlideLayout` out) and runs after any layout, so
the layouts themselves know nothing of brands; `draw_brand` paints what is not text. With the
built-in themes (bold, centred, no logo) both leave the slide exactly as it was.
"""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import TYPE_CHECKING

from PIL import Image, ImageDraw

from videogen.media.slides.geometry import Box, SlideLayout, TextLine
from videogen.media.slides.measure import Face

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.slides.themes import Theme

__all__ = ["brand_layout", "draw_brand", "logo_box"]

# The logo sits in the top margin (7.5 % of the short side), so it never covers text.
_LOGO_HEIGHT = 0.05
_LOGO_MAX_ASPECT = 4.0
_BAND = 0.035


def _shift(box: Box, dx: int) -> Box:
    return Box(box.left + dx, box.top, box.right + dx, box.bottom)


def _regular(line: TextLine, language: str, centred: bool) -> TextLine:
    """The title line in the regular weight, kept on its side (or centre) of its old box."""
    width = Face(language, False, line.size).exact(line.text, line.rtl)
    box = line.box
    if centred:
        left = (box.left + box.right - width) // 2
    elif line.rtl:
        left = box.right - width
    else:
        left = box.left
    return replace(line, bold=False, box=Box(left, box.top, left + width, box.bottom))


def brand_layout(layout: SlideLayout, theme: Theme) -> SlideLayout:
    """`layout` with the theme's title weight and, on the title slide, its alignment."""
    lines = layout.lines
    if not theme.title_bold:
        lines = tuple(
            _regular(line, layout.language, layout.title_slide) if line.role == "title" else line
            for line in lines
        )
    rules = layout.rules
    if layout.title_slide and theme.title_style == "left":
        safe = layout.safe

        def to_start(box: Box, rtl: bool) -> Box:
            return _shift(box, safe.right - box.right if rtl else safe.left - box.left)

        rtl = any(line.rtl for line in lines)
        lines = tuple(replace(line, box=to_start(line.box, line.rtl)) for line in lines)
        rules = tuple(to_start(rule, rtl) for rule in rules)
    if lines is layout.lines and rules is layout.rules:
        return layout
    return replace(layout, lines=lines, rules=rules)


@functools.lru_cache(maxsize=8)
def _logo(path: Path, height: int) -> Image.Image:
    """The logo as RGBA, `height` px high (narrower when it would be over 4 heights wide).

    Raises:
        OSError: the file cannot be read or decoded.
    """
    with Image.open(path) as src:
        image = src.convert("RGBA")
    scale = min(height / image.height, height * _LOGO_MAX_ASPECT / image.width)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS)


def logo_box(layout: SlideLayout, size: tuple[int, int], rtl: bool, *, below: int = 0) -> Box:
    """Where a logo of `size` goes: centred in the top margin under `below` px (a band), on the
    end side of the safe area."""
    width, height = size
    top = below + max(0, (layout.safe.top - below - height) // 2)
    left = layout.safe.left if rtl else layout.safe.right - width
    return Box(left, top, left + width, top + height)


def draw_brand(image: Image.Image, layout: SlideLayout, theme: Theme, *, rtl: bool) -> None:
    """The title slide's bands ("band" style) and the logo, on every slide.

    Raises:
        OSError: the theme's logo cannot be decoded.
    """
    unit = min(layout.width, layout.height)
    band = 0
    if layout.title_slide and theme.title_style == "band":
        band = max(8, round(unit * _BAND))
        draw = ImageDraw.Draw(image)
        right, bottom = layout.width - 1, layout.height - 1
        draw.rectangle((0, 0, right, band - 1), fill=theme.accent)
        draw.rectangle((0, layout.height - band, right, bottom), fill=theme.accent)
    if theme.logo is not None:
        # Under a band the margin left is smaller: so is the logo, to stay out of the text.
        room = layout.safe.top - band - 2 * max(2, round(unit * 0.008))
        logo = _logo(theme.logo, max(8, min(round(unit * _LOGO_HEIGHT), room)))
        box = logo_box(layout, logo.size, rtl, below=band)
        image.paste(logo, (box.left, box.top), logo)
