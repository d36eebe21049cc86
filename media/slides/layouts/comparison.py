"""A comparison: two columns side by side (stacked on a tall body box), each in a panel with
its heading above its points. The start-side column is the first; column k is body item k.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels, inset, lowered

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
    heads: list[Label] = []
    headed = any(column.heading for column in columns)
    inners = [inset(panel, pad) for panel in panels]
    for k, (column, inner) in enumerate(zip(columns, inners, strict=False)):
        head_bottom = inner.top + (inner.bottom - inner.top) // 4 if headed else inner.top
        head_box = Box(inner.left, inner.top, inner.right, head_bottom)
        heads.append(Label(column.heading, head_box, "accent", k, middle=False, bold=True))
    head_lines, cut_heads = fit_labels(heads, frame, 0.045)
    points: list[Label] = []
    for k, (column, inner) in enumerate(zip(columns, inners, strict=False)):
        # The points start under the taller heading, so both columns' points line up.
        below = max((line.box.bottom for line in head_lines if line.item == k), default=0)
        tallest = max(
            (line.box.bottom - inners[line.item or 0].top for line in head_lines), default=0
        )
        top = inner.top + tallest + pad // 2 if below else inner.top
        body_box = Box(inner.left, min(top, inner.bottom - 1), inner.right, inner.bottom)
        text = " ".join(" ".join(column.items).split())
        points.append(Label(text, body_box, "body", k, middle=False))
    body_lines, cut_body = fit_labels(points, frame, 0.05)
    lines = (*head_lines, *body_lines)
    if side:
        # Side by side, the panels end together just under the longer column's text.
        used = min(area.bottom, max((line.box.bottom for line in lines), default=area.top) + pad)
        # ... and the pair sits a little above the middle of the body box.
        down = (area.bottom - used) * 2 // 5
        panels = [Box(p.left, p.top + down, p.right, used + down) for p in panels]
        lines = tuple(lowered(line, down) for line in lines)
    else:
        # Stacked, each panel ends under its own text and the second follows the first.
        ends = [
            min(p.bottom, max((ln.box.bottom for ln in lines if ln.item == k), default=p.top) + pad)
            for k, p in enumerate(panels)
        ]
        up = panels[1].top - (ends[0] + gap)
        used = ends[1] - up
        down = (area.bottom - used) * 2 // 5
        panels = [
            Box(panels[0].left, panels[0].top + down, panels[0].right, ends[0] + down),
            Box(panels[1].left, panels[1].top - up + down, panels[1].right, used + down),
        ]
        lines = tuple(lowered(ln, down - (up if ln.item == 1 else 0)) for ln in lines)
    shapes = tuple(Shape("panel", panel, "track", k) for k, panel in enumerate(panels))
    count = min(len(columns), 2)
    return Drawn(lines, shapes, count, cut_heads or cut_body)
