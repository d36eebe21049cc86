"""The deck as a PDF: one page per slide, each slide's final state (every bullet shown).

Pages are the slides as `render_slide` paints them for the video, so the PDF looks exactly like
the video in every language and theme; Pillow writes them as a multi-page PDF, one page at a
time (appended), so memory holds one page whatever the deck's length and resolution. Pillow rather
than a PDF library with its own text (reportlab, fpdf2): those do not shape Indic scripts or
join Arabic as raqm does for the slides, and one more dependency would buy only selectable
text. The page size follows the frame: the short side is 7.5 in, as in the PPTX, so a 16:9
deck prints at 13.333 × 7.5 in whatever the resolution (`resolution` = short side / 7.5 dpi).

With `handout`, each slide's page is followed by a handout page of the same size: the slide
small at the top and its narration below, set in the slide's font and shrunk until it fits.

Raises what `render_slide` raises (unknown theme or language, `FontMissingError`) and OSError
when the file cannot be written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PIL import Image, ImageDraw

from videogen.media.exports.files import atomic_path, narrations
from videogen.media.languages import LANGUAGES
from videogen.media.slides.geometry import Box, TextLine
from videogen.media.slides.measure import Face
from videogen.media.slides.paint import draw_line, render_slide

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from videogen.media.models import Content, GenerationRequest, Script

__all__ = ["SHORT_SIDE_INCHES", "write_pdf"]

SHORT_SIDE_INCHES: Final = 7.5
# JPEG quality of the pages (Pillow stores RGB pages as DCT): text stays crisp at 92.
_QUALITY: Final = 92
# Handout page: the slide takes this share of the page's width, the margin this share of the
# short side; the narration starts at this size (share of the short side) and shrinks to fit.
_THUMB: Final = 0.55
_MARGIN: Final = 0.06
_TEXT_START: Final = 0.04
_TEXT_MIN: Final = 0.012
_PAPER: Final = (255, 255, 255)
_INK: Final = (34, 34, 34)


def _narration_lines(text: str, language: str, box: Box) -> list[TextLine]:
    """`text` wrapped into `box`, at the largest size that fits (down to `_TEXT_MIN`)."""
    short = max(box.right - box.left, box.bottom - box.top)
    rtl = LANGUAGES[language].rtl
    size = max(8, round(short * _TEXT_START))
    floor = max(8, round(short * _TEXT_MIN))
    while True:
        face = Face(language, False, size)
        rows = [
            row
            for paragraph in text.splitlines()
            for row in face.wrap(paragraph, box.right - box.left)
        ]
        if len(rows) * face.pitch <= box.bottom - box.top or size <= floor:
            break
        size = max(floor, size - max(1, size // 10))
    lines: list[TextLine] = []
    top = box.top
    for row in rows:
        if top + face.pitch > box.bottom:
            break
        width = face.exact(row, rtl)
        left = box.right - width if rtl else box.left
        lines.append(
            TextLine(
                row,
                Box(left, top, left + width, top + face.pitch),
                top + face.ascent,
                size,
                False,
                "body",
                rtl,
            )
        )
        top += face.pitch
    return lines


def _handout(slide: Image.Image, narration: str, language: str) -> Image.Image:
    """A page of the slide's size: the slide small at the top, its narration below."""
    width, height = slide.size
    page = Image.new("RGB", slide.size, _PAPER)
    margin = round(min(width, height) * _MARGIN)
    thumb_w = round(width * _THUMB)
    thumb = slide.resize((thumb_w, round(height * _THUMB)), Image.Resampling.LANCZOS)
    page.paste(thumb, ((width - thumb_w) // 2, margin))
    text_box = Box(margin, margin * 2 + thumb.height, width - margin, height - margin)
    draw = ImageDraw.Draw(page)
    for line in _narration_lines(narration, language, text_box):
        draw_line(draw, line, language, _INK)
    return page


def _pages(
    content: Content, script: Script, request: GenerationRequest, handout: bool
) -> Iterator[Image.Image]:
    spoken = narrations(script)
    for slide in content.slides:
        image = render_slide(
            slide,
            topic=request.topic,
            total=content.total_slides,
            language=request.language,
            theme=request.style,
            size=request.size,
        )
        yield image
        if handout:
            yield _handout(image, spoken.get(slide.slide_number, ""), request.language)


def write_pdf(
    content: Content,
    script: Script,
    request: GenerationRequest,
    path: Path,
    *,
    handout: bool = False,
) -> Path:
    """Write the deck of `content` as drawn for `request` to `path` as a PDF (with `handout`,
    a narration page after each slide). `path` appears whole or not at all. Returns `path`."""
    dpi = min(request.size) / SHORT_SIDE_INCHES
    with atomic_path(path) as partial:
        # Page by page (Pillow appends each as an incremental update), so only the page being
        # written is in memory: thirty 2160p slides with handouts would otherwise hold 1.5 GB.
        for index, page in enumerate(_pages(content, script, request, handout)):
            first = {"title": content.topic} if index == 0 else {"append": True}
            page.save(partial, format="PDF", resolution=dpi, quality=_QUALITY, **first)
    return path
