"""The LLM writer's layouts (`media.llm_layouts`): recorded model answers become slides in the
layout the model chose when that layout's data stands in the slide or its sources, and in what
`choose_layout` finds otherwise (no model here: test_llm_integration runs a real one)."""

from __future__ import annotations

import json
from typing import Any

from tests.wiki_data import grounding
from videogen.media.llm_prompts import (
    DeckOut,
    build_content,
    content_messages,
    deck_schema,
    narration_messages,
    parse_answer,
)
from videogen.media.models import LAYOUTS, GenerationRequest

EARTH = GenerationRequest(topic="Earth", num_slides=3)
EARTH_SOURCES = grounding("Earth")


def _answer(*slides: dict[str, Any]) -> DeckOut:
    """A recorded answer, parsed as the writer parses the model's streamed text."""
    title = {"title": "Earth", "bullets": ["The third planet"], "layout": "bullets"}
    return parse_answer(json.dumps({"slides": [title, *slides]}), DeckOut)


def test_the_schema_names_the_contracts_layouts_and_their_data() -> None:
    strict = deck_schema(3).strict["properties"]["slides"]["items"]
    assert set(strict["properties"]["layout"]["enum"]) <= set(LAYOUTS)
    assert {"process", "timeline", "chart", "quote", "code"} <= set(
        strict["properties"]["layout"]["enum"]
    )
    assert "title" not in strict["properties"]["layout"]["enum"]  # the writer's framing
    bars = strict["properties"]["bars"]["items"]["properties"]
    assert bars["value"] == {"type": "number"} and set(bars) == {"label", "value", "unit"}
    assert set(strict["properties"]["events"]["items"]["required"]) == {"date", "text"}
    bounded = deck_schema(3).bounded["properties"]["slides"]["items"]
    assert bounded["required"] == ["title", "bullets", "layout"]  # a grammar may skip the rest
    assert "layout" in content_messages(EARTH)[1]["content"]


def test_a_figure_must_stand_in_the_sources_and_a_chart_needs_three_true_bars() -> None:
    bars = [
        {"label": "Ocean", "value": 70.8, "unit": "%"},
        {"label": "Land", "value": 29.2, "unit": "%"},
    ]
    slide = {
        "title": "Surface",
        "bullets": ["Ocean covers most of the crust", "Land is the rest"],
        "layout": "chart",
        "bars": bars,
    }
    # two bars are too few for a chart, and the bullets hold no figure of their own
    content = build_content(EARTH, _answer(slide), EARTH_SOURCES)
    assert content.slides[1].layout == "bullets"
    three = {**slide, "bars": [*bars, {"label": "Ice", "value": 10, "unit": "%"}]}
    # 10 is in no source: the model made it up, so no chart
    assert build_content(EARTH, _answer(three), EARTH_SOURCES).slides[1].layout == "bullets"
    figure = {
        "title": "Ocean world",
        "bullets": ["Ocean covers most of Earth's crust"],
        "layout": "big_number",
        "figure": "70.8%",
        "caption": "of Earth's crust is ocean",
    }
    kept = build_content(EARTH, _answer(figure), EARTH_SOURCES).slides[1]
    assert kept.layout == "big_number" and kept.visuals[0].data.figure == "70.8%"
    made_up = {**figure, "figure": "80%"}
    assert build_content(EARTH, _answer(made_up), EARTH_SOURCES).slides[1].layout == "bullets"


def test_chart_bars_from_the_slides_own_bullets_are_kept() -> None:
    request = GenerationRequest(topic="Rivers", num_slides=2)
    slide = {
        "title": "Longest rivers",
        "bullets": ["Nile: 6650 km", "Amazon: 6400 km", "Yangtze: 6300 km"],
        "layout": "chart",
        "bars": [
            {"label": "Nile", "value": 6650, "unit": "km"},
            {"label": "Amazon", "value": 6400, "unit": "km"},
            {"label": "Yangtze", "value": 6300, "unit": "km"},
        ],
    }
    chart = build_content(request, _answer(slide)).slides[1]
    assert chart.layout == "chart"
    assert [(b.label, b.value, b.unit) for b in chart.visuals[0].data.bars] == [
        ("Nile", 6650, "km"),
        ("Amazon", 6400, "km"),
        ("Yangtze", 6300, "km"),
    ]
    mixed = {
        **slide,
        "bars": [*slide["bars"][:2], {"label": "Yangtze", "value": 6300, "unit": "mi"}],
    }
    # one unit per chart: the model's mixed units are not kept; the chooser reads the bullets'
    # own figures, all in km, and draws them
    fallback = build_content(request, _answer(mixed)).slides[1]
    assert fallback.layout == "chart" and {b.unit for b in fallback.visuals[0].data.bars} == {"km"}


