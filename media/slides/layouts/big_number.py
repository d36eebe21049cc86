"""A big number: one striking figure in large accent type, and what it counts under it.

One body item: the figure and its caption appear together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels

if TYPE_CHECKING:
    from videogen.media.slides.place import Frame

__all__ = ["draw_big_number"]


def draw_big_number(figure: str, caption: str, frame: Frame, area: Box) -> Drawn:
    """`figure` across the upper part of the body box, `caption` centred below a short rule."""
    height = area.bottom - area.top
    gap = frame.px(0.03)
    split = area.top + height * 9 // 20
    figure_box = Box(area.left, area.top, area.right, split)
    rule_width = frame.px(0.12)
    left = (area.left + area.right - rule_width) // 2
    rule = Box(left, split + gap, left + rule_width, split + gap + frame.rule)
    caption_box = Box(area.left, rule.bottom + gap, area.right, area.bottom)
    big, cut_big = fit_labels(
        [Label(figure, figure_box, "accent", 0, bold=True, ltr=True)], frame, 0.2
    )
    small, cut_small = fit_labels(
        [Label(caption, caption_box, "body", 0, middle=False)], frame, 0.05
    )
    shapes = (Shape("rect", rule, "accent", 0),)
    return Drawn((*big, *small), shapes, 1, cut_big or cut_small)
