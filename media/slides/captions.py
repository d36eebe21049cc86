"""Burned-in subtitles: a caption drawn onto a finished frame."""

from __future__ import annotations

from typing import Final

from PIL import Image, ImageDraw

from videogen.media.languages import LANGUAGES
from videogen.media.slides.fit import Spec, fit
from videogen.media.slides.geometry import Box, TextLine
from videogen.media.slides.paint import draw_line

__all__ = ["draw_caption"]

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
    spec = Spec(
        (text,),
        language,
        bold=False,
        sizes=range(round(unit * 0.045), round(unit * 0.026) - 1, -1),
        width=limit,
        height=round(unit * 0.045 * 1.3 * _CAPTION_LINES),
        max_lines=_CAPTION_LINES,
    )
    block, _ = fit(spec)
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
        draw_line(text_draw, drawn, language, (255, 255, 255))
    return result.convert("RGB")
