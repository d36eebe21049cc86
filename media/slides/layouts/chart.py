"""Bar charts: one horizontal bar per value, scaled to the largest, labelled and valued.

On a wide body box each row has its label on the start side and its bar after it; on a tall or
square one the label sits above its bar. The value follows the bar's end. Bars grow from the
start side (the right in right-to-left scripts). Bar k (label, bar, value) is body item k.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels
from videogen.media.slides.measure import Face

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import VisualBar
    from videogen.media.slides.place import Frame

__all__ = ["draw_chart", "value_text"]


def value_text(bar: VisualBar) -> str:
    """The value as written on the chart: "86%", "4.6 billion", "1,200 km"."""
    number = f"{bar.value:,.0f}" if bar.value >= 1000 else f"{bar.value:g}"
    if not bar.unit:
        return number
    return f"{number}{bar.unit}" if bar.unit in {"%", "°C", "°F"} else f"{number} {bar.unit}"


def draw_chart(bars: Sequence[VisualBar], frame: Frame, area: Box) -> Drawn:
    """The bars, in the order given, each as long as its share of the largest value."""
    count = len(bars)
    width, height = area.right - area.left, area.bottom - area.top
    rtl = frame.language.rtl
    wide = width > height * 1.2
    row_gap = frame.px(0.02)
    row = min(frame.px(0.14 if wide else 0.2), (height - row_gap * (count - 1)) // count)
    spare = height - row * count - row_gap * (count - 1)
    area = Box(area.left, area.top + spare * 2 // 5, area.right, area.bottom)
    biggest = max(bar.value for bar in bars) or 1.0
    values = [value_text(bar) for bar in bars]
    # The values share one size: the largest that fits the room after the longest bar.
    value_face = Face(
        frame.language.name, True, max(frame.px(0.024), min(frame.px(0.04), row // 2))
    )
    value_room = max(value_face.exact(v, False) for v in values) + frame.px(0.02)
    label_width = width * 2 // 5 if wide else width
    shapes: list[Shape] = []
    labels: list[Label] = []
    for k, (bar, value) in enumerate(zip(bars, values, strict=True)):
        top = area.top + k * (row + row_gap)
        if wide:
            label_box = (
                Box(area.right - label_width, top, area.right, top + row)
                if rtl
                else Box(area.left, top, area.left + label_width, top + row)
            )
            bar_top, bar_bottom = top + row // 5, top + row - row // 5
            track = (
                Box(area.left, bar_top, area.right - label_width - row_gap, bar_bottom)
                if rtl
                else Box(area.left + label_width + row_gap, bar_top, area.right, bar_bottom)
            )
        else:
            label_box = Box(area.left, top, area.right, top + row // 2)
            track = Box(area.left, top + row // 2, area.right, top + row - row // 8)
        room = max(1, track.right - track.left - value_room)
        length = max(2, round(room * bar.value / biggest))
        filled = (
            Box(track.right - length, track.top, track.right, track.bottom)
            if rtl
            else Box(track.left, track.top, track.left + length, track.bottom)
        )
        shapes.append(Shape("rect", filled, "accent", k))
        value_box = (
            Box(track.left, track.top, filled.left - frame.px(0.01), track.bottom)
            if rtl
            else Box(filled.right + frame.px(0.01), track.top, track.right, track.bottom)
        )
        labels.append(Label(bar.label, label_box, "body", k, centred=False))
        # Right-aligned against the bar in right-to-left scripts, but drawn left to right.
        value_label = Label(value, value_box, "accent", k, centred=False, bold=True, ltr=True)
        labels.append(value_label)
    lines, cut = fit_labels(labels, frame, 0.04)
    return Drawn(tuple(lines), tuple(shapes), count, cut)
