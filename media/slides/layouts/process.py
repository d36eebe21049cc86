"""Process and cycle diagrams: steps in panels joined by arrows.

A process runs in reading order: a row on a wide body box (right to left in right-to-left
scripts), a column on a tall or square one. A cycle is a ring of steps, clockwise (counter-
clockwise in right-to-left scripts), each arrow an arc of the ring from one panel to the next,
the last leading back to the first. Step k and the arrow into it are body item k.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, arrow, fit_labels, inset, polyline

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.slides.place import Frame

__all__ = ["draw_cycle", "draw_process"]

# Panel sizes of a ring, as fractions of the body box, largest first: the first without two
# panels overlapping is used.
_RING_WIDTHS: Final = (0.42, 0.38, 0.34, 0.31, 0.28, 0.25, 0.22, 0.2)
_RING_HEIGHTS: Final = (0.26, 0.22, 0.19, 0.16, 0.14)
_ARC_SAMPLES: Final = 48


def _thickness(frame: Frame) -> int:
    return max(2, frame.px(0.006))


def draw_process(steps: Sequence[str], frame: Frame, area: Box) -> Drawn:
    """Steps left to right (a row) or top to bottom (a column), joined by arrows."""
    count = len(steps)
    width, height = area.right - area.left, area.bottom - area.top
    gap = frame.px(0.07)
    # A row while each panel keeps room for a word of about twelve letters; else a column.
    row = width > height * 1.2 and (width - gap * (count - 1)) // count >= frame.px(0.21)
    gap = gap if row else frame.px(0.045)
    thick = _thickness(frame)
    shapes: list[Shape] = []
    labels: list[Label] = []
    pad = frame.px(0.014)
    if row:
        panel_w = (width - gap * (count - 1)) // count
        panel_h = min(height, max(frame.px(0.2), panel_w * 3 // 4))
        top = area.top + (height - panel_h) // 2
        order = range(count - 1, -1, -1) if frame.language.rtl else range(count)
        boxes = [
            Box(
                area.left + slot * (panel_w + gap),
                top,
                area.left + slot * (panel_w + gap) + panel_w,
                top + panel_h,
            )
            for slot in range(count)
        ]
        boxes = [boxes[slot] for slot in order]
    else:
        panel_h = min(frame.px(0.2), (height - gap * (count - 1)) // count)
        panel_w = min(width, frame.px(0.9))
        left = area.left + (width - panel_w) // 2
        spare = height - panel_h * count - gap * (count - 1)
        area = Box(area.left, area.top + spare * 2 // 5, area.right, area.bottom)
        boxes = [
            Box(
                left,
                area.top + k * (panel_h + gap),
                left + panel_w,
                area.top + k * (panel_h + gap) + panel_h,
            )
            for k in range(count)
        ]
    for k, (step, box) in enumerate(zip(steps, boxes, strict=True)):
        shapes.append(Shape("panel", box, "track", k))
        labels.append(Label(step, inset(box, pad), "body", k))
        if k:
            before = boxes[k - 1]
            margin = max(1, gap // 6)
            tail: tuple[float, float]
            tip: tuple[float, float]
            if row:
                y = (box.top + box.bottom) / 2
                rtl = frame.language.rtl
                tail = (before.left - margin if rtl else before.right + margin, y)
                tip = (box.right + margin if rtl else box.left - margin, y)
            else:
                x = (box.left + box.right) / 2
                tail, tip = (x, before.bottom + margin), (x, box.top - margin)
            shapes.extend(arrow(tail, tip, thick, k))
    lines, cut = fit_labels(labels, frame, 0.05)
    return Drawn(tuple(lines), tuple(shapes), count, cut)


def _ring_boxes(
    count: int, area: Box, angle: Sequence[float], separation: int
) -> tuple[list[Box], float, float] | None:
    """Panel boxes around an ellipse inscribed in `area`, the largest that do not overlap."""
    width, height = area.right - area.left, area.bottom - area.top
    cx, cy = (area.left + area.right) / 2, (area.top + area.bottom) / 2
    for fw in _RING_WIDTHS:
        for fh in _RING_HEIGHTS:
            pw, ph = round(width * fw), round(height * fh)
            rx, ry = (width - pw) / 2, (height - ph) / 2
            boxes = []
            for a in angle:
                x, y = cx + rx * math.cos(a), cy + ry * math.sin(a)
                left, top = round(x - pw / 2), round(y - ph / 2)
                boxes.append(Box(left, top, left + pw, top + ph))
            if all(_apart(boxes[k], boxes[(k + 1) % count], separation) for k in range(count)):
                return boxes, rx, ry
    return None


def _apart(a: Box, b: Box, gap: int) -> bool:
    return (
        a.right + gap <= b.left
        or b.right + gap <= a.left
        or (a.bottom + gap <= b.top or b.bottom + gap <= a.top)
    )


def _outside(point: tuple[float, float], boxes: Sequence[Box], margin: int) -> bool:
    x, y = point
    return all(
        not (b.left - margin <= x <= b.right + margin and b.top - margin <= y <= b.bottom + margin)
        for b in boxes
    )


def draw_cycle(steps: Sequence[str], frame: Frame, area: Box) -> Drawn:
    """A ring of steps; each arrow follows the ring to the next step, the last to the first.
    A ring that cannot be drawn without overlapping panels is drawn as a process instead."""
    count = len(steps)
    sign = -1 if frame.language.rtl else 1
    angles = [-math.pi / 2 + sign * 2 * math.pi * k / count for k in range(count)]
    thick = _thickness(frame)
    # Room between neighbours for an arrow a few heads long.
    ring = _ring_boxes(count, area, angles, frame.px(0.07))
    if ring is None:
        return draw_process(steps, frame, area)
    boxes, rx, ry = ring
    cx, cy = (area.left + area.right) / 2, (area.top + area.bottom) / 2
    shapes: list[Shape] = []
    labels: list[Label] = []
    margin = frame.px(0.012)
    for k, (step, box) in enumerate(zip(steps, boxes, strict=True)):
        shapes.append(Shape("panel", box, "track", k))
        labels.append(Label(step, inset(box, frame.px(0.012)), "body", k))
    for k in range(count):
        start, end = angles[k], angles[k] + sign * 2 * math.pi / count
        points = [
            (cx + rx * math.cos(start + (end - start) * j / _ARC_SAMPLES),
             cy + ry * math.sin(start + (end - start) * j / _ARC_SAMPLES))
            for j in range(_ARC_SAMPLES + 1)
        ]  # fmt: skip
        free = [p for p in points if _outside(p, boxes, margin)]
        if len(free) < 3:
            continue
        # The arrow into step k+1 shows with it; the one closing the ring with the last step.
        item = min(k + 1, count - 1)
        (x0, y0), (x1, y1) = free[-2], free[-1]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        back = thick * 3.2 / length
        tail = (x1 - (x1 - x0) * back, y1 - (y1 - y0) * back)
        shaft = [(round(x), round(y)) for x, y in free[:-1]]
        shapes.append(polyline(shaft, thick, item))
        shapes.extend(arrow(tail, (x1, y1), thick, item)[-1:])
    lines, cut = fit_labels(labels, frame, 0.045)
    return Drawn(tuple(lines), tuple(shapes), count, cut)
