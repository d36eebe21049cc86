"""Benchmark of the pictogram matcher on a labelled set of slide titles, and of drawing them.

    python -m bench.pictograms [--quick] [--json]

The labelled set (`bench/data/pictogram_labels.json`) holds slide titles from the offline
writer's decks and hand-written French, Spanish and German ones, each with the pictograms a
reader would judge right, or none when nothing fitting exists. Labelled before the matcher was
tuned; its "held" part was never used to tune it.

Measures precision (shown pictures judged right / shown) and coverage (shown / slides that have
an acceptable picture), overall and per part, and the time to draw a pictogram (first time, with
the font or icon set opened; then a new glyph; then a cached one). Goal (issue 12): precision
≥ 90 %. tests/test_pictograms.py asserts it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from bench._common import bench_args, emit, median, table
from videogen.media.pictograms.match import match_pictogram
from videogen.media.pictograms.render import pictogram_image
from videogen.media.visuals import Visual

__all__ = ["LABELS", "Score", "judge", "load_labels", "score"]

LABELS: Final = Path(__file__).parent / "data" / "pictogram_labels.json"
GOAL_PRECISION: Final = 0.9
_SIZE: Final = 200  # about the size a pictogram is drawn at on a 720p slide
_EMOJI: Final = ("🌋", "🌊", "💉", "🇫🇷", "🫀", "🧑‍🚀", "🌡️", "🦕")
_ICONS: Final = ("atom", "network", "wifi", "database", "syringe", "orbit")


def load_labels(path: Path = LABELS) -> list[dict[str, Any]]:
    slides: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["slides"]
    return slides


def _key(text: str) -> str:
    return text.replace("\ufe0f", "")


def judge(row: dict[str, Any]) -> tuple[str | None, bool]:
    """What the matcher shows for the labelled `row` ("lucide:NAME" for an icon) and whether
    it is one of the accepted pictures."""
    found = match_pictogram(row["title"], row["language"])
    if found is None:
        return None, False
    shown = f"lucide:{found.what}" if found.kind == "icon" else found.what
    return shown, _key(shown) in {_key(a) for a in row["accept"]}


@dataclass(frozen=True, slots=True)
class Score:
    slides: int
    fitting: int  # slides with an acceptable picture
    shown: int
    right: int
    wrong: tuple[tuple[str, str], ...]  # (title, shown)

    @property
    def precision(self) -> float:
        return self.right / self.shown if self.shown else 1.0

    @property
    def coverage(self) -> float:
        return self.shown / self.fitting if self.fitting else 0.0


def score(rows: list[dict[str, Any]]) -> Score:
    shown = right = 0
    wrong: list[tuple[str, str]] = []
    for row in rows:
        picture, ok = judge(row)
        if picture is None:
            continue
        shown += 1
        right += ok
        if not ok:
            wrong.append((row["title"], picture))
    fitting = sum(1 for row in rows if row["accept"])
    return Score(len(rows), fitting, shown, right, tuple(wrong))


def _ms(draw: Any) -> float:
    start = time.perf_counter()
    draw()
    return (time.perf_counter() - start) * 1000


def render_times() -> dict[str, float]:
    """Milliseconds to draw an emoji and an icon: the first (font or SQLite opened), new
    glyphs after it (median), and a cached one."""
    emoji = [Visual(kind="emoji", what=e) for e in _EMOJI]
    icons = [Visual(kind="icon", what=n) for n in _ICONS]
    colour = "#ffffff"
    first_emoji = _ms(lambda: pictogram_image(emoji[0], _SIZE, colour))
    new_emoji = median(_ms(lambda v=v: pictogram_image(v, _SIZE, colour)) for v in emoji[1:])
    cached_emoji = _ms(lambda: pictogram_image(emoji[0], _SIZE, colour))
    first_icon = _ms(lambda: pictogram_image(icons[0], _SIZE, colour))
    new_icon = median(_ms(lambda v=v: pictogram_image(v, _SIZE, colour)) for v in icons[1:])
    cached_icon = _ms(lambda: pictogram_image(icons[0], _SIZE, colour))
    return {
        "emoji_first_ms": first_emoji,
        "emoji_new_ms": new_emoji,
        "emoji_cached_ms": cached_emoji,
        "icon_first_ms": first_icon,
        "icon_new_ms": new_icon,
        "icon_cached_ms": cached_icon,
    }


def decks() -> dict[str, float]:
    """The offline writer's grounded 8-slide decks on bench/grounding.py's 30 topics: how many
    content slides get a pictogram, and how long writing a deck takes with them."""
    from bench.grounding import TOPICS
    from videogen.media.knowledge.catalog import configured_sources
    from videogen.media.knowledge.retrieve import retrieve
    from videogen.media.models import GenerationRequest
    from videogen.media.writer.offline import OfflineWriter

    sources = configured_sources(())
    writer = OfflineWriter()
    content_slides = pictured = 0
    times: list[float] = []
    for topic in TOPICS:
        request = GenerationRequest(topic=topic, num_slides=8, language="english")
        grounding = retrieve(topic, "english", sources, related=6)
        start = time.perf_counter()
        deck = writer.write_content(request, grounding)
        times.append((time.perf_counter() - start) * 1000)
        for slide in deck.slides:
            if slide.layout in {"title", "sources", "summary"}:
                continue
            content_slides += 1
            pictured += any(v.kind in {"emoji", "icon"} for v in slide.visuals)
    return {
        "content_slides": content_slides,
        "pictured": pictured,
        "share": pictured / content_slides if content_slides else 0.0,
        "write_ms": median(times),
    }


def main() -> None:
    args = bench_args(__doc__ or "")
    rows = load_labels()
    start = time.perf_counter()
    parts = {
        "all": score(rows),
        "tune": score([r for r in rows if r["split"] == "tune"]),
        "held": score([r for r in rows if r["split"] == "held"]),
    }
    match_ms = (time.perf_counter() - start) * 1000 / (2 * len(rows))
    times = render_times()
    written = decks()
    results: dict[str, Any] = {
        "parts": {
            name: {
                "slides": s.slides,
                "fitting": s.fitting,
                "shown": s.shown,
                "right": s.right,
                "precision": s.precision,
                "coverage": s.coverage,
                "wrong": s.wrong,
            }
            for name, s in parts.items()
        },
        "match_ms_per_title": match_ms,
        "render": times,
        "decks": written,
        "goal_precision": GOAL_PRECISION,
        "meets": parts["all"].precision >= GOAL_PRECISION,
    }
    lines = [
        table(
            ["part", "slides", "fitting", "shown", "right", "precision", "coverage"],
            [
                [n, s.slides, s.fitting, s.shown, s.right, s.precision, s.coverage]
                for n, s in parts.items()
            ],
        ),
        "",
        *(f"wrong: {title!r} → {shown}" for title, shown in parts["all"].wrong),
        f"matching: {match_ms:.3f} ms per title (vocabulary built once, included)",
        table(
            ["draw (ms, 200 px)", "first", "new", "cached"],
            [
                [
                    "emoji (OpenMoji)",
                    times["emoji_first_ms"],
                    times["emoji_new_ms"],
                    times["emoji_cached_ms"],
                ],
                [
                    "icon (Lucide)",
                    times["icon_first_ms"],
                    times["icon_new_ms"],
                    times["icon_cached_ms"],
                ],
            ],
        ),
        f"decks (30 topics, 8 slides, grounded): {written['pictured']}/"
        f"{written['content_slides']} content slides pictured ({written['share']:.0%}); "
        f"writing a deck {written['write_ms']:.1f} ms (median)",
        f"goal: precision ≥ {GOAL_PRECISION:.0%} — " + ("met" if results["meets"] else "NOT met"),
    ]
    emit(args, results, "\n".join(lines))


if __name__ == "__main__":
    main()
