"""Every offline deck chooses its layouts with `choose_layout`: the user's notes and the topic
deck as the grounded deck does (a user's steps make a process, their figures a chart)."""

from __future__ import annotations

from tests.wiki_data import article
from videogen.media.knowledge.catalog import configured_sources
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.models import GenerationRequest
from videogen.media.writer import OfflineWriter
from videogen.media.writer.layouts import choose_layout
from videogen.media.writer.sentences import split_sentences

NOTES = """# Making tea

1. Boil fresh water in the kettle
2. Warm the pot with a little hot water
3. Add one spoon of tea per cup
4. Pour the water and wait four minutes

# Where the tea comes from

- China grows 3,300,000 tonnes of tea a year
- India grows 1,400,000 tonnes of tea a year
- Kenya grows 570,000 tonnes of tea a year

# Serving

Pour the tea through a strainer. Milk goes in after the tea, if at all.
"""


def test_notes_with_steps_and_figures_get_a_process_and_a_chart() -> None:
    request = GenerationRequest(topic="Tea", num_slides=4, source_text=NOTES)
    slides = OfflineWriter().write_content(request).slides
    layouts = {s.title: s.layout for s in slides}
    assert layouts == {
        "Tea": "title",
        "Making tea": "process",
        "Where the tea comes from": "chart",
        "Serving": "bullets",
    }
    process = next(s for s in slides if s.layout == "process")
    assert process.visuals[0].data.steps[0] == "Boil fresh water in the kettle"
    chart = next(s for s in slides if s.layout == "chart")
    bars = chart.visuals[0].data.bars
    assert [(b.value, b.unit) for b in bars] == [
        (3_300_000, "tonnes"),
        (1_400_000, "tonnes"),
        (570_000, "tonnes"),
    ]


def test_plain_paragraph_notes_with_dated_events_get_a_timeline() -> None:
    notes = (
        "The first telephone call was made in 1876. The first radio broadcast was in 1906. "
        "The first television broadcast was in 1928."
    )
    request = GenerationRequest(topic="Telecoms", num_slides=2, source_text=notes)
    slide = OfflineWriter().write_content(request).slides[1]
    assert slide.layout == "timeline"
    assert [e.date for e in slide.visuals[0].data.events] == ["1876", "1906", "1928"]


def test_the_topic_deck_goes_through_the_chooser_and_stays_bullets_without_evidence() -> None:
    slides = OfflineWriter().write_content(GenerationRequest(topic="Tea", num_slides=6)).slides
    assert [s.layout for s in slides] == ["title", *["bullets"] * 4, "summary"]


# --- charts from the shipped encyclopedia ---------------------------------------------------------


def _sentence(title: str, holding: str) -> str:
    text = article(title).sections[0].paragraphs[0]
    return next(s for s in split_sentences(text) if holding in s)


def test_a_real_sentence_with_three_figures_in_one_unit_is_a_chart() -> None:
    said = _sentence("Eastern Front (World War II)", "Eastern Front, including")
    layout, visuals = choose_layout("Eastern Front", [], said, "english")
    assert layout == "chart"
    bars = visuals[0].data.bars
    assert [(b.label, b.value, b.unit) for b in bars] == [
        ("Deaths attributed to the war (70–85)", 85.0, "million"),  # a range: its upper end
        ("Occurred on the Eastern Front", 30.0, "million"),
        ("Children", 9.0, "million"),
    ]


def test_conversions_in_brackets_are_not_figures_of_their_own() -> None:
    # "2,600 meters (8,500 ft) ... 2,000 meters (6,600 ft)": two depths, not four bars
    said = _sentence("Mid-ocean ridge", "8,500 ft")
    assert choose_layout("Mid-ocean ridge", [], said, "english")[0] != "chart"


def test_the_grounded_deck_of_a_shipped_topic_with_figures_gets_a_chart() -> None:
    topic = "Eastern Front (World War II)"
    request = GenerationRequest(topic=topic, num_slides=8)
    grounding = retrieve(topic, "english", configured_sources(()), related=6)
    slides = OfflineWriter().write_content(request, grounding).slides
    charts = [s for s in slides if s.layout == "chart"]
    assert len(charts) == 1
    assert {b.value for b in charts[0].visuals[0].data.bars} == {85.0, 30.0, 9.0}
    # the bullet shows the sentence the bars come from
    assert any("70–85 million deaths" in b for b in charts[0].bullets)
