"""The diagram layouts, one module each, and `draw_body`, which picks one by `slide.layout`.

Each draws into the body box that `media.slides.layout` leaves under a content slide's title,
from the data of the slide's visual (`Slide.visuals`, written by `media.writer.layouts`):

- `process`: steps joined by arrows, or a ring of them for a cycle;
- `timeline`: dated events along an axis;
- `chart`: horizontal bars with labels and values;
- `big_number`: one figure and its caption;
- `comparison`: two columns;
- `quote`: a quotation and who said it;
- `image`: a source's picture with its caption, beside the bullets;
- `code`: the listing in the slide's `content_text`, monospace and highlighted.

A layout without the data it needs, or one that has no drawing here (bullets), gives None: the
slide is drawn as bullets.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from videogen.media.slides.body import body_items
from videogen.media.slides.layouts.big_number import draw_big_number
from videogen.media.slides.layouts.chart import draw_chart
from videogen.media.slides.layouts.code import code_of, draw_code
from videogen.media.slides.layouts.common import Drawn
from videogen.media.slides.layouts.comparison import draw_comparison
from videogen.media.slides.layouts.image import draw_image
from videogen.media.slides.layouts.process import draw_cycle, draw_process
from videogen.media.slides.layouts.quote import draw_quote
from videogen.media.slides.layouts.timeline import draw_timeline

if TYPE_CHECKING:
    from videogen.media.models import Slide, Visual
    from videogen.media.slides.geometry import Box
    from videogen.media.slides.place import Frame

__all__ = ["DIAGRAM_LAYOUTS", "Drawn", "draw_body"]

DIAGRAM_LAYOUTS: Final = frozenset(
    {"process", "timeline", "chart", "big_number", "comparison", "quote", "image", "code"}
)
# Two or more items: fewer is not a diagram.
_MIN_ITEMS: Final = 2
_QUOTED: Final = re.compile(r"^[\"“«„「『](.+?)[\"”»“」』](?:\s*[—–-]\s*(.+))?$")


def _visual(slide: Slide, *whats: str) -> Visual | None:
    return next((v for v in slide.visuals if v.what in whats), None)


def _quote(slide: Slide, frame: Frame, area: Box) -> Drawn | None:
    for item in body_items(slide):
        match = _QUOTED.match(item.text)
        if match:
            return draw_quote(match.group(1).strip(), (match.group(2) or "").strip(), frame, area)
    return None


def draw_body(slide: Slide, frame: Frame, area: Box) -> Drawn | None:
    """The slide's body drawn in its layout inside `area`, or None to draw it as bullets."""
    layout = slide.layout
    if layout == "quote":
        return _quote(slide, frame, area)
    if layout == "process":
        visual = _visual(slide, "process", "cycle")
        if visual is None or len(visual.data.steps) < _MIN_ITEMS:
            return None
        draw = draw_cycle if visual.what == "cycle" else draw_process
        return draw(visual.data.steps, frame, area)
    if layout == "timeline":
        visual = _visual(slide, "timeline")
        if visual is None or len(visual.data.events) < _MIN_ITEMS:
            return None
        return draw_timeline(visual.data.events, frame, area)
    if layout == "chart":
        visual = _visual(slide, "bars")
        if visual is None or len(visual.data.bars) < _MIN_ITEMS:
            return None
        return draw_chart(visual.data.bars, frame, area)
    if layout == "big_number":
        visual = _visual(slide, "figure")
        if visual is None or not visual.data.figure:
            return None
        return draw_big_number(visual.data.figure, visual.data.caption, frame, area)
    if layout == "image":
        picture = next((v for v in slide.visuals if v.kind == "image" and v.data.picture), None)
        if picture is None:
            return None
        return draw_image(picture, [item.text for item in body_items(slide)], frame, area)
    if layout == "code":
        code, language = code_of(slide.content_text)
        return draw_code(code, language, frame, area) if code.strip() else None
    if layout == "comparison":
        visual = _visual(slide, "comparison")
        if visual is None or len(visual.data.columns) != _MIN_ITEMS:
            return None
        return draw_comparison(visual.data.columns, frame, area)
    return None
