"""Benchmark of drawing's share of a generation: layouts and pictures against text-only slides.

    python -m bench.drawing [--quick] [--json]

An 8-slide "The water cycle" (offline writer, grounded in the shipped encyclopedia) → MP4
through the real runtime, at 720p and 1080p (16:9), in two variants run side by side in one
runtime, interleaved: `visual` (today's decks: layouts chosen from the content, diagrams,
pictograms, pictures) and `text` (the same deck with every content slide forced back to a title
and bullets, no visuals: the slides before issue 12). For each generation:

* wall and CPU (process tree) per minute of video;
* the drawing span: from the first slide's draw call to the last one's end, as a share of the
  generation's wall time (draws queue for the same worker processes as speech, so this is an
  upper bound on the time drawing holds the generation up);
* the drawing work: the same deck's slides drawn here in this process, one after the other,
  exactly as the slides stage asks the workers to (every reveal frame, PNGs written), its CPU
  time (the drawing thread's own), as a share of the generation's wall and of the generation's
  CPU time (the process tree's: the honest share on shared cores).

Both variants speak the same narration (the text variant's script is written from the visual
deck), so the videos have the same length and only the drawing differs.

The issue's targets: drawing ≤ 25 % of generation time; a whole generation ≤ 2 s per minute
of video at 720p and ≤ 3 s at 1080p. Nothing is asserted except that every output is complete.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio

from bench._common import bench_args, emit, median, table
from bench.compose import generate
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.actors.stages.slides import _reveals
from videogen.media.knowledge.model import NO_GROUNDING, Grounding
from videogen.media.models import GenerationRequest
from videogen.media.slides import render_slide_images
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from videogen.media.models import Content, Script

TOPIC = "The water cycle"
SLIDES = 8
RESOLUTIONS = ("720p", "1080p")
TARGET_SHARE = 0.25
TARGETS = {"720p": 2.0, "1080p": 3.0}
# Framing slides keep their own layout in both variants: only content slides lose theirs.
_FRAMING = frozenset({"title", "summary", "sources"})


class TextOnlyWriter(OfflineWriter):
    """The offline writer with every content slide drawn as a title and bullets, no visuals."""

    name = "offline-text-only"

    def write_content(
        self, request: GenerationRequest, grounding: Grounding = NO_GROUNDING
    ) -> Content:
        content = super().write_content(request, grounding)
        slides = tuple(
            s if s.layout in _FRAMING else s.model_copy(update={"layout": "bullets", "visuals": ()})
            for s in content.slides
        )
        return content.model_copy(update={"slides": slides})


class SwitchWriter(OfflineWriter):
    """Writes as `visual` or `text` according to `mode`, set by the bench between runs."""

    def __init__(self) -> None:
        self.mode = "visual"
        self._text = TextOnlyWriter()

    def write_content(
        self, request: GenerationRequest, grounding: Grounding = NO_GROUNDING
    ) -> Content:
        if self.mode == "text":
            return self._text.write_content(request, grounding)
        return super().write_content(request, grounding)

    def write_script(
        self, request: GenerationRequest, content: Content, grounding: Grounding = NO_GROUNDING
    ) -> Script:
        # The narration planned for the visual deck, in both modes: a content slide whose
        # layout changed would otherwise be narrated from its body, and the videos would differ.
        planned = super().write_content(request, grounding)
        return super().write_script(request, planned, grounding)


@dataclass
class DrawClock:
    """Times the draw calls of one generation: when the first started and the last ended."""

    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)

    def reset(self) -> None:
        self.starts.clear()
        self.ends.clear()


def _draw_work(
    writer: OfflineWriter, request: GenerationRequest, grounding: Grounding, out_dir: Path
) -> float:
    """CPU seconds to draw the deck `writer` writes for `request`, in this thread, as the stage
    does (reveal frames for two or more bullets with `needs_animation`)."""
    content = writer.write_content(request, grounding)
    # This thread's CPU time: on loaded cores wall time would count other processes' turns.
    start = time.thread_time()
    for slide in content.slides:
        render_slide_images(
            slide,
            topic=request.topic,
            total=len(content.slides),
            language=request.language,
            theme=request.style,
            size=request.size,
            out_dir=out_dir,
            reveal=_reveals(slide),
        )
    return time.thread_time() - start


def _timed_draw(registry: Registry, clock: DrawClock) -> None:
    media = registry.media
    draw = media.draw

    async def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await draw(*args, **kwargs)
        finally:
            end = time.perf_counter()
            clock.starts.append(start)
            clock.ends.append(end)

    media.draw = timed  # type: ignore[method-assign]


async def bench(repeats: int, data_dir: Path) -> dict[str, Any]:
    # cache_bytes=0: every repeat made from scratch, none from the artifact cache.
    config = RegistryConfig(data_dir=data_dir, max_running=1, max_queued=10, cache_bytes=0)
    writer = SwitchWriter()
    clock = DrawClock()
    rows: dict[tuple[str, str], list[dict[str, float]]] = {}
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_runtime, config, writer)
        _timed_draw(registry, clock)
        try:
            # Cold: worker processes spawn, fonts and the encyclopedia load; not reported.
            await generate(registry, GenerationRequest(topic=TOPIC, num_slides=SLIDES))
            for _ in range(repeats):
                for resolution in RESOLUTIONS:
                    for mode in ("visual", "text"):
                        writer.mode = mode
                        clock.reset()
                        request = GenerationRequest(
                            topic=TOPIC,
                            num_slides=SLIDES,
                            resolution=resolution,  # type: ignore[arg-type]
                        )
                        run, seconds = await generate(registry, request)
                        span = max(clock.ends) - min(clock.starts)
                        work = await trio.to_thread.run_sync(
                            _draw_work,
                            writer._text if mode == "text" else writer,
                            request,
                            await registry.media.ground(request),
                            data_dir / "frames",
                        )
                        rows.setdefault((resolution, mode), []).append(
                            {
                                "video_s": seconds,
                                "wall": run.wall,
                                "cpu": run.cpu,
                                "span": span,
                                "work": work,
                            }
                        )
        finally:
            await registry.shutdown()
    out: dict[str, Any] = {}
    for (resolution, mode), runs in rows.items():
        minutes = median(r["video_s"] for r in runs) / 60
        wall = median(r["wall"] for r in runs)
        out[f"{resolution} {mode}"] = {
            "video_s": round(minutes * 60, 1),
            "wall_s": round(wall, 3),
            "wall_s_per_min": round(wall / minutes, 3),
            "cpu_s_per_min": round(median(r["cpu"] for r in runs) / minutes, 3),
            "draw_span_share": round(median(r["span"] / r["wall"] for r in runs), 3),
            "draw_work_s": round(median(r["work"] for r in runs), 3),
            "draw_work_wall_share": round(median(r["work"] / r["wall"] for r in runs), 3),
            "draw_work_cpu_share": round(median(r["work"] / r["cpu"] for r in runs), 3),
            "target_s_per_min": TARGETS[resolution],
        }
    for resolution in RESOLUTIONS:
        visual, text = out[f"{resolution} visual"], out[f"{resolution} text"]
        visual["wall_ratio_vs_text"] = round(visual["wall_s"] / text["wall_s"], 3)
    return out


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-drawing-") as tmp:
        results = trio.run(bench, 1 if args.quick else 3, Path(tmp))
    load = (load_start[0], os.getloadavg()[0])
    rows = [
        [k, v["video_s"], v["wall_s"], v["wall_s_per_min"], v["cpu_s_per_min"],
         f"{v['draw_span_share']:.0%}", v["draw_work_s"], f"{v['draw_work_wall_share']:.0%}",
         f"{v['draw_work_cpu_share']:.0%}",
         v.get("wall_ratio_vs_text", "-"), v["target_s_per_min"]]
        for k, v in results.items()
    ]  # fmt: skip
    headers = [
        "run", "video s", "wall s", "wall s/min", "cpu s/min", "draw span", "draw work s",
        "÷ wall", "÷ cpu",
        "÷ text", "target s/min",
    ]  # fmt: skip
    text = (
        table(headers, rows)
        + f"\n(warm medians; drawing target ≤ {TARGET_SHARE:.0%} of the wall;"
        + f" 1-min load average {load[0]:.1f} → {load[1]:.1f})"
    )
    emit(args, {"bench": "drawing", "slides": SLIDES, "results": results, "loadavg": load}, text)


if __name__ == "__main__":
    main()
