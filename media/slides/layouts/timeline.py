"""Timelines: dated events along an axis, earliest first.

On a wide body box the axis runs across the middle (right to left in right-to-left scripts),
each date above its dot and the event under it; on a tall or square one it runs down the start
side, dates and events beside their dots. Event k (its dot, date and text) is body item k.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import VisualEvent
    from videogen.media.slides.geometry import TextLine
    from videogen.media.slides.place import Frame

__all__ = ["draw_timeline"]


def _dot(x: int, y: int, radius: int, item: int) -> Shape:
    return Shape("disc", Box(x - radius, y - radius, x + radius, y + radius), "accent", item)


def draw_timeline(events: Sequence[VisualEvent], frame: Frame, area: Box) -> Drawn:
    """The events on an axis, in the order given (the chooser sorts them by date)."""
    count = len(events)
    width, height = area.right - area.left, area.bottom - area.top
    thick = max(2, frame.px(0.005))
    radius = max(4, frame.px(0.014))
    rtl = frame.language.rtl
    shapes: list[Shape] = []
    labels: list[Label] = []
    gap = frame.px(0.015)
    if width > height * 1.2:
        slot = width // count
        axis_y = area.top + height * 2 // 5
        shapes.append(
            Shape(
                "rect",
                Box(area.left, axis_y - thick // 2, area.right, axis_y - thick // 2 + thick),
                "track",
            )
        )
        for k, event in enumerate(events):
            index = count - 1 - k if rtl else k
            left = area.left + index * slot
            cell = Box(left + gap // 2, area.top, left + slot - gap // 2, area.bottom)
            x = (cell.left + cell.right) // 2
            shapes.append(_dot(x, axis_y, radius, k))
            date_box = Box(cell.left, cell.top, cell.right, axis_y - radius - gap)
            text_box = Box(cell.left, axis_y + radius + gap, cell.right, cell.bottom)
            labels.append(Label(event.date, date_box, "accent", k, middle=False, bold=True))
            labels.append(Label(event.text, text_box, "body", k, middle=False))
        # Dates sit on the axis: push them down to it.
        lines, cut = fit_labels(labels, frame, 0.042)
        return Drawn(tuple(_dates_down(lines, axis_y - radius - gap)), tuple(shapes), count, cut)
    slot = height // count
    axis_x = area.right - radius if rtl else area.left + radius
    shapes.append(
        Shape(
            "rect",
            Box(axis_x - thick // 2, area.top, axis_x - thick // 2 + thick, area.bottom),
            "track",
        )
    )
    date_width = (width - 2 * radius - gap) * 3 // 10
    for k, event in enumerate(events):
        top = area.top + k * slot
        y = top + slot // 2
        shapes.append(_dot(axis_x, y, radius, k))
        inner = area.right - 2 * radius - gap if rtl else area.left + 2 * radius + gap
        if rtl:
            date_box = Box(inner - date_width, top, inner, top + slot - gap)
            text_box = Box(area.left, top, inner - date_width - gap, top + slot - gap)
        else:
            date_box = Box(inner, top, inner + date_width, top + slot - gap)
            text_box = Box(inner + date_width + gap, top, area.right, top + slot - gap)
        labels.append(Label(event.date, date_box, "accent", k, centred=False, bold=True))
        labels.append(Label(event.text, text_box, "body", k, centred=False))
    lines, cut = fit_labels(labels, frame, 0.042)
    return Drawn(tuple(lines), tuple(shapes), count, cut)


def _dates_down(lines: Sequence[TextLine], bottom: int) -> list[TextLine]:
    """Dates (accent lines) moved down so that their last line rests just above the axis."""
    dates = [line for line in lines if line.role == "accent"]
    if not dates:
        return list(lines)
    shift = max(0, bottom - max(line.box.bottom for line in dates))
    return [
        replace(
            line,
            box=Box(line.box.left, line.box.top + shift, line.box.right, line.box.bottom + shift),
            baseline=line.baseline + shift,
        )
        if line.role == "accent"
        else line
        for line in lines
    ]
