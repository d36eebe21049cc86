"""Placing fitted blocks on the canvas: the frame's measures, columns, lines and bullet dots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from videogen.media.slides.geometry import Box, Marker, TextLine

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.languages import Language
    from videogen.media.slides.body import BodyItem
    from videogen.media.slides.fit import Block
    from videogen.media.slides.geometry import Role
    from videogen.media.slides.measure import Face

__all__ = ["Column", "Frame", "place"]


@dataclass(frozen=True, slots=True)
class Frame:
    """The canvas and the measures every part of the layout is derived from."""

    width: int
    height: int
    language: Language
    # The brand kit's title scale: the titles' largest and smallest type, times this.
    title_scale: float = 1.0

    def title_sizes(self, high: float, low: float) -> range:
        """`sizes` for a title, scaled by `title_scale`."""
        return self.sizes(high * self.title_scale, low * self.title_scale)

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
class Column:
    """Where a block goes: its area, alignment and direction, and its role (colour)."""

    area: Box
    centred: bool
    rtl: bool
    role: Role


def place(
    block: Block,
    column: Column,
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


def _line_box(face: Face, text: str, column: Column, top: int, offset: int) -> Box:
    area = column.area
    width = face.exact(text, column.rtl)
    if column.centred:
        left = area.left + (area.right - area.left - width) // 2
    elif column.rtl:
        left = area.right - offset - width
    else:
        left = area.left + offset
    return Box(left, top, left + width, top + face.pitch)


def _dot_box(face: Face, column: Column, top: int) -> Box:
    """A bullet dot in the indent, centred on the first line's lowercase letters."""
    diameter = max(4, round(face.size * 0.3))
    centre_y = top + face.ascent - round(face.size * 0.34)
    inset = round(face.size * 0.35)
    centre_x = column.area.right - inset if column.rtl else column.area.left + inset
    left, upper = centre_x - diameter // 2, centre_y - diameter // 2
    return Box(left, upper, left + diameter, upper + diameter)
