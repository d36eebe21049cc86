"""The deck as an editable PowerPoint file (python-pptx): one slide per slide, narration as notes.

Each slide is laid out by `media.slides` exactly as the video shows it (`slide_layout`), then
split in two: the text a presenter edits (the title, the bullets of a text slide, the subtitle,
the footer) becomes real text boxes at the laid-out positions, in the theme's colours, weights
and font; everything else (the theme's gradient, accent rules, progress strip, logo, and the
body of a diagram, chart, picture, quote or code slide, whose shapes and labels only make sense
together) is painted by `paint_layout` without that text and placed behind it as one picture.
A layout that draws a `body` box is a picture body, so layouts added to `media.slides` later
come out right without a change here. The slide size keeps the video's aspect ratio: the short
side is 7.5 in (a 16:9 deck is PowerPoint's own 13.333 × 7.5 in), so a pixel is
`SHORT_SIDE_EMU / short side` EMU and type keeps its size relative to the slide.

Opens in PowerPoint, Keynote and LibreOffice Impress (only core DrawingML: text boxes, a title
placeholder, pictures, notes). Raises what `render_slide` raises (unknown theme or language,
`FontMissingError`) and OSError when the file cannot be written.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import re
from typing import TYPE_CHECKING, Final

from PIL import ImageFont
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement
from pptx.util import Emu, Pt

from videogen.media.exports.files import atomic_path, narrations
from videogen.media.fonts import FontMissingError, font_file
from videogen.media.languages import LANGUAGES
from videogen.media.slides.paint import paint_layout, slide_layout
from videogen.media.slides.themes import theme_for

if TYPE_CHECKING:
    from pathlib import Path

    from pptx.shapes.autoshape import Shape as PptxShape
    from pptx.slide import Slide as PptxSlide
    from pptx.text.text import _Paragraph

    from videogen.media.models import Content, GenerationRequest, Script
    from videogen.media.slides.geometry import Box, SlideLayout, TextLine
    from videogen.media.slides.themes import Color, Theme

__all__ = ["SHORT_SIDE_EMU", "write_pptx"]

# The slide's short side: 7.5 in, PowerPoint's default height (914400 EMU per inch).
SHORT_SIDE_EMU: Final = 6_858_000
_EMU_PER_PT: Final = 12_700
# The default template's "Title Only" layout: a title placeholder and nothing else.
_TITLE_ONLY: Final = 5
# Other applications' font metrics differ a little: a one-line text box gets this much more
# width than the line took, so it does not wrap where the video did not.
_SLACK: Final = 0.15
# A line whose centre is within this share of the width of the frame's centre is centred.
_CENTRED: Final = 0.02
_ZERO: Final = Emu(0)


@dataclasses.dataclass(frozen=True, slots=True)
class _Scale:
    """Pixels of the laid-out frame to EMU and points."""

    emu_per_px: float

    def emu(self, px: float) -> Emu:
        return Emu(round(px * self.emu_per_px))

    def pt(self, px: float) -> Pt:
        # Whole hundredths of a point: what DrawingML stores.
        return Pt(round(px * self.emu_per_px / _EMU_PER_PT, 2))


@functools.lru_cache(maxsize=32)
def _family(language: str, bold: bool) -> str | None:
    """The font family the video drew `language` in (None when it is not installed)."""
    try:
        face = font_file(language, bold=bold)
    except FontMissingError:
        return None
    return ImageFont.truetype(str(face.path), 12, index=face.index).getname()[0]


def _inside(box: Box, area: Box) -> bool:
    return (
        box.left >= area.left
        and box.right <= area.right
        and box.top >= area.top
        and box.bottom <= area.bottom
    )


def _union(boxes: list[Box]) -> tuple[int, int, int, int]:
    return (
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        max(b.right for b in boxes),
        max(b.bottom for b in boxes),
    )


# What XML 1.0 cannot hold (C0 controls but tab, LF and CR; surrogates; U+FFFE, U+FFFF): text
# from a topic, a writer or an edit may carry them, and python-pptx refuses some (a deck's
# title) or escapes others visibly. Each becomes U+FFFD, so a finished video always exports.
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml(text: str) -> str:
    """`text` with what XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _joined(lines: list[TextLine], language: str) -> str:
    return _xml((" " if LANGUAGES[language].spaced else "").join(line.text for line in lines))