def test_process_steps_must_be_said_and_a_missing_layout_falls_back_to_the_chooser() -> None:
    request = GenerationRequest(topic="Water cycle", num_slides=2)
    steps = ["Evaporation", "Condensation", "Precipitation", "Collection"]
    slide = {
        "title": "The water cycle",
        "bullets": [
            "Water evaporates: evaporation",
            "Clouds: condensation",
            "Rain: precipitation",
            "Rivers: collection",
        ],
        "layout": "process",
        "steps": steps,
    }
    kept = build_content(request, _answer(slide)).slides[1]
    assert kept.layout == "process" and kept.visuals[0].what == "cycle"
    assert kept.visuals[0].data.steps == tuple(steps)
    invented = {**slide, "steps": [*steps[:3], "Sublimation"]}
    assert build_content(request, _answer(invented)).slides[1].layout == "bullets"
    # the model names a timeline and gives no events: the chooser reads the dated bullets
    dated = {
        "title": "Missions",
        "bullets": ["Sputnik in 1957", "Apollo 11 in 1969", "The ISS in 1998"],
        "layout": "timeline",
    }
    timeline = build_content(request, _answer(dated)).slides[1]
    assert timeline.layout == "timeline"
    assert [e.date for e in timeline.visuals[0].data.events] == ["1957", "1969", "1998"]
    # a layout outside the vocabulary, or one with no data a model could give, is bullets
    for name in ("image", "mosaic"):
        odd = {"title": "Odd", "bullets": ["One point", "Another"], "layout": name}
        assert build_content(request, _answer(odd)).slides[1].layout == "bullets"


def test_a_quote_must_be_word_for_word_and_a_comparison_said() -> None:
    quote = {
        "title": "Pale blue dot",
        "bullets": ["A view from far away"],
        "layout": "quote",
        "quote": "the only astronomical object known to harbor life",
        "by": "Wikipedia",
    }
    kept = build_content(EARTH, _answer(quote), EARTH_SOURCES).slides[1]
    assert kept.layout == "quote"
    assert kept.bullets == ("“the only astronomical object known to harbor life” — Wikipedia",)
    invented = {**quote, "quote": "the most beautiful planet of all"}
    assert build_content(EARTH, _answer(invented), EARTH_SOURCES).slides[1].layout == "bullets"
    sides = {
        "title": "Ocean and land",
        "bullets": ["Ocean covers most of the crust", "Land is the rest"],
        "layout": "comparison",
        "columns": [
            {"heading": "Ocean", "items": ["Covers 70.8% of Earth's crust"]},
            {"heading": "Land", "items": ["Continental landmasses"]},
        ],
    }
    compared = build_content(EARTH, _answer(sides), EARTH_SOURCES).slides[1]
    assert compared.layout == "comparison"
    assert [c.heading for c in compared.visuals[0].data.columns] == ["Ocean", "Land"]
    one = {**sides, "columns": sides["columns"][:1]}
    assert build_content(EARTH, _answer(one), EARTH_SOURCES).slides[1].layout == "bullets"


NOTES = """# Reading a file

Open the file and print each line.

```python
with open("notes.txt") as f:
    for line in f:
        print(line)
```
"""


def test_code_from_the_notes_is_kept_and_the_narrator_is_told_not_to_read_it() -> None:
    request = GenerationRequest(topic="Python files", num_slides=2, source_text=NOTES)
    code = 'with open("notes.txt") as f:\n    for line in f:\n        print(line)'
    slide = {
        "title": "Reading a file",
        "bullets": ["Open the file", "Print each line"],
        "layout": "code",
        "code": code,
    }
    content = build_content(request, _answer(slide))
    shown = content.slides[1]
    assert shown.layout == "code"
    assert shown.content_text == f"```\n{code}\n```"
    assert shown.bullets == ("Open the file", "Print each line")
    prompt = narration_messages(request, content, shown, 30)[1]["content"]
    assert "do not read the code" in prompt and 'open("notes.txt")' in prompt
    # code the notes do not hold is the model's invention: no code slide
    other = {**slide, "code": "import os\nos.remove('notes.txt')"}
    assert build_content(request, _answer(other)).slides[1].layout == "bullets"
