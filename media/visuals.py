"""What a slide's pictures are made of (`Slide.visuals`): the contract's `visuals` list.

Kept apart from `media.models` (which re-exports them) so that module stays the request and
content shapes; the writers fill these (`media.writer.layouts`), the slides draw them
(`media.slides.layouts`).
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

__all__ = [
    "MAX_BAR_VALUE",
    "MAX_SLIDE_VISUALS",
    "MAX_VISUAL_ITEMS",
    "MAX_VISUAL_TEXT",
    "QualityIssue",
    "QualityKind",
    "SlideQuality",
    "SourceId",
    "Visual",
    "VisualBar",
    "VisualColumn",
    "VisualData",
    "VisualEvent",
    "VisualKind",
    "drawable_visual",
]

_Frozen = ConfigDict(frozen=True, extra="ignore")

# A user's slide (`UserSlide.visuals`, a reviewed deck's) carries at most this many visuals: the
# writers put one diagram and one picture on a slide; a few more is room, a thousand is abuse.
MAX_SLIDE_VISUALS: Final = 8

# A user's visual (`UserSlide.visuals`) is drawn as given, so it is held to what a slide can
# show: the writers make at most 6 steps or bars and 5 events (`media.writer.layouts`), and a
# few words each; beyond these a drawing only crowds (thousands of steps failed to draw, and
# a long timeline took seconds).
MAX_VISUAL_ITEMS: Final = 8
MAX_VISUAL_TEXT: Final = 300
MAX_BAR_VALUE: Final = 1e15

# A source's id as a slide cites it (`Slide.sources`): "s1", "p2", short and plain.
SourceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_-]{1,40}$")]

VisualKind = Literal["icon", "emoji", "chart", "diagram", "image"]


class VisualBar(BaseModel):
    """One bar of a chart: what it measures, its value and the value's unit ("%", "km")."""

    model_config = _Frozen

    label: str
    value: float
    unit: str = ""


class VisualEvent(BaseModel):
    """One entry of a timeline: its date as written ("1969", "March 1815") and what happened."""

    model_config = _Frozen

    date: str
    text: str


class VisualColumn(BaseModel):
    """One side of a comparison: its heading and its points."""

    model_config = _Frozen

    heading: str
    items: tuple[str, ...] = ()


class VisualData(BaseModel):
    """What a visual draws; a visual fills the fields its `what` needs and leaves the rest empty:
    `steps` (process, cycle), `bars` (bars), `events` (timeline), `figure` and `caption`
    (figure: "86%" and what it counts), `columns` (comparison); `picture`, `width` and
    `height` (image: its content name, "<sha256>.png" from `media.pictures.picture_name`, never
    a path, and its size in pixels) with `caption`."""

    model_config = _Frozen

    steps: tuple[str, ...] = ()
    bars: tuple[VisualBar, ...] = ()
    events: tuple[VisualEvent, ...] = ()
    figure: str = ""
    caption: str = ""
    columns: tuple[VisualColumn, ...] = ()
    picture: str = ""
    width: int = 0
    height: int = 0


class Visual(BaseModel):
    """A picture on a slide (contract: "Slide layouts and output"): its kind, what it shows
    ("process", "cycle", "bars", "timeline", "figure", "comparison", or a picture's subject), the
    data it is drawn from, and, for what came from elsewhere, its source and licence."""

    model_config = _Frozen

    kind: VisualKind
    what: str
    data: VisualData = VisualData()
    source: str | None = None
    license: str | None = None


# What a slide's quality report can find (`media.slides.quality`): text below a readable size,
# text or shapes leaving their box (or cut with an ellipsis, or a word broken across lines),
# characters the font has no glyph for, and text under WCAG AA contrast with what is behind it.
QualityKind = Literal["shrunk", "overflow", "tofu", "contrast"]


class QualityIssue(BaseModel):
    """One finding of a slide's quality report: its kind and a sentence naming what and where."""

    model_config = _Frozen

    kind: QualityKind
    detail: str


class SlideQuality(BaseModel):
    """A drawn slide's quality report (`Slide.quality` in content): `ok` when it has no issues."""

    model_config = _Frozen

    ok: bool
    issues: tuple[QualityIssue, ...] = ()


def drawable_visual(visual: Visual) -> Visual:
    """`visual` when a slide can draw it: at most `MAX_VISUAL_ITEMS` steps, bars, events,
    columns and items a column, every text at most `MAX_VISUAL_TEXT` characters, every bar's
    value finite and within `MAX_BAR_VALUE`. Raises ValueError naming the first field that is
    not (for a user's slide: the writers' own visuals are within these by construction)."""
    data = visual.data
    lists: dict[str, tuple[object, ...]] = {
        "data.steps": data.steps,
        "data.bars": data.bars,
        "data.events": data.events,
        "data.columns": data.columns,
        **{f"data.columns.{i}.items": c.items for i, c in enumerate(data.columns)},
    }
    for field, items in lists.items():
        if len(items) > MAX_VISUAL_ITEMS:
            raise ValueError(f"{field}: {len(items)} entries; at most {MAX_VISUAL_ITEMS}")
    texts = {
        "what": visual.what,
        "source": visual.source or "",
        "license": visual.license or "",
        "data.figure": data.figure,
        "data.caption": data.caption,
        "data.picture": data.picture,
        **{f"data.steps.{i}": t for i, t in enumerate(data.steps)},
        **{f"data.bars.{i}.label": b.label + b.unit for i, b in enumerate(data.bars)},
        **{f"data.events.{i}": e.date + e.text for i, e in enumerate(data.events)},
        **{f"data.columns.{i}": c.heading + "".join(c.items) for i, c in enumerate(data.columns)},
    }
    for field, text in texts.items():
        if len(text) > MAX_VISUAL_TEXT:
            raise ValueError(f"{field}: {len(text)} characters; at most {MAX_VISUAL_TEXT}")
    for i, bar in enumerate(data.bars):
        if not abs(bar.value) <= MAX_BAR_VALUE:  # NaN fails this too
            raise ValueError(f"data.bars.{i}.value: {bar.value}; at most ±{MAX_BAR_VALUE:g}")
    return visual
