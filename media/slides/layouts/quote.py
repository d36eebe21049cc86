"""A quotation: the quoted words large, an accent bar on the start side, who said them under.

One body item: the quotation and its attribution appear together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from videogen.media.slides.geometry import Box, Shape
from videogen.media.slides.layouts.common import Drawn, Label, fit_labels

if TYPE_CHECKING:
    from videogen.media.slides.place import Frame

__all__ = ["draw_quote"]

# Quotation marks by script; the default is the English pair.
_MARKS: Final = {
    "arabic": ("«", "»"),
    "chinese": ("「", "」"),
    "japanese": ("「", "」"),
    "french": ("« ", " »"),
}


def draw_quote(text: str, by: str, frame: Frame, area: Box) -> Drawn:
    """`text` in the body box beside a bar on the start side, `by` (may be "") below it."""
    bar_width = max(4, frame.px(0.012))
    gap = frame.px(0.035)
    rtl = frame.language.rtl
    height = area.bottom - area.top
    text_area = (
        Box(area.left, area.top, area.right - bar_width - gap, area.bottom)
        if rtl
        else Box(area.left + bar_width + gap, area.top, area.right, area.bottom)
    )
    by_height = height // 5 if by else 0
    open_mark, close_mark = _MARKS.get(frame.language.name, ("“", "”"))
    quote_box = Box(text_area.left, text_area.top, text_area.right, text_area.bottom - by_height)
    quote_lines, cut_quote = fit_labels(
        [Label(f"{open_mark}{text}{close_mark}", quote_box, "title", 0, centred=False)],
        frame,
        0.065,
    )
    # Who said it goes right under the words, the pair centred in the body box.
    bottom = max((line.box.bottom for line in quote_lines), default=quote_box.top)
    by_top = min(bottom + gap // 2, text_area.bottom - by_height)
    by_box = Box(text_area.left, by_top, text_area.right, by_top + by_height)
    by_lines, cut_by = fit_labels(
        [Label(f"— {by}" if by else "", by_box, "muted", 0, centred=False, middle=False)],
        frame,
        0.035,
    )
    lines = (*quote_lines, *by_lines)
    top = min((line.box.top for line in lines), default=area.top)
    bottom = max((line.box.bottom for line in lines), default=area.bottom)
    bar_left = area.right - bar_width if rtl else area.left
    bar = Shape("rect", Box(bar_left, top, bar_left + bar_width, bottom), "accent", 0)
    return Drawn(lines, (bar,), 1, cut_quote or cut_by)
