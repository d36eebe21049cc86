"""Benchmark of layouts chosen from the content, side by side with today's text-only slides.

    python -m bench.layouts [--quick] [--json]

For each topic, an 8-slide grounded deck is written the way a generation writes it (the real
retrieval, `media.knowledge.retrieve` over `configured_sources(())`, related = slides - 2) and
its layouts listed. Each deck's slides are then drawn at 720p 16:9, once in their layouts and
once all as bullets (the text-only slides before issue 12), with every reveal frame, and the
drawing times compared.

Goals (issue 12): "The water cycle" uses at least four layouts, one a process or cycle; a topic
with numbers gets a chart or a big number. A last line counts the layouts of the 8-slide decks of
the 30 topics of `bench.grounding` (writing only, no drawing), with the topic whose deck gets a
chart from the shipped encyclopedia ("Eastern Front (World War II)": three figures in millions).
The summary says whether each was met; nothing is asserted (tests/test_layouts.py asserts the
water-cycle goal, tests/test_writer_layouts.py the chart).
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any, Final

from bench._common import bench_args, emit, median, table
from bench.grounding import TOPICS as GROUNDING_TOPICS
from videogen.media.knowledge.catalog import configured_sources
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.models import GenerationRequest
from videogen.media.slides import render_slide_images
from videogen.media.writer.offline import OfflineWriter

TOPICS: Final = (
    "The water cycle",
    "Volcano",
    "Photosynthesis",
    "World War II",
    "Climate change",
    "Solar System",
    "Roman Empire",
    "Earthquake",
    "Ocean",
    "French Revolution",
    "Moon",
    "Industrial Revolution",
)
SLIDES: Final = 8
SIZE: Final = (1280, 720)
SHORT: Final = {"title": "T", "bullets": "b", "summary": "S", "sources": "src"}
# A shipped article whose deck should get a chart (tests/test_writer_layouts.py asserts it).
CHART_TOPIC: Final = "Eastern Front (World War II)"


def layout_counts(sources: Any) -> tuple[Counter[str], list[str]]:
    """The layouts of the 8-slide grounded decks of the 30 grounding topics and the chart
    topic, counted, and the topics whose deck holds a chart."""
    counts: Counter[str] = Counter()
    charted: list[str] = []
    for topic in (*GROUNDING_TOPICS, CHART_TOPIC):
        request = GenerationRequest(topic=topic, num_slides=SLIDES)
        grounding = retrieve(topic, "english", sources, related=SLIDES - 2)
        layouts = [s.layout for s in OfflineWriter().write_content(request, grounding).slides]
        counts.update(layouts)
        if "chart" in layouts:
            charted.append(topic)
    return counts, charted


def _draw_ms(slides: Any, topic: str, out: Path) -> float:
    start = time.perf_counter()
    for slide in slides:
        render_slide_images(
            slide,
            topic=topic,
            total=len(slides),
            language="english",
            theme="classic",
            size=SIZE,
            out_dir=out,
            reveal=len(slide.bullets) >= 2,
        )
    return (time.perf_counter() - start) * 1000


def main() -> None:
    args = bench_args(__doc__ or "")
    sources = configured_sources(())
    topics = TOPICS[:4] if args.quick else TOPICS
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        # One deck drawn first so that fonts and caches are warm for every measured one.
        warm = GenerationRequest(topic=topics[0], num_slides=SLIDES)
        warm_slides = (
            OfflineWriter()
            .write_content(warm, retrieve(warm.topic, "english", sources, related=SLIDES - 2))
            .slides
        )
        _draw_ms(warm_slides, warm.topic, out)
        for topic in topics:
            request = GenerationRequest(topic=topic, num_slides=SLIDES)
            grounding = retrieve(topic, "english", sources, related=SLIDES - 2)
            content = OfflineWriter().write_content(request, grounding)
            slides = content.slides
            plain = [text_only_slide(s) for s in slides]
            drawn = _draw_ms(slides, topic, out)
            text_only = _draw_ms(plain, topic, out)
            layouts = [s.layout for s in slides]
            visuals = [
                f"{s.slide_number}:{v.what}({len(v.data.steps or v.data.events or v.data.bars)})"
                if v.what in {"process", "cycle", "timeline", "bars"}
                else f"{s.slide_number}:{v.what}"
                for s in slides
                for v in s.visuals
            ]
            rows.append(
                {
                    "topic": topic,
                    "layouts": layouts,
                    "distinct": len(set(layouts)),
                    "visuals": visuals,
                    "draw_ms": round(drawn, 1),
                    "text_only_ms": round(text_only, 1),
                }
            )
    water = next(r for r in rows if r["topic"] == "The water cycle")
    water_ok = water["distinct"] >= 4 and "process" in water["layouts"]
    numbers = [r for r in rows if {"chart", "big_number"} & set(r["layouts"])]
    counts, charted = layout_counts(sources)
    results = {
        "topics": rows,
        "water_cycle_goal_met": water_ok,
        "with_numbers": len(numbers),
        "layout_counts": dict(counts),
        "charted": charted,
    }
    text = table(
        ["topic", "layouts", "distinct", "visuals", "draw ms", "text-only ms"],
        [
            [
                r["topic"],
                " ".join(SHORT.get(name, name) for name in r["layouts"]),
                r["distinct"],
                ", ".join(r["visuals"]) or "-",
                r["draw_ms"],
                r["text_only_ms"],
            ]
            for r in rows
        ],
    )
    summary = (
        f"The water cycle: {water['distinct']} distinct layouts "
        f"({'met' if water_ok else 'NOT met'}: goal 4, one a process or cycle); "
        f"{len(numbers)}/{len(rows)} topics show a figure or chart; "
        f"{sum(r['distinct'] > 3 for r in rows)}/{len(rows)} use more than title, bullets and "
        f"sources; drawing per deck (every reveal frame, 720p) median "
        f"{median(r['draw_ms'] for r in rows):.0f} ms with layouts, "
        f"{median(r['text_only_ms'] for r in rows):.0f} ms text-only\n"
        f"Layouts of {len(GROUNDING_TOPICS)} grounding topics + {CHART_TOPIC!r}, {SLIDES} "
        f"slides each: {', '.join(f'{name} {n}' for name, n in counts.most_common())}; "
        f"a chart in: {', '.join(charted) or 'none'}"
    )
    emit(args, results, f"{text}\n\n{summary}")


def text_only_slide(slide: Any) -> Any:
    """The slide as today's text-only drawing shows it: its bullets, no visuals."""
    framing = slide.layout in {"title", "summary", "sources"}
    return slide if framing else slide.model_copy(update={"layout": "bullets", "visuals": ()})


if __name__ == "__main__":
    main()