def _style(
    paragraph: _Paragraph, lines: list[TextLine], language: str, colour: Color, scale: _Scale
) -> None:
    """Give `paragraph` the text of `lines` in their size and weight, spaced as they were."""
    first = lines[0]
    pitch = lines[1].box.top - first.box.top if len(lines) > 1 else first.box.bottom - first.box.top
    paragraph.line_spacing = scale.pt(pitch)
    run = paragraph.add_run()
    run.text = _joined(lines, language)
    font = run.font
    font.size = scale.pt(first.size)
    font.bold = first.bold
    font.color.rgb = RGBColor(*colour)  # type: ignore[no-untyped-call]  # python-pptx has no hints here
    family = _family(language, first.bold)
    if family is not None:
        font.name = family


def _hex(colour: Color) -> str:
    return "{:02X}{:02X}{:02X}".format(*colour)


def _colour(theme: Theme, line: TextLine) -> Color:
    return {"title": theme.title, "body": theme.body, "muted": theme.muted}.get(
        line.role, theme.accent
    )


def _alignment(box: tuple[int, int, int, int], width: int, rtl: bool) -> PP_ALIGN:
    centre = (box[0] + box[2]) / 2
    if abs(centre - width / 2) <= _CENTRED * width:
        return PP_ALIGN.CENTER
    return PP_ALIGN.RIGHT if rtl else PP_ALIGN.LEFT


def _frame(shape: PptxShape) -> None:
    """No insets, no autofit, top-anchored, wrapping: the box is where the video put the text."""
    frame = shape.text_frame
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = Emu(0)
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP


def _place(shape: PptxShape, box: tuple[int, int, int, int], scale: _Scale) -> None:
    shape.left, shape.top = scale.emu(box[0]), scale.emu(box[1])
    shape.width, shape.height = scale.emu(box[2] - box[0]), scale.emu(box[3] - box[1])


