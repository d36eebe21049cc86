"""The LLM writer's layouts: the schema fields that let the model choose a slide's layout and
give its data, and the check that turns its choice into `Slide.layout` and `Slide.visuals`.

One vocabulary for every writer: the model picks from the contract's layouts (`LAYOUTS`, less
the framing the writer adds itself and `image`, which has no data a model could give) and fills
the data that layout draws. Its choice is kept only when the data is there and stands in the
slide's own words or the passages it was given (every number of a chart, a timeline or a big
number must occur there; steps, events and columns must be said there); otherwise the slide gets
what `media.writer.layouts.choose_layout` finds in its words, which is bullets when it finds
nothing. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Final, cast

from pydantic import BaseModel, ConfigDict, StringConstraints

from videogen.media.models import (
    LAYOUTS,
    Visual,
    VisualBar,
    VisualColumn,
    VisualData,
    VisualEvent,
)
from videogen.media.writer.layouts import (
    MAX_BARS,
    MAX_EVENTS,
    MAX_STEPS,
    choose_layout,
    code_block,
    is_cycle,
    quoted,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.media.models import Layout

__all__ = [
    "MODEL_LAYOUTS",
    "Chosen",
    "LayoutOut",
    "choose_model_layout",
    "code_block",
    "layout_fields",
    "layout_prompt",
]

# The layouts the model may name: the contract's, less the writer's framing and `image`.
MODEL_LAYOUTS: Final[tuple[str, ...]] = tuple(
    name for name in LAYOUTS if name not in {"title", "summary", "sources", "image"}
)
# Fewer items than this is not a process, a timeline or a chart (as in `choose_layout`).
_MIN_ITEMS: Final = 3
# Bounds of the bounded schema (a grammar): short labels, a short code listing (a longer bound
# is a larger grammar, which a small server walks on every token).
_BOUNDED_ITEM: Final = 40
_BOUNDED_CODE: Final = 400
_MAX_CODE_LINES: Final = 14
# A phrase "stands in" a text when at least this share of its words (3 letters or more) do.
_SAID_SHARE: Final = 2 / 3
_WORD: Final = re.compile(r"\w{3,}")
_DIGITS: Final = re.compile(r"\d+(?:[.,]\d+)*")

Text = Annotated[str, StringConstraints(strip_whitespace=True)]


class BarOut(BaseModel):
    """One bar as the model gives it."""

    model_config = ConfigDict(extra="ignore")

    label: Text = ""
    value: float = 0.0
    unit: Text = ""


class EventOut(BaseModel):
    """One dated event as the model gives it."""

    model_config = ConfigDict(extra="ignore")

    date: Text = ""
    text: Text = ""


class ColumnOut(BaseModel):
    """One side of a comparison as the model gives it."""

    model_config = ConfigDict(extra="ignore")

    heading: Text = ""
    items: list[Text] = []


class LayoutOut(BaseModel):
    """A slide's layout and its data, as the model writes them (every field may be empty:
    a layout the model names without its data is not kept). `layout` is a plain string so an
    unknown name costs the slide its layout, not the deck its answer."""

    model_config = ConfigDict(extra="ignore")

    layout: Text = "bullets"
    steps: list[Text] = []
    events: list[EventOut] = []
    bars: list[BarOut] = []
    figure: Text = ""
    caption: Text = ""
    columns: list[ColumnOut] = []
    quote: Text = ""
    by: Text = ""
    code: str = ""


def _string(bounded: bool, limit: int = _BOUNDED_ITEM) -> dict[str, Any]:
    return {"type": "string", "maxLength": limit} if bounded else {"type": "string"}


def _array(items: dict[str, Any], most: int) -> dict[str, Any]:
    return {"type": "array", "items": items, "maxItems": most}


def _record(properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def layout_fields(*, bounded: bool) -> tuple[dict[str, Any], list[str]]:
    """The slide object's layout properties, and which of them are required: all of them in
    the strict form (OpenAI's strict mode wants every property required); only `layout` in the
    bounded one (a grammar lets the model leave the others out, which saves its tokens)."""
    text = _string(bounded)
    fields: dict[str, Any] = {
        "layout": {"type": "string", "enum": list(MODEL_LAYOUTS)},
        "steps": _array(text, MAX_STEPS),
        "events": _array(_record({"date": text, "text": text}), MAX_EVENTS),
        "bars": _array(
            _record({"label": text, "value": {"type": "number"}, "unit": text}), MAX_BARS
        ),
        "figure": text,
        "caption": text,
        "columns": _array(_record({"heading": text, "items": _array(text, 3)}), 2),
        "quote": _string(bounded, 2 * _BOUNDED_ITEM),
        "by": text,
        "code": _string(bounded, _BOUNDED_CODE),
    }
    return fields, list(fields) if not bounded else ["layout"]


def layout_prompt() -> str:
    """The prompt's lines that ask for a layout and its data."""
    return (
        'Give each slide a "layout": "bullets" unless its content is one of these, and then '
        "fill that layout's fields from the slide's own facts (leave the others empty): "
        '"process" (3 to 6 "steps" in order), "timeline" (3 to 5 dated "events", each '
        '{"date", "text"}), "chart" (3 to 6 "bars", each {"label", "value", "unit"}, one unit, '
        'numbers exactly as given), "big_number" (one "figure" and its "caption"), "comparison" '
        '(two "columns", each {"heading", "items"}), "quote" (a "quote" given word for word, '
        'and "by" whom), "code" (a short "code" listing). Never invent numbers for a chart.'
    )


# --- the check -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chosen:
    """A slide's layout after the check: the layout, what it draws, and the bullets it shows
    (a quote slide shows the quotation; a code slide's body is `code`, a fenced block)."""

    layout: Layout
    visuals: tuple[Visual, ...]
    bullets: tuple[str, ...]
    code: str = ""


def _numbers(text: str) -> set[float]:
    """Every number written in `text` ("3,300" and "3300" alike)."""
    found: set[float] = set()
    for match in _DIGITS.finditer(text):
        raw = match.group(0)
        for reading in {raw.replace(",", ""), raw.replace(",", ".")}:
            try:
                found.add(round(float(reading), 6))
            except ValueError:
                continue
    return found


def _said(phrase: str, text: str) -> bool:
    """Whether `phrase` stands in `text` (casefolded): whole, or most of its words."""
    phrase, text = " ".join(phrase.casefold().split()), text.casefold()
    if not phrase:
        return False
    if phrase in text:
        return True
    words = _WORD.findall(phrase)
    return bool(words) and sum(word in text for word in words) >= _SAID_SHARE * len(words)


def _process(out: LayoutOut, said: str) -> Visual | None:
    steps = tuple(dict.fromkeys(s for s in out.steps if s))[:MAX_STEPS]
    if len(steps) < _MIN_ITEMS or not all(_said(step, said) for step in steps):
        return None
    what = "cycle" if is_cycle(" ".join((said, *steps))) else "process"
    return Visual(kind="diagram", what=what, data=VisualData(steps=steps))


def _timeline(out: LayoutOut, said: str, numbers: set[float]) -> Visual | None:
    events = [e for e in out.events if e.date and e.text][:MAX_EVENTS]
    if len(events) < _MIN_ITEMS:
        return None
    for event in events:
        years = _numbers(event.date)
        if not years or not years <= numbers or not _said(event.text, said):
            return None
    data = VisualData(events=tuple(VisualEvent(date=e.date, text=e.text) for e in events))
    return Visual(kind="diagram", what="timeline", data=data)


def _chart(out: LayoutOut, numbers: set[float]) -> Visual | None:
    bars = [b for b in out.bars if b.label][:MAX_BARS]
    units = {bar.unit.casefold() for bar in bars}
    if len(bars) < _MIN_ITEMS or len(units) != 1:
        return None
    if not all(b.value >= 0 and round(b.value, 6) in numbers for b in bars):
        return None
    data = VisualData(
        bars=tuple(VisualBar(label=b.label, value=b.value, unit=b.unit) for b in bars)
    )
    return Visual(kind="chart", what="bars", data=data)


def _figure(out: LayoutOut, bullets: Sequence[str], numbers: set[float]) -> Visual | None:
    shown = _numbers(out.figure)
    if not shown or not shown <= numbers:
        return None
    caption = out.caption or next((b for b in bullets if out.figure in b), "")
    return Visual(kind="chart", what="figure", data=VisualData(figure=out.figure, caption=caption))


def _comparison(out: LayoutOut, said: str) -> Visual | None:
    columns = out.columns
    if len(columns) != 2 or not all(c.heading or c.items for c in columns):
        return None
    texts = [text for c in columns for text in (c.heading, *c.items) if text]
    if not all(_said(text, said) for text in texts):
        return None
    data = VisualData(
        columns=tuple(VisualColumn(heading=c.heading, items=tuple(c.items)) for c in columns)
    )
    return Visual(kind="diagram", what="comparison", data=data)


def _code(out: LayoutOut, reference: str) -> str:
    """The model's listing when it may stand: a few lines, and, when the deck has sources or
    notes, lines they hold (a model does not make up the code it says a document shows)."""
    lines = [line.rstrip() for line in out.code.strip("\n").splitlines()]
    if not any(line.strip() for line in lines) or len(lines) > _MAX_CODE_LINES:
        return ""
    flat = reference.replace("\r", "")
    if reference and not all(line.strip() in flat for line in lines if line.strip()):
        return ""
    return "\n".join(lines)


def _kept(out: LayoutOut, title: str, bullets: Sequence[str], reference: str) -> Chosen | None:
    """The model's own layout, when its data holds up in the slide's words or `reference`."""
    said = " ".join((title, *bullets, reference))
    numbers = _numbers(said)
    points = tuple(bullets)
    visual: Visual | None = None
    if out.layout == "process":
        visual = _process(out, said)
    elif out.layout == "timeline":
        visual = _timeline(out, said, numbers)
    elif out.layout == "chart":
        visual = _chart(out, numbers)
    elif out.layout == "big_number":
        visual = _figure(out, bullets, numbers)
    elif out.layout == "comparison":
        visual = _comparison(out, said)
    elif out.layout == "quote":
        mark = f"“{out.quote}”" + (f" — {out.by}" if out.by else "")
        words = " ".join(out.quote.casefold().split())
        if quoted(mark) and words in " ".join(said.casefold().split()):
            return Chosen("quote", (), (mark,))
    elif out.layout == "code":
        code = _code(out, reference)
        if code:
            return Chosen("code", (), points, code)
    if visual is None:
        return None
    return Chosen(cast("Layout", out.layout), (visual,), points)


def choose_model_layout(
    out: LayoutOut, title: str, bullets: Sequence[str], reference: str, language: str
) -> Chosen:
    """The layout of a content slide the model wrote: its own choice when the data holds up
    (see the module's docstring), else `choose_layout` on the slide's words, else bullets.
    `reference` is the text the model was given to draw on (passages, notes; "" for none)."""
    kept = _kept(out, title, bullets, reference)
    if kept is not None:
        return kept
    layout, visuals = choose_layout(title, bullets, "", language)
    return Chosen(layout, visuals, tuple(bullets))
