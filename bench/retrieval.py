"""Benchmark of knowledge retrieval: the shipped encyclopedia and a ZIM of the same summaries.

    python -m bench.retrieval [--quick] [--json]

(a) the cold start: building the English index of the shipped summaries (JSON, title index,
    FTS5), in a fresh process, and the first retrieval that triggers it;
(b) `retrieve(topic, "english", [encyclopedia], related=4)` for 30 common topics, warm: the
    median and worst over the repeats, and which topics found a main article;
(c) the same against a ZIM file of all 10,033 English summaries with a full-text index, built
    with libzim's Creator (about 5 s) and cached under the temp dir; opening it, and the warm
    retrievals.
Nothing is asserted; the targets (100 ms for a shipped-summary topic) are printed beside.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from bench._common import bench_args, emit, median, table
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.knowledge.sources.encyclopedia import FILES, Encyclopedia, _data_folder
from videogen.media.knowledge.sources.zim import ZimSource

TOPICS: Final = (
    "The water cycle",
    "Volcanoes",
    "Photosynthesis",
    "Black holes",
    "Climate change",
    "The French Revolution",
    "World War II",
    "Ancient Egypt",
    "DNA",
    "The Moon",
    "Artificial intelligence",
    "Earthquakes",
    "The solar system",
    "Plate tectonics",
    "Evolution",
    "The human heart",
    "Electricity",
    "The Roman Empire",
    "Gravity",
    "Vaccines",
    "The Internet",
    "Rainforests",
    "Dinosaurs",
    "The Renaissance",
    "Albert Einstein",
    "Bees",
    "The printing press",
    "Glaciers",
    "Democracy",
    "Antibiotics",
)
RELATED: Final = 4
TARGET_MS: Final = 100.0
TARGET_ZIM_MS: Final = 300.0
ZIM_CACHE: Final = Path(tempfile.gettempdir()) / "videogen-bench" / "summaries_en.zim"

_COLD = """
import json, time
t0 = time.perf_counter()
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.knowledge.sources.encyclopedia import Encyclopedia
t1 = time.perf_counter()
source = Encyclopedia.shipped()
g = retrieve("The water cycle", "english", [source], related=4)
t2 = time.perf_counter()
print(json.dumps({"import_ms": (t1 - t0) * 1000, "first_ms": (t2 - t1) * 1000,
                  "build_ms": source.build_ms("english"), "grounded": g.grounded}))
"""


def cold_start() -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = subprocess.run(
        [sys.executable, "-c", _COLD], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def build_zim(path: Path) -> float:
    """Write every English summary to `path` (skipped when cached); seconds taken, 0 if cached."""
    if path.is_file():
        return 0.0
    # libzim is an optional extra: only this part of the bench needs it.
    from libzim.writer import Creator, Hint, Item, StringProvider

    class Page(Item):  # type: ignore[misc]
        def __init__(self, title: str, extract: str) -> None:
            super().__init__()
            self.title, self.extract = title, extract

        def get_path(self) -> str:
            return self.title.replace(" ", "_")

        def get_title(self) -> str:
            return self.title

        def get_mimetype(self) -> str:
            return "text/html"

        def get_contentprovider(self) -> StringProvider:
            name = html.escape(self.title)
            body = f"<h1>{name}</h1><p>{html.escape(self.extract)}</p>"
            return StringProvider(f"<html><head><title>{name}</title></head><body>{body}</body>")

        def get_hints(self) -> dict[Hint, int]:
            return {Hint.FRONT_ARTICLE: True}

    folder = _data_folder()
    assert folder is not None, "the offline encyclopedia data is not installed"
    raw = json.loads((folder / FILES["english"]).read_text(encoding="utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    creator = Creator(partial).config_indexing(True, "eng")
    with creator as zim:
        for key, value in (
            ("Language", "eng"),
            ("Title", "Vital articles"),
            ("License", "CC BY-SA 4.0"),
        ):
            zim.add_metadata(key, value)
        for value in raw.values():
            zim.add_item(Page(value["title"], value["extract"]))
    partial.rename(path)
    return time.perf_counter() - started


def warm(source: Any, repeats: int) -> tuple[dict[str, float], dict[str, str | None]]:
    """Median ms per topic over `repeats`, and each topic's main article (None: not found)."""
    retrieve("Volcano", "english", [source], related=RELATED)  # warm-up
    times: dict[str, list[float]] = {topic: [] for topic in TOPICS}
    mains: dict[str, str | None] = {}
    for _ in range(repeats):
        for topic in TOPICS:
            grounding = retrieve(topic, "english", [source], related=RELATED)
            times[topic].append(grounding.passages_ms)
            mains[topic] = grounding.found[0].document.title if grounding.grounded else None
    return {topic: median(values) for topic, values in times.items()}, mains


def main() -> None:
    args = bench_args(__doc__ or "")
    repeats = 3 if args.quick else 10
    cold = cold_start()
    shipped = Encyclopedia.shipped()
    assert shipped is not None, "the offline encyclopedia data is not installed"
    enc_ms, enc_mains = warm(shipped, repeats)

    zim_build_s = build_zim(ZIM_CACHE)
    started = time.perf_counter()
    zim = ZimSource.open(ZIM_CACHE)
    zim_open_ms = (time.perf_counter() - started) * 1000
    zim_ms, zim_mains = warm(zim, repeats)

    zim_bytes = ZIM_CACHE.stat().st_size
    results: dict[str, Any] = {
        "cold": cold,
        "encyclopedia_median_ms": median(enc_ms.values()),
        "encyclopedia_worst_ms": max(enc_ms.values()),
        "zim_build_s": zim_build_s,
        "zim_bytes": zim_bytes,
        "zim_open_ms": zim_open_ms,
        "zim_median_ms": median(zim_ms.values()),
        "zim_worst_ms": max(zim_ms.values()),
        "found": sum(m is not None for m in enc_mains.values()),
        "topics": {t: {"encyclopedia": enc_mains[t], "zim": zim_mains[t]} for t in TOPICS},
    }
    rows = [
        [topic, enc_mains[topic] or "-", enc_ms[topic], zim_mains[topic] or "-", zim_ms[topic]]
        for topic in TOPICS
    ]
    built = f"built in {zim_build_s:.1f} s" if zim_build_s else "cached"
    text = "\n".join(
        [
            f"cold: import {cold['import_ms']:.0f} ms, English index {cold['build_ms']:.0f} ms, "
            f"first retrieval (with the build) {cold['first_ms']:.0f} ms",
            f"encyclopedia, warm: median {results['encyclopedia_median_ms']:.1f} ms, worst "
            f"{results['encyclopedia_worst_ms']:.1f} ms (target {TARGET_MS:.0f} ms); "
            f"{results['found']}/{len(TOPICS)} topics found a main article",
            f"ZIM of {len(list(shipped.titles('english')))} summaries "
            f"({zim_bytes / 1e6:.1f} MB, {built}): open {zim_open_ms:.0f} ms, "
            f"warm median {results['zim_median_ms']:.1f} ms, worst "
            f"{results['zim_worst_ms']:.1f} ms (target {TARGET_ZIM_MS:.0f} ms for 1 GB)",
            "",
            table(["topic", "main (encyclopedia)", "ms", "main (ZIM)", "ms"], rows),
        ]
    )
    emit(args, results, text)


if __name__ == "__main__":
    main()
