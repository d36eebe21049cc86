"""Every offline deck chooses its layouts with `choose_layout`: the user's notes and the topic
deck as the grounded deck does (a user's steps make a process, their figures a chart)."""

from __future__ import annotations

from videogen.media.models import GenerationRequest
from videogen.media.writer import OfflineWriter

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
