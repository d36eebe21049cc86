"""Benchmark of the exports: PPTX, PDF (with and without handout pages) and the ZIP's plan.

    python -m bench.exports [--quick] [--json]

Decks of 5 and 20 slides on "The water cycle" are written by the offline writer from the real
retrieval (so they carry its layouts: process, timeline, chart… as a generation's would) and
exported at 720p and 1080p, 16:9: the median wall time of each export over the repeats, and
the file's size. The ZIP row is `plan_bundle` over a 20 MB stand-in video plus the deck's
files (the CRCs, read once per file; a second plan is served from the CRC cache).

Exports are made on the first request and cached (`/api/export/`), or once after the
generation with `videogen generate --export`: they never lengthen a generation that does not
ask for them. The issue's budget (≤ 10 % of a generation's wall time) is the comparison to
make for `--export`: the summary puts each 720p deck's PPTX + PDF time beside
`bench.compose`'s measure of a generation, about 1–2 s per minute of video (so a 5-slide,
~1-minute deck takes ~60–120 s of wall time to generate on these shared cores).
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from bench._common import bench_args, emit, median, table
from videogen.media.exports import plan_bundle, write_pdf, write_pptx
from videogen.media.knowledge.catalog import configured_sources
from videogen.media.knowledge.retrieve import retrieve
from videogen.media.models import Content, GenerationRequest, Script
from videogen.media.writer.offline import OfflineWriter

TOPIC: Final = "The water cycle"
DECKS: Final = (5, 20)
RESOLUTIONS: Final = ("720p", "1080p")
VIDEO_BYTES: Final = 20 * 1024 * 1024


def _deck(slides: int, resolution: str) -> tuple[Content, Script, GenerationRequest]:
    request = GenerationRequest.model_validate(
        {"topic": TOPIC, "num_slides": slides, "resolution": resolution}
    )
    grounding = retrieve(TOPIC, "english", configured_sources(()), related=slides - 2)
    writer = OfflineWriter()
    content = writer.write_content(request, grounding)
    return content, writer.write_script(request, content, grounding), request


def _timed(repeats: int, job: Any) -> tuple[float, Path]:
    times, path = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        path = job()
        times.append(time.perf_counter() - start)
    assert path is not None
    return median(times), path


def main() -> None:
    args = bench_args(__doc__ or "")
    repeats = 1 if args.quick else 3
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        warm = _deck(5, "720p")
        write_pptx(*warm, out / "warm.pptx")  # fonts and caches warm for every measured one
        video = out / "video.mp4"
        video.write_bytes(os.urandom(VIDEO_BYTES))
        for slides in DECKS:
            for resolution in RESOLUTIONS:
                content, script, request = _deck(slides, resolution)
                layouts = sorted({s.layout for s in content.slides})
                base = out / f"{slides}-{resolution}"
                jobs = {
                    "pptx": functools.partial(
                        write_pptx, content, script, request, base.with_suffix(".pptx")
                    ),
                    "pdf": functools.partial(
                        write_pdf, content, script, request, base.with_suffix(".pdf")
                    ),
                    "pdf+handout": functools.partial(
                        write_pdf,
                        content,
                        script,
                        request,
                        base.with_suffix(".h.pdf"),
                        handout=True,
                    ),
                }
                row: dict[str, Any] = {
                    "slides": slides,
                    "resolution": resolution,
                    "layouts": layouts,
                }
                for name, job in jobs.items():
                    seconds, path = _timed(repeats, job)
                    row[f"{name}_s"] = seconds
                    row[f"{name}_kb"] = path.stat().st_size / 1024
                members = [
                    ("video.mp4", video),
                    ("deck.pptx", base.with_suffix(".pptx")),
                    ("deck.pdf", base.with_suffix(".pdf")),
                ]
                start = time.perf_counter()
                bundle = plan_bundle(members)
                row["zip_plan_s"] = time.perf_counter() - start
                start = time.perf_counter()
                plan_bundle(members)
                row["zip_replan_s"] = time.perf_counter() - start
                row["zip_mb"] = bundle.size / 1024 / 1024
                rows.append(row)
    text = table(
        [
            "slides",
            "res",
            "PPTX s",
            "PPTX KB",
            "PDF s",
            "PDF KB",
            "handout s",
            "ZIP plan s",
            "replan s",
        ],
        [
            [
                r["slides"],
                r["resolution"],
                r["pptx_s"],
                r["pptx_kb"],
                r["pdf_s"],
                r["pdf_kb"],
                r["pdf+handout_s"],
                r["zip_plan_s"],
                r["zip_replan_s"],
            ]
            for r in rows
        ],
    )
    both = {r["slides"]: r["pptx_s"] + r["pdf_s"] for r in rows if r["resolution"] == "720p"}
    summary = "\n".join(
        f"{n} slides at 720p: PPTX + PDF in {s:.2f} s, drawn once on the first request "
        "(cached beside the video) or once after the generation with --export"
        for n, s in both.items()
    )
    emit(args, {"rows": rows, "pptx_plus_pdf_720p_s": both}, f"{text}\n\n{summary}")


if __name__ == "__main__":
    main()