class _SlideWriter:
    """One laid-out slide written onto one PPTX slide."""

    def __init__(self, page: PptxSlide, layout: SlideLayout, theme: Theme, scale: _Scale) -> None:
        self.page = page
        self.layout = layout
        self.theme = theme
        self.scale = scale
        self.rtl = LANGUAGES[layout.language].rtl

    def _text_box(
        self, lines: list[TextLine], box: tuple[int, int, int, int], align: PP_ALIGN
    ) -> None:
        shape = self.page.shapes.add_textbox(_ZERO, _ZERO, _ZERO, _ZERO)
        self._fill(shape, [lines], box, align)

    def _fill(
        self,
        shape: PptxShape,
        groups: list[list[TextLine]],
        box: tuple[int, int, int, int],
        align: PP_ALIGN,
        *,
        bullets: list[int | None] | None = None,
    ) -> None:
        """`shape` at `box` with one paragraph per group of lines; `bullets[i]` is the left
        of group i's dot (None: a paragraph without one)."""
        _place(shape, box, self.scale)
        _frame(shape)
        frame = shape.text_frame
        language = self.layout.language
        previous: TextLine | None = None
        for index, lines in enumerate(groups):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.alignment = align
            if self.rtl:
                paragraph._p.get_or_add_pPr().set("rtl", "1")
            if previous is not None:
                paragraph.space_before = self.scale.pt(
                    max(0, lines[0].box.top - previous.box.bottom)
                )
            first = lines[0]
            _style(paragraph, lines, language, _colour(self.theme, first), self.scale)
            if bullets is not None:
                self._bullet(paragraph, first, box, bullets[index])
            previous = lines[-1]

    def _bullet(
        self, paragraph: _Paragraph, line: TextLine, box: tuple[int, int, int, int], dot: int | None
    ) -> None:
        """A real bullet (PowerPoint's `buChar`), hanging where the video drew its dot."""
        properties = paragraph._p.get_or_add_pPr()
        start = box[2] - line.box.right if self.rtl else line.box.left - box[0]
        properties.set("marL", str(int(self.scale.emu(max(0, start)))))
        if dot is None:
            properties.append(OxmlElement("a:buNone"))
            return
        hang = line.box.left - dot if not self.rtl else dot - line.box.right
        properties.set("indent", str(-int(self.scale.emu(max(0, hang)))))
        colour, rgb, char = (
            OxmlElement("a:buClr"),
            OxmlElement("a:srgbClr"),
            OxmlElement("a:buChar"),
        )
        rgb.set("val", _hex(self.theme.accent))
        colour.append(rgb)
        char.set("char", "•")
        properties.extend((colour, char))

    def _one_line(self, line: TextLine) -> None:
        """A footer or caption line: its own box, a little wider on the side it grows to."""
        box = line.box
        slack = round((box.right - box.left) * _SLACK) + 2
        align = _alignment((box.left, box.top, box.right, box.bottom), self.layout.width, self.rtl)
        if align == PP_ALIGN.CENTER:
            wide = (box.left - slack, box.top, box.right + slack, box.bottom)
        elif (box.left + box.right) / 2 > self.layout.width / 2:
            align = PP_ALIGN.RIGHT
            wide = (box.left - 2 * slack, box.top, box.right, box.bottom)
        else:
            align = PP_ALIGN.LEFT
            wide = (box.left, box.top, box.right + 2 * slack, box.bottom)
        self._text_box([line], wide, align)

    def write(self, notes: str) -> None:
        layout = self.layout
        body = layout.body
        # A picture body keeps its own labels; a text slide's lines are all editable.
        editable = [line for line in layout.lines if body is None or not _inside(line.box, body)]
        self._background(editable, keep_markers=body is not None)
        titles = [line for line in editable if line.role == "title"]
        self._title(titles)
        items: dict[int, list[TextLine]] = {}
        for line in editable:
            if line.role != "title" and line.item is not None:
                items.setdefault(line.item, []).append(line)
        if items:
            self._body([items[key] for key in sorted(items)])
        for line in editable:
            if line.role != "title" and line.item is None:
                self._one_line(line)
        if notes:
            frame = self.page.notes_slide.notes_text_frame
            assert frame is not None  # python-pptx's notes master always has a body placeholder
            frame.text = _xml(notes)

    def _background(self, editable: list[TextLine], *, keep_markers: bool) -> None:
        """Everything not written as text, painted once and sent to the back."""
        drawn = set(map(id, editable))
        rest = dataclasses.replace(
            self.layout,
            lines=tuple(line for line in self.layout.lines if id(line) not in drawn),
            markers=self.layout.markers if keep_markers else (),
        )
        image = paint_layout(rest, self.theme)
        data = io.BytesIO()
        image.save(data, format="PNG")
        data.seek(0)
        picture = self.page.shapes.add_picture(
            data,
            _ZERO,
            _ZERO,
            self.scale.emu(self.layout.width),
            self.scale.emu(self.layout.height),
        )
        picture.name = "Slide background"
        tree = self.page.shapes._spTree
        tree.remove(picture._element)
        tree.insert(2, picture._element)  # after the group's own properties: behind all

    def _title(self, lines: list[TextLine]) -> None:
        placeholder = self.page.shapes.title
        if placeholder is None:
            return
        if not lines:
            placeholder._element.getparent().remove(placeholder._element)
            return
        safe = self.layout.safe
        box = _union([line.box for line in lines])
        align = _alignment(box, self.layout.width, self.rtl)
        self._fill(placeholder, [lines], (safe.left, box[1], safe.right, box[3]), align)

    def _body(self, groups: list[list[TextLine]]) -> None:
        """The body items as one text box of paragraphs, bulleted where the video drew dots;
        it reaches to the safe area's far edge, so edits have room."""
        layout, safe = self.layout, self.layout.safe
        dots = {marker.item: marker.box for marker in layout.markers}
        texts = [line.box for lines in groups for line in lines]
        left, top, right, bottom = _union(
            texts + [dots[g[0].item] for g in groups if g[0].item in dots]
        )
        align = _alignment(_union(texts), layout.width, self.rtl)
        if layout.title_slide:
            box = (safe.left, top, safe.right, bottom)
        elif self.rtl:
            box = (min(left, safe.left), top, right, bottom)
        else:
            box = (left, top, max(right, safe.right), bottom)
        bullets: list[int | None] = []
        for lines in groups:
            dot = dots.get(lines[0].item) if lines[0].item is not None else None
            bullets.append(None if dot is None else (dot.right if self.rtl else dot.left))
        self._fill(
            self.page.shapes.add_textbox(_ZERO, _ZERO, _ZERO, _ZERO),
            groups,
            box,
            align,
            bullets=bullets if dots and not layout.title_slide else None,
        )


def write_pptx(content: Content, script: Script, request: GenerationRequest, path: Path) -> Path:
    """Write the deck of `content` as drawn for `request`, narrated by `script`, to `path`.

    `path` appears whole or not at all (written beside it, then renamed). Returns `path`.
    """
    width, height = request.size
    scale = _Scale(SHORT_SIDE_EMU / min(width, height))
    theme = theme_for(request.style)
    spoken = narrations(script)
    deck = Presentation()
    deck.slide_width, deck.slide_height = scale.emu(width), scale.emu(height)
    blank = deck.slide_layouts[_TITLE_ONLY]
    for slide in content.slides:
        layout = slide_layout(
            slide,
            topic=request.topic,
            total=content.total_slides,
            language=request.language,
            theme=request.style,
            size=(width, height),
        )
        page = deck.slides.add_slide(blank)
        _SlideWriter(page, layout, theme, scale).write(spoken.get(slide.slide_number, ""))
    deck.core_properties.title = _xml(content.topic)
    with atomic_path(path) as partial:
        deck.save(str(partial))
    return path
