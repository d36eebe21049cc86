"""What every diagram layout shares: the result type, text fitted into boxes, arrows.

A diagram draws into the body box `media.slides.layout` leaves under the title. Its text goes
through the same fitting as the bullets (`media.slides.fit`): the largest size at which every
label fits its own box, never below the fitting code's smallest readable size; what does not fit
even then ends with an ellipsis and the layout reports `truncated`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Final

from videogen.media.languages import LANGUAGES
from videogen.media.slides.fit import Spec, block_at, fit, fits_at, largest
from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.measure import Face
from videogen.media.slides.place import Column, place

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.slides.geometry import Role, TextLine
    from videogen.media.slides.place import Frame

__all__ = [
    "MIN_TEXT",
    "Drawn",
    "Label",
    "arrow",
    "boxed",
    "fit_labels",
    "inset",
    "lowered",
    "polyline",
]

# The smallest type a diagram uses, as a fraction of the short side: the bullets' own minimum.
MIN_TEXT: Final = 0.024


@dataclass(frozen=True, slots=True)
class Drawn:
    """What a diagram layout drew: its text lines and shapes, how many items it reveals one by
    one, and whether any text had to be cut."""

    lines: tuple[TextLine, ...]
    shapes: tuple[Shape, ...]
    items: int
    truncated: bool


@dataclass(frozen=True, slots=True)
class Label:
    """A text to fit into `box`: centred or aligned to the start side, in a role, for an item.
    `middle`: centred vertically in the box too. `ltr`: drawn left to right even in a
    right-to-left script (a value such as "86%" would read "%86" in a right-to-left run)."""

    text: str
    box: Box
    role: Role
    item: int | None
    centred: bool = True
    middle: bool = True
    bold: bool = False
    ltr: bool = False


def inset(box: Box, pad: int) -> Box:
    """`box` shrunk by `pad` on every side (never inside out)."""
    pad_x = min(pad, (box.right - box.left) // 4)
    pad_y = min(pad, (box.bottom - box.top) // 4)
    return Box(box.left + pad_x, box.top + pad_y, box.right - pad_x, box.bottom - pad_y)


def _spec(label: Label, frame: Frame, sizes: range) -> Spec:
    return Spec(
        (label.text,),
        frame.language.name,
        bold=label.bold,
        sizes=sizes,
        width=label.box.right - label.box.left,
        height=label.box.bottom - label.box.top,
    )


def _whole(spec: Spec, size: int) -> bool:
    """Whether every word of the spec's text fits on a line at `size` (spaced scripts only)."""
    if not LANGUAGES[spec.language].spaced:
        return True
    face = Face(spec.language, spec.bold, size)
    limit = spec.width * 0.985 - 1
    return all(face.estimate(word) <= limit for text in spec.texts for word in text.split())


def fit_labels(
    labels: Sequence[Label], frame: Frame, high: float, *, low: float = MIN_TEXT
) -> tuple[list[TextLine], bool]:
    """Every label at one size, the largest at which all fit their boxes (from `high` down to
    `low`, fractions of the short side); labels that do not fit even at `low` are cut with an
    ellipsis. Returns the lines and whether any was cut."""
    sizes = frame.sizes(high, low)
    specs = [_spec(label, frame, sizes) for label in labels if label.text]
    # A size that breaks no word is better than a larger one that does ("Condensatio-n").
    size = largest(sizes, lambda s: all(fits_at(spec, s) and _whole(spec, s) for spec in specs))
    if size is None:
        size = largest(sizes, lambda s: all(fits_at(spec, s) for spec in specs))
    lines: list[TextLine] = []
    cut = False
    for label in labels:
        if not label.text:
            continue
        spec = _spec(label, frame, sizes)
        if size is not None:
            block = block_at(spec, size)
        else:
            block, cut_one = fit(replace(spec, sizes=range(sizes[-1], sizes[-1] - 1, -1)))
            cut = cut or cut_one
        area = label.box
        top = area.top + (max(0, area.bottom - area.top - block.height) // 2 if label.middle else 0)
        column = Column(area, label.centred, frame.language.rtl and not label.ltr, label.role)
        placed, _, _ = place(block, column, top)
        if label.ltr and frame.language.rtl and not label.centred:
            # Left-to-right text keeps the right-to-left side: flush with the box's right.
            placed = [_flush_right(line, area.right) for line in placed]
        lines.extend(replace(line, item=label.item) for line in placed)
    return lines, cut


def lowered(line: TextLine, down: int) -> TextLine:
    """`line` moved `down` pixels."""
    box = line.box
    moved = Box(box.left, box.top + down, box.right, box.bottom + down)
    return replace(line, box=moved, baseline=line.baseline + down)


def _flush_right(line: TextLine, right: int) -> TextLine:
    box = line.box
    return replace(line, box=Box(right - (box.right - box.left), box.top, right, box.bottom))


def polyline(points: Sequence[tuple[int, int]], width: int, item: int | None) -> Shape:
    """A line through `points`, `width` px thick, with its bounding box."""
    half = (width + 1) // 2
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = Box(min(xs) - half, min(ys) - half, max(xs) + half + 1, max(ys) + half + 1)
    return Shape("line", box, "accent", item, tuple(points), width)


def boxed(points: Sequence[tuple[int, int]], item: int | None) -> Shape:
    """A filled polygon through `points`, with its bounding box."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = Box(min(xs), min(ys), max(xs) + 1, max(ys) + 1)
    return Shape("polygon", box, "accent", item, tuple(points))


def arrow(
    tail: tuple[float, float], tip: tuple[float, float], width: int, item: int | None
) -> list[Shape]:
    """A straight arrow from `tail` to `tip`: a shaft and a head `width` × 3 wide."""
    (x0, y0), (x1, y1) = tail, tip
    length = math.hypot(x1 - x0, y1 - y0)
    if length < 1:
        return []
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    head = min(length, width * 3.2)
    base = (x1 - ux * head, y1 - uy * head)
    side = (-uy * width * 1.6, ux * width * 1.6)
    points = [
        (round(x1), round(y1)),
        (round(base[0] + side[0]), round(base[1] + side[1])),
        (round(base[0] - side[0]), round(base[1] - side[1])),
    ]
    shapes = [boxed(points, item)]
    if length - head > 1:
        shaft_end = (round(base[0] + ux), round(base[1] + uy))
        shapes.insert(0, polyline([(round(x0), round(y0)), shaft_end], width, item))
    return shapes
