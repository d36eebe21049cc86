"""What a slide layout is made of: pixel boxes, text lines, bullet dots, shapes and the layout.

Plain frozen data: `media.slides.layout` makes it, `media.slides.paint` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Box", "Marker", "Picture", "Role", "Shape", "ShapeKind", "SlideLayout", "TextLine"]

# Which of the theme's colours a line is drawn in.
Role = Literal["title", "body", "muted", "accent"]
# How a diagram's shape is drawn: a rectangle with rounded corners ("panel"), a plain one, a
# disc, a filled polygon (arrow heads) or a polyline `width` px thick.
ShapeKind = Literal["panel", "rect", "disc", "polygon", "line", "picture"]


@dataclass(frozen=True, slots=True)
class Box:
    """A pixel rectangle; `right` and `bottom` are exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    def inside(self, other: Box) -> bool:
        """Whether this box lies within `other`."""
        return (
            other.left <= self.left <= self.right <= other.right
            and other.top <= self.top <= self.bottom <= other.bottom
        )

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any pixel."""
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


@dataclass(frozen=True, slots=True)
class TextLine:
    """One line of text: its box (advance width × line height) and how to draw it.

    `item` is the body item the line belongs to (lines of later items are hidden while bullets
    are revealed one by one); None for lines that are always shown. `mono`: drawn in the
    monospace face (`fonts.mono_font`), left to right, as code is.
    """

    text: str
    box: Box
    baseline: int
    size: int
    bold: bool
    role: Role
    rtl: bool
    item: int | None = None
    mono: bool = False


@dataclass(frozen=True, slots=True)
class Marker:
    """A bullet dot in front of a body item's first line."""

    box: Box
    item: int


@dataclass(frozen=True, slots=True)
class Shape:
    """A shape of a diagram: its bounding `box`, its `points` (polygon and line), its colour
    ("accent", or "track" for panels and the unfilled part of bars) and its body item (None:
    always shown), like `TextLine.item`. A "picture" names the picture drawn into its box
    (a content name, `media.pictures`); its box already has the picture's proportions."""

    kind: ShapeKind
    box: Box
    fill: Literal["accent", "track"]
    item: int | None = None
    points: tuple[tuple[int, int], ...] = ()
    width: int = 0
    picture: str = ""


@dataclass(frozen=True, slots=True)
class Picture:
    """A pictogram drawn in `box` (a square): an OpenMoji emoji (`kind` "emoji", `what` its
    character) or a Lucide icon ("icon", its name), always shown."""

    box: Box
    kind: Literal["emoji", "icon"]
    what: str


@dataclass(frozen=True, slots=True)
class SlideLayout:
    """Where everything goes on one slide; every box lies inside `safe`.

    `rules` are accent bars, `progress` the filled fraction of the bottom strip (None on the
    title slide), `items` how many body items can be revealed, and `truncated` whether text had
    to be cut with an ellipsis because it would not fit even at the smallest size. A diagram
    layout adds its `shapes` and the `body` box it drew into (None for bullets); a slide with
    a pictogram visual, its `picture`.
    """

    width: int
    height: int
    language: str
    title_slide: bool
    safe: Box
    lines: tuple[TextLine, ...]
    markers: tuple[Marker, ...]
    rules: tuple[Box, ...]
    progress: float | None
    items: int
    truncated: bool
    shapes: tuple[Shape, ...] = ()
    body: Box | None = None
    picture: Picture | None = None
