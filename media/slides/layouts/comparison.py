"""A comparison: two columns side by side (stacked on a tall body box), each in a panel with
its heading above its points. The start-side column is the first; column k is body item k.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels, inset

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import VisualColumn
    from videogen.media.slides.place import Frame

__all__ = ["draw_comparison"]


def draw_comparison(columns: Sequence[VisualColumn], frame: Frame, area: Box) -> Drawn:
    """The two columns' panels; headings in accent type, points in body type."""
    width, height = area.right - area.left, area.bottom - area.top
    gap = frame.px(0.035)
    pad = frame.px(0.022)
    side = width >= height * 0.9
    if side:
        half = (width - gap) // 2
        panels = [
            Box(area.left, area.top, area.left + half, area.bottom),
            Box(area.right - half, area.top, area.right, area.bottom),
        ]
        if frame.language.rtl:
            panels.reverse()
    else:
        half = (height - gap) // 2
        panels = [
            Box(area.left, area.top, area.right, area.top + half),
            Box(area.left, area.bottom - half, area.right, area.bottom),
        ]
    shapes: list[Shape] = []
    heads: list[Label] = []
    points: list[Label] = []
    headed = any(column.heading for column in columns)
    for k, (column, panel) in enumerate(zip(columns, panels, strict=False)):
        shapes.append(Shape("panel", panel, "track", k))
        inner = inset(panel, pad)
        head_bottom = inner.top + (inner.bottom - inner.top) // 4 if headed else inner.top
        head_box = Box(inner.left, inner.top, inner.right, head_bottom)
        body_box = Box(inner.left, head_bottom, inner.right, inner.bottom)
        heads.append(Label(column.heading, head_box, "accent", k, bold=True))
        text = "\n".join(column.items)
        points.append(Label(" ".join(text.split()), body_box, "body", k, middle=not headed))
    head_lines, cut_heads = fit_labels(heads, frame, 0.045)
    body_lines, cut_body = fit_labels(points, frame, 0.042)
    count = min(len(columns), 2)
    return Drawn((*head_lines, *body_lines), tuple(shapes), count, cut_heads or cut_body)
