"""Layouts chosen from the content (`media.writer.layouts`) and drawn with Pillow
(`media.slides.layouts`): the rules on real sentences of the shipped summaries, the cases with no
evidence, every diagram at every shape in four scripts inside its body box without tofu, the
reveal frames, and the water-cycle deck's mix of layouts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import pytest

from videogen.media import fonts, slides
from videogen.media.knowledge.catalog import configured_sources
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.models import (
    GenerationRequest,
    Slide,
    Visual,
    VisualBar,
    VisualColumn,
    VisualData,
    VisualEvent,
)
from videogen.media.slides.layouts.common import MIN_TEXT
from videogen.media.writer.grounded_deck import grounded_deck
from videogen.media.writer.layouts import choose_layout
from videogen.media.writer.sentences import split_sentences

from .wiki_data import summaries

if TYPE_CHECKING:
    from pathlib import Path

    from videogen.media.models import Layout
    from videogen.media.slides import SlideLayout


def sentence(title: str, containing: str) -> str:
    """The sentence of the shipped summary of `title` that contains `containing`."""
    found = [
        s
        for s in split_sentences(summaries("english")[title]["extract"], "english")
        if containing in s
    ]
    assert len(found) == 1, (title, containing, found)
    return found[0]


FLUXES: Final = ("Water cycle", "The processes that drive these movements")


# --- the chooser: evidence --------------------------------------------------------------------


def test_a_list_of_processes_in_a_cycle_is_a_cycle() -> None:
    text = sentence(*FLUXES)
    layout, visuals = choose_layout("The water cycle", [], text, "english")
    assert layout == "process"
    (visual,) = visuals
    assert (visual.kind, visual.what) == ("diagram", "cycle")
    assert visual.data.steps[:4] == (
        "Evaporation",
        "Transpiration",
        "Condensation",
        "Precipitation",
    )
    assert len(visual.data.steps) <= 6


def test_a_list_of_processes_without_a_cycle_is_a_process() -> None:
    layout, visuals = choose_layout("Fluxes", [], sentence(*FLUXES), "english")
    assert layout == "process" and visuals[0].what == "process"


@pytest.mark.parametrize(
    "bullets",
    [
        ("1. Heat the water", "2. Add the leaves", "3. Wait three minutes"),
        ("First, heat the water", "Then add the leaves", "Finally pour the tea"),
    ],
)
def test_numbered_or_ordered_bullets_are_a_process(bullets: tuple[str, ...]) -> None:
    layout, visuals = choose_layout("Tea", bullets, "", "english")
    assert layout == "process"
    steps = visuals[0].data.steps
    assert len(steps) == 3 and steps[0].startswith("Heat") and not steps[1].startswith("Then")


def test_bullets_with_a_year_each_are_a_timeline_in_date_order() -> None:
    bullets = [
        sentence("Hubble Space Telescope", "launched into low Earth orbit in 1990"),
        sentence("Sputnik 1", "4 October 1957"),
        sentence("Yuri Gagarin", "12 April 1961"),
        sentence("International Space Station", "2 November 2000"),
    ]
    layout, visuals = choose_layout("Space flight", bullets, "", "english")
    assert layout == "timeline"
    events = visuals[0].data.events
    assert [e.date for e in events] == [
        "4 October 1957",
        "12 April 1961",
        "1990",
        "2 November 2000",
    ]
    assert all("1957" not in e.text and e.text for e in events)


def test_bullets_with_a_percentage_each_are_a_chart() -> None:
    bullets = [
        sentence("Earth", "which covers 70.8% of Earth's crust"),
        sentence("Earth", "29.2%"),
        sentence("Groundwater", "30 percent"),
    ]
    layout, visuals = choose_layout("Water on Earth", bullets, "", "english")
    assert layout == "chart"
    (visual,) = visuals
    assert visual.kind == "chart"
    assert [(b.value, b.unit) for b in visual.data.bars] == [(70.8, "%"), (29.2, "%"), (30, "%")]
    assert all("%" not in b.label and "  " not in b.label for b in visual.data.bars)


def test_one_striking_figure_is_a_big_number() -> None:
    text = sentence("Water cycle", "86% of global evaporation")
    layout, visuals = choose_layout("Ocean", ["The ocean is the source"], text, "english")
    assert layout == "big_number"
    assert visuals[0].data.figure == "86%" and "global evaporation" in visuals[0].data.caption


def test_a_contrast_is_a_comparison() -> None:
    text = sentence("Weather", "whereas climate")
    layout, visuals = choose_layout("Weather and climate", [], text, "english")
    assert layout == "comparison"
    first, second = visuals[0].data.columns
    assert first.items[0].startswith("Weather refers to")
    assert second.items[0].startswith("Climate is the term")


def test_two_headed_bullets_are_a_comparison() -> None:
    bullets = ["Weather: hours and days", "Climate: thirty years or more"]
    layout, visuals = choose_layout("Weather and climate", bullets, "", "english")
    assert layout == "comparison"
    assert [c.heading for c in visuals[0].data.columns] == ["Weather", "Climate"]


def test_a_quoted_bullet_is_a_quote() -> None:
    bullets = ["“And yet it moves” — Galileo Galilei", "He was tried in 1633"]
    assert choose_layout("Galileo", bullets, "", "english") == ("quote", ())


# --- the chooser: no evidence, no layout --------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # A list, but of things that are not processes.
        ("Weather", sentence("Weather", "temperature, humidity, cloud cover")),
        ("Photosynthesis", sentence("Photosynthesis", "convert light energy")),
        # Process nouns, but listed as causes, not as stages.
        ("Mutation", sentence("Mutation", "errors during replication, mitosis")),
        # Two years are a sentence, not a timeline.
        ("Moon landing", sentence("Moon landing", "Luna 2 in 1959")),
        # A figure in millions of years, and another: no single striking figure.
        ("Climate", sentence("Climate", "from months to millions of years")),
        ("Rain", "While it was raining, the match went on until the evening."),
    ],
)
def test_no_evidence_stays_bullets(title: str, text: str) -> None:
    assert choose_layout(title, [text], text, "english") == ("bullets", ())


def test_two_percentages_are_neither_a_chart_nor_a_big_number() -> None:
    bullets = [sentence("Earth", "which covers 70.8%"), sentence("Earth", "29.2%")]
    assert choose_layout("Earth", bullets, "", "english") == ("bullets", ())


def test_other_languages_need_digits_for_evidence() -> None:
    # Hindi: no process-noun or sequence words are known, so a list is just bullets.
    hindi = "जल चक्र में वाष्पीकरण, संघनन, वर्षा और संग्रहण होते हैं।"
    assert choose_layout("जल चक्र", [hindi], hindi, "hindi") == ("bullets", ())


# --- drawing ------------------------------------------------------------------------------------

SIZES: Final = [(1280, 720), (720, 1280), (720, 720)]
SCRIPTS: Final = ["english", "hindi", "arabic", "chinese"]

_SAMPLES: Final[dict[str, dict[str, object]]] = {
    "english": {
        "title": "How water moves around the planet",
        "steps": ("Evaporation", "Condensation", "Precipitation", "Collection"),
        "events": (("1957", "Sputnik 1 is launched"), ("1961", "Gagarin orbits Earth"),
                   ("1969", "Apollo 11 lands on the Moon"), ("1990", "Hubble is launched")),
        "bars": (("Ocean", 86.0), ("Land plants", 10.0), ("Lakes and rivers", 4.0)),
        "figure": "The ocean is the source of 86% of global evaporation.",
        "columns": (("Weather", "The air over hours and days"),
                    ("Climate", "The average of the weather over thirty years")),
        "quote": "“And yet it moves” — Galileo Galilei",
    },
    "hindi": {
        "title": "पृथ्वी पर पानी कैसे घूमता है",
        "steps": ("वाष्पीकरण", "संघनन", "वर्षा", "संग्रहण"),
        "events": (("1947", "भारत स्वतंत्र हुआ"), ("1950", "संविधान लागू हुआ"),
                   ("1969", "मनुष्य चंद्रमा पर पहुँचा"), ("2008", "चंद्रयान प्रक्षेपित हुआ")),
        "bars": (("महासागर", 86.0), ("पौधे", 10.0), ("नदियाँ और झीलें", 4.0)),
        "figure": "वैश्विक वाष्पीकरण का 86% महासागर से आता है।",
        "columns": (("मौसम", "कुछ घंटों या दिनों की हवा"), ("जलवायु", "तीस वर्षों के मौसम का औसत")),
        "quote": "“ज्ञान ही सबसे बड़ी शक्ति है” — एक कहावत",
    },
    "arabic": {
        "title": "كيف يتحرك الماء حول الأرض",
        "steps": ("التبخر", "التكاثف", "الهطول", "التجمع"),
        "events": (("1957", "إطلاق سبوتنيك"), ("1961", "غاغارين يدور حول الأرض"),
                   ("1969", "الهبوط على القمر"), ("1990", "إطلاق هابل")),
        "bars": (("المحيط", 86.0), ("النباتات", 10.0), ("الأنهار والبحيرات", 4.0)),
        "figure": "يأتي 86% من التبخر العالمي من المحيط.",
        "columns": (("الطقس", "حالة الجو خلال ساعات أو أيام"),
                    ("المناخ", "متوسط الطقس على مدى ثلاثين عاما")),
        "quote": "«العلم نور والجهل ظلام» — مثل عربي",
    },
    "chinese": {
        "title": "水如何在地球上循环",
        "steps": ("蒸发", "凝结", "降水", "汇集"),
        "events": (("1957", "第一颗人造卫星发射"), ("1961", "加加林绕地球飞行"),
                   ("1969", "人类首次登月"), ("2003", "中国首次载人航天")),
        "bars": (("海洋", 86.0), ("植物", 10.0), ("河流和湖泊", 4.0)),
        "figure": "全球蒸发的86%来自海洋。",
        "columns": (("天气", "几小时或几天内的大气状况"), ("气候", "三十年以上天气的平均")),
        "quote": "「知识就是力量」 — 培根",
    },
}  # fmt: skip

DIAGRAMS: Final = ["process", "cycle", "timeline", "chart", "big_number", "comparison", "quote"]


def diagram_slide(kind: str, language: str) -> Slide:
    """A content slide of `kind` in `language`, with the visual its renderer draws."""
    sample = _SAMPLES[language]
    steps = sample["steps"]
    assert isinstance(steps, tuple)
    layout: Layout
    if kind in {"process", "cycle"}:
        layout, data = "process", VisualData(steps=steps)
        visual = Visual(kind="diagram", what=kind, data=data)
    elif kind == "timeline":
        events = tuple(VisualEvent(date=d, text=t) for d, t in sample["events"])  # type: ignore[attr-defined]
        layout, visual = (
            "timeline",
            Visual(kind="diagram", what="timeline", data=VisualData(events=events)),
        )
    elif kind == "chart":
        bars = tuple(VisualBar(label=n, value=v, unit="%") for n, v in sample["bars"])  # type: ignore[attr-defined]
        layout, visual = "chart", Visual(kind="chart", what="bars", data=VisualData(bars=bars))
    elif kind == "big_number":
        data = VisualData(figure="86%", caption=str(sample["figure"]))
        layout, visual = "big_number", Visual(kind="chart", what="figure", data=data)
    elif kind == "comparison":
        columns = tuple(VisualColumn(heading=h, items=(t,)) for h, t in sample["columns"])  # type: ignore[attr-defined]
        layout = "comparison"
        visual = Visual(kind="diagram", what="comparison", data=VisualData(columns=columns))
    else:
        return Slide(
            slide_number=3,
            title=str(sample["title"]),
            content_text="",
            duration=5.0,
            bullets=(str(sample["quote"]),),
            layout="quote",
        )
    return Slide(
        slide_number=3,
        title=str(sample["title"]),
        content_text="",
        duration=5.0,
        bullets=steps,
        layout=layout,
        visuals=(visual,),
    )


def body_parts(layout: SlideLayout) -> tuple[list[slides.TextLine], list[slides.Box]]:
    lines = [line for line in layout.lines if line.item is not None]
    return lines, [shape.box for shape in layout.shapes]


@pytest.mark.parametrize("language", SCRIPTS)
@pytest.mark.parametrize("size", SIZES, ids=["16x9", "9x16", "1x1"])
@pytest.mark.parametrize("kind", DIAGRAMS)
def test_every_diagram_stays_in_its_body_box_and_has_every_glyph(
    kind: str, size: tuple[int, int], language: str
) -> None:
    slide = diagram_slide(kind, language)
    layout = slides.layout_slide(slide, topic="Water", total=8, language=language, size=size)
    assert layout.body is not None, "drawn as its diagram, not as bullets"
    assert layout.body.inside(layout.safe)
    lines, shapes = body_parts(layout)
    assert lines, "the diagram has text"
    minimum = round(min(size) * MIN_TEXT)
    for line in lines:
        assert line.box.inside(layout.body), (line.text, line.box, layout.body)
        assert line.size >= minimum, (line.text, line.size)
    for box in shapes:
        assert box.inside(layout.body), (box, layout.body)
    boxes = [line.box for line in lines]
    for i, box in enumerate(boxes):
        assert not any(box.overlaps(other) for other in boxes[i + 1 :]), lines[i].text
    # Nothing of the body above the title's rule, nothing into the footer.
    assert all(box.top >= layout.rules[0].bottom for box in boxes)
    assert not layout.truncated, "the sample fits without an ellipsis"
    text = "".join(line.text for line in layout.lines)
    assert fonts.missing_glyphs(text, language) == set()


def test_six_long_steps_in_a_ring_still_fit() -> None:
    steps = ("Evaporation", "Transpiration", "Condensation", "Precipitation", "Surface runoff",
             "Subsurface flow")  # fmt: skip
    visual = Visual(kind="diagram", what="cycle", data=VisualData(steps=steps))
    slide = Slide(
        slide_number=2, title="The water cycle", content_text="", duration=5.0,
        bullets=steps, layout="process", visuals=(visual,),
    )  # fmt: skip
    for size in SIZES:
        layout = slides.layout_slide(slide, topic="Water", total=8, language="english", size=size)
        assert layout.body is not None and layout.items == 6
        lines, shapes = body_parts(layout)
        assert {line.text for line in lines} >= {"Evaporation", "Precipitation"}, "no word broken"
        assert all(line.box.inside(layout.body) for line in lines)
        assert all(box.inside(layout.body) for box in shapes)
        # Arrows between the panels: at least one per step pair on the ring.
        assert sum(shape.kind == "polygon" for shape in layout.shapes) >= 5


@pytest.mark.parametrize("layout_name", ["process", "timeline", "chart", "big_number", "image"])
def test_a_layout_without_its_data_is_drawn_as_bullets(layout_name: Layout) -> None:
    slide = Slide(
        slide_number=2, title="Water", content_text="", duration=5.0,
        bullets=("One point", "Another point"), layout=layout_name,
    )  # fmt: skip
    layout = slides.layout_slide(slide, topic="Water", total=8, language="english", size=SIZES[0])
    assert layout.body is None and layout.items == 2 and len(layout.markers) == 2


@pytest.mark.parametrize(("kind", "count"), [("process", 4), ("timeline", 4), ("chart", 3)])
def test_reveal_writes_one_frame_per_step_event_or_bar(
    tmp_path: Path, kind: str, count: int
) -> None:
    slide = diagram_slide(kind, "english")
    images = slides.render_slide_images(
        slide, topic="Water", total=8, language="english", theme="classic",
        size=(640, 360), out_dir=tmp_path, reveal=True,
    )  # fmt: skip
    assert len(images.frames) == count
    from PIL import Image

    pixels = [Image.open(path).convert("RGB").tobytes() for path in images.frames]
    assert len(set(pixels)) == count, "each frame shows one more item"
    full = slides.render_slide(
        slide, topic="Water", total=8, language="english", theme="classic", size=(640, 360)
    )
    assert pixels[-1] == full.tobytes(), "the last frame is the whole slide"
    first = slides.render_slide(
        slide, topic="Water", total=8, language="english", theme="classic", size=(640, 360),
        visible_bullets=1,
    )  # fmt: skip
    assert pixels[0] == first.tobytes()


# --- the water-cycle deck -----------------------------------------------------------------------


def test_the_water_cycle_deck_mixes_layouts_and_has_a_cycle() -> None:
    sources = configured_sources(())
    request = GenerationRequest(topic="The water cycle", num_slides=8)
    grounding = retrieve(request.topic, "english", sources, related=request.num_slides - 2)
    deck = grounded_deck(request, grounding)
    layouts = [draft.layout for draft in deck]
    assert len(set(layouts)) >= 4, layouts
    processes = [d for d in deck if d.layout == "process"]
    assert processes, layouts
    steps = processes[0].visuals[0].data.steps
    assert {"Evaporation", "Condensation", "Precipitation"} <= set(steps)
    # And each diagram slide is drawn as its diagram.
    for number, draft in enumerate(deck, start=1):
        if draft.layout not in {"process", "timeline", "chart", "big_number", "comparison"}:
            continue
        slide = Slide(
            slide_number=number, title=draft.title, content_text=draft.content_text,
            duration=5.0, bullets=draft.bullets, layout=draft.layout, visuals=draft.visuals,
        )  # fmt: skip
        for size in SIZES:
            drawn = slides.layout_slide(
                slide, topic=request.topic, total=len(deck), language="english", size=size
            )
            assert drawn.body is not None, (draft.layout, size)


@pytest.mark.parametrize("language", ["english", "arabic"])
@pytest.mark.parametrize("size", SIZES, ids=["16x9", "9x16", "1x1"])
@pytest.mark.parametrize("kind", DIAGRAMS)
def test_every_painted_pixel_of_a_diagram_is_inside_its_body_box(
    kind: str, size: tuple[int, int], language: str
) -> None:
    from PIL import ImageChops

    slide = diagram_slide(kind, language)
    layout = slides.layout_slide(slide, topic="Water", total=8, language=language, size=size)
    assert layout.body is not None
    theme = slides.theme_for("midnight")
    bare = slides.paint_layout(layout, theme, visible_bullets=0)
    full = slides.paint_layout(layout, theme)
    changed = ImageChops.difference(bare, full).getbbox()
    assert changed is not None, "the items are drawn"
    left, top, right, bottom = changed
    assert slides.Box(left, top, right, bottom).inside(layout.body), (changed, layout.body)
