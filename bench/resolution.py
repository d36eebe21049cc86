"""Benchmark of a whole generation at each resolution: seconds per minute of video.

    python -m bench.resolution [--quick] [--json]

A 5-slide "The water cycle" (offline writer) topic → MP4 through the real runtime at 720p,
1080p and 2160p (16:9), one fresh runtime (data dir, worker processes) for all; a cold run
first, then the warm repeats, interleaved across resolutions. Reported: the warm median wall and
CPU (process tree) per minute of output video, against the issue's targets (≤ 2 s per minute at
720p, ≤ 3 s at 1080p). Nothing is asserted except that every output is a complete MP4.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import trio

from bench._common import bench_args, emit, median, table
from bench.compose import Run, generate
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media.models import RESOLUTIONS, GenerationRequest
from videogen.media.writer import OfflineWriter

TOPIC = "The water cycle"
SLIDES = 5
TARGETS = {"720p": 2.0, "1080p": 3.0}


async def bench(repeats: int, data_dir: Path) -> dict[str, Any]:
    # cache_bytes=0: every repeat made from scratch, none from the artifact cache.
    config = RegistryConfig(data_dir=data_dir, max_running=1, max_queued=10, cache_bytes=0)
    runs: dict[str, list[tuple[Run, float]]] = {r: [] for r in RESOLUTIONS}
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
        try:
            # Cold: the worker processes spawn and the fonts load; not reported.
            await generate(registry, GenerationRequest(topic=TOPIC, num_slides=SLIDES))
            for _ in range(repeats):
                for resolution in RESOLUTIONS:
                    req = GenerationRequest(
                        topic=TOPIC,
                        num_slides=SLIDES,
                        resolution=resolution,  # type: ignore[arg-type]
                    )
                    runs[resolution].append(await generate(registry, req))
        finally:
            await registry.shutdown()
    out: dict[str, Any] = {}
    for resolution, measured in runs.items():
        minutes = median(seconds for _, seconds in measured) / 60
        out[resolution] = {
            "video_s": round(minutes * 60, 2),
            "wall_s": round(median(r.wall for r, _ in measured), 3),
            "cpu_s": round(median(r.cpu for r, _ in measured), 3),
            "wall_s_per_min": round(median(r.wall for r, _ in measured) / minutes, 3),
            "cpu_s_per_min": round(median(r.cpu for r, _ in measured) / minutes, 3),
            "target_s_per_min": TARGETS.get(resolution),
        }
    return out


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    load_start = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-resolution-") as tmp:
        results = trio.run(bench, 1 if args.quick else 3, Path(tmp))
    load = (load_start[0], os.getloadavg()[0])
    rows = [
        [r, v["video_s"], v["wall_s"], v["cpu_s"], v["wall_s_per_min"], v["cpu_s_per_min"],
         v["target_s_per_min"] or "-"]
        for r, v in results.items()
    ]  # fmt: skip
    headers = ["resolution", "video s", "wall s", "cpu s", "wall s/min", "cpu s/min", "target"]
    text = (
        table(headers, rows) + f"\n(warm medians; 1-min load average {load[0]:.1f} → {load[1]:.1f})"
    )
    emit(args, {"bench": "resolution", "slides": SLIDES, "results": results, "loadavg": load}, text)


if __name__ == "__main__":
    main()
