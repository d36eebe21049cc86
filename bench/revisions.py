"""Benchmark: incremental rendering through the real runtime (speech, drawing, ffmpeg, SQLite).

    python -m bench.revisions [--quick] [--json]

One 20-slide deck ("The water cycle", the offline writer's, submitted as user slides so one
narration can be edited). Two runtimes side by side in one process, each on its own data dir:
`--cache-size 0` (no cache: today's single-call render) and the default cache. Every repeat, in
a rotating order for the two full renders, medians of:

(B) a full generation without the cache: one ffmpeg call (the baseline);
(F) a full generation with an empty cache (emptied before it): one ffmpeg call that leaves the
    per-slide segments behind, everything put into the cache;
(I) the identical request again: how much is reused (target ≥ 95 % of the artifacts);
(E) one slide's narration edited: its speech and segment redone, then the join (wall ≤ 15 % of F);
(T) a new theme: every slide redrawn, no speech redone (counted from the cache: `reuse`).

Checked on the files: unchanged slides' decoded frames bit-identical between F and E (the MD5 of
every decoded picture in each slide's span), and every slide change within 40 ms of the measured
script in every video (decoded frame timestamps against `script_data`).
"""

from __future__ import annotations

import contextlib
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio

from bench._common import bench_args, emit, median, table
from videogen.actors.adapters.processes import run_checked
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media import compose, segments
from videogen.media.models import GenerationRequest
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from videogen.actors.adapters.artifact_cache import ArtifactCache

TOPIC = "The water cycle"
SLIDES = 20
EDITED = 7  # the slide (index) whose narration the edit changes
# The bounds.
TARGET_EDIT_SHARE = 0.15
TARGET_REUSED = 0.95
TARGET_F_OVER_B = 1.10
TARGET_SYNC_MS = segments.BOUNDARY_TOLERANCE * 1000


@contextlib.asynccontextmanager
async def runtime(data_dir: Path, cache_bytes: int) -> AsyncIterator[Registry]:
    config = RegistryConfig(data_dir=data_dir, max_running=1, max_queued=8, cache_bytes=cache_bytes)
    async with trio.open_nursery() as nursery:
        registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
        try:
            yield registry
        finally:
            await registry.shutdown()


async def generate(registry: Registry, req: GenerationRequest) -> tuple[str, float, dict[str, Any]]:
    """One generation to completion: its id, wall seconds, completed event's JSON."""
    started = time.perf_counter()
    gen = await registry.submit(req)
    await gen.finished.wait()
    wall = time.perf_counter() - started
    last = gen.broadcast.log[-1]
    if last.status != "completed":
        raise RuntimeError(f"{last.status}: {(await registry.record(gen.id)).error}")
    return gen.id, wall, last.to_json()


def user_deck(content: dict[str, Any], script: dict[str, Any], **fields: Any) -> dict[str, Any]:
    slides = [
        {"title": s["title"], "content_text": s["content_text"], "narration": n["narration_text"]}
        for s, n in zip(content["slides"], script["slide_scripts"], strict=True)
    ]
    return {"topic": TOPIC, "slides": slides, **fields}


async def empty(cache: ArtifactCache) -> None:
    """Evict everything (nothing is leased between renders)."""
    bound = cache.max_bytes
    cache.max_bytes = 0
    await cache.release(cache.lease())
    cache.max_bytes = bound


async def decoded(registry: Registry, gid: str) -> tuple[list[tuple[float, str]], list[float]]:
    """(pts, picture MD5) of every decoded frame, and the measured slide starts."""
    record = await registry.record(gid)
    assert record.script is not None
    video = registry.config.generations_dir / gid / f"{gid}.mp4"
    ffmpeg = compose.ffmpeg_exe()
    text = await run_stdout(segments.frame_times_argv(video, ffmpeg=ffmpeg))
    starts = [s["start_time"] for s in record.script["slide_scripts"]]
    return segments.parse_frame_times(text), starts


async def run_stdout(argv: list[str]) -> str:
    done = await trio.run_process(argv, capture_stdout=True, capture_stderr=True)
    return done.stdout.decode()


def per_slide(frames: list[tuple[float, str]], starts: list[float]) -> list[list[str]]:
    """Each slide's decoded pictures (their MD5s, in order), by the script's slide spans."""
    bounds = [*starts[1:], float("inf")]
    slides: list[list[str]] = [[] for _ in starts]
    for t, h in frames:
        # Half a grid step of slack: a slide change may land that far from its script time.
        n = next(i for i, end in enumerate(bounds) if t < end - 0.5 / segments.FRAME_GRID)
        slides[n].append(h)
    return slides


async def sync_ms(registry: Registry, gid: str) -> float:
    frames, starts = await decoded(registry, gid)
    return max(segments.boundary_errors(frames, starts[1:])) * 1000


async def verify(registry: Registry, gid: str) -> None:
    record = await registry.record(gid)
    assert record.script is not None
    video = registry.config.generations_dir / gid / f"{gid}.mp4"
    errors = await run_checked(compose.decode_check_argv(video, ffmpeg=compose.ffmpeg_exe()))
    compose.verify_video(
        video, expected_seconds=record.script["total_duration"], decode_errors=errors
    )


def artifacts_reused(reuse: dict[str, int]) -> float:
    made = 3 * reuse["slides_total"]
    return (reuse["speech_reused"] + reuse["frames_reused"] + reuse["segments_reused"]) / made


async def main_async(repeats: int) -> dict[str, Any]:
    runs: dict[str, list[float]] = {k: [] for k in "BFIET"}
    reuse: dict[str, list[dict[str, int]]] = {k: [] for k in "FIET"}
    identical_frames: list[bool] = []
    sync: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-revisions-") as tmp:
        root = Path(tmp)
        async with runtime(root / "nocache", 0) as plain, runtime(root / "cached", 1 << 31) as inc:
            cache = inc.cache
            assert cache is not None
            # The deck, and both runtimes' workers warmed (untimed).
            gid, _, _ = await generate(plain, GenerationRequest(topic=TOPIC, num_slides=SLIDES))
            record = await plain.record(gid)
            assert record.content is not None
            assert record.script is not None
            base = user_deck(record.content, record.script)
            full = GenerationRequest.model_validate(base)
            slides = [dict(s) for s in base["slides"]]
            await generate(inc, full)
            full_ids: list[str] = []
            for rep in range(repeats):
                edit = [dict(s) for s in slides]
                edit[EDITED]["narration"] += f" This sentence was added in revision {rep + 1}."
                edited = GenerationRequest.model_validate({**base, "slides": edit})
                themed = GenerationRequest.model_validate(
                    {**base, "theme": ("midnight", "ocean", "sunset")[rep % 3]}
                )

                async def b() -> None:
                    gid, wall, _ = await generate(plain, full)
                    runs["B"].append(wall)
                    sync["B"] = max(sync.get("B", 0.0), await sync_ms(plain, gid))

                async def f() -> None:
                    await empty(cache)
                    gid, wall, done = await generate(inc, full)
                    runs["F"].append(wall)
                    reuse["F"].append(done["reuse"])
                    sync["F"] = max(sync.get("F", 0.0), await sync_ms(inc, gid))
                    full_ids.append(gid)

                for step in (b, f) if rep % 2 == 0 else (f, b):
                    await step()
                gid, wall, done = await generate(inc, full)
                runs["I"].append(wall)
                reuse["I"].append(done["reuse"])
                sync["I"] = max(sync.get("I", 0.0), await sync_ms(inc, gid))
                gid, wall, done = await generate(inc, edited)
                runs["E"].append(wall)
                reuse["E"].append(done["reuse"])
                sync["E"] = max(sync.get("E", 0.0), await sync_ms(inc, gid))
                await verify(inc, gid)
                before = per_slide(*(await decoded(inc, full_ids[-1])))
                after = per_slide(*(await decoded(inc, gid)))
                identical_frames.append(
                    all(before[n] == after[n] for n in range(SLIDES) if n != EDITED)
                )
                gid, wall, done = await generate(inc, themed)
                runs["T"].append(wall)
                reuse["T"].append(done["reuse"])
                sync["T"] = max(sync.get("T", 0.0), await sync_ms(inc, gid))
            video_seconds = float(record.script["total_duration"])
    med = {k: median(v) for k, v in runs.items()}
    return {
        "slides": SLIDES,
        "video_seconds": round(video_seconds, 2),
        "repeats": repeats,
        "median_wall_s": med,
        "f_over_b": med["F"] / med["B"],
        "f_over_b_paired": statistics.median(
            x / y for x, y in zip(runs["F"], runs["B"], strict=True)
        ),
        "edit_share": med["E"] / med["F"],
        "identical_reused": min(artifacts_reused(r) for r in reuse["I"]),
        "identical_slides_reused": min(r["slides_reused"] for r in reuse["I"]),
        "edit_slides_reused": min(r["slides_reused"] for r in reuse["E"]),
        "theme_frames_reused": max(r["frames_reused"] for r in reuse["T"]),
        "theme_speech_reused": min(r["speech_reused"] for r in reuse["T"]),
        "full_reused": max(r["slides_reused"] for r in reuse["F"]),
        "unchanged_frames_identical": all(identical_frames),
        "sync_worst_ms": sync,
        "raw": runs,
    }


def report(r: dict[str, Any]) -> str:
    m = r["median_wall_s"]
    n = r["slides"]
    rows: list[list[object]] = [
        ["(B) full, no cache: today's single call", m["B"], "1.00", r["sync_worst_ms"]["B"], ""],
        [
            f"(F) full, empty cache: one encode leaving segments ({r['full_reused']} reused)",
            m["F"],
            r["f_over_b"],
            r["sync_worst_ms"]["F"],
            f"F/B ≤ {TARGET_F_OVER_B}",
        ],
        [
            f"(I) identical again: {r['identical_reused']:.0%} of artifacts,"
            f" {r['identical_slides_reused']}/{n} slides reused",
            m["I"],
            m["I"] / m["B"],
            r["sync_worst_ms"]["I"],
            f"≥ {TARGET_REUSED:.0%}",
        ],
        [
            f"(E) one narration edited: {r['edit_slides_reused']}/{n} slides reused",
            m["E"],
            m["E"] / m["B"],
            r["sync_worst_ms"]["E"],
            f"E/F ≤ {TARGET_EDIT_SHARE} (is {r['edit_share']:.2f})",
        ],
        [
            f"(T) new theme: frames reused {r['theme_frames_reused']}, speech reused"
            f" {r['theme_speech_reused']}/{n}",
            m["T"],
            m["T"] / m["B"],
            r["sync_worst_ms"]["T"],
            f"frames 0, speech {n}",
        ],
    ]
    text = table(["render", "wall s (median)", "÷ B", "worst sync ms", "target"], rows)
    return (
        text + f"\n(paired F/B {r['f_over_b_paired']:.2f}; unchanged slides' decoded frames"
        f" identical between F and E: {r['unchanged_frames_identical']}; {n} slides,"
        f" {r['video_seconds']} s of video, {r['repeats']} repeats; sync bound"
        f" {TARGET_SYNC_MS:.0f} ms)"
    )


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    load_start = os.getloadavg()
    result = trio.run(main_async, 2 if args.quick else 5)
    load = (load_start, os.getloadavg())
    text = report(result) + f"\n(1-min load average {load[0][0]:.1f} → {load[1][0]:.1f})"
    emit(args, {"bench": "revisions", "quick": args.quick, **result, "loadavg": load}, text)


if __name__ == "__main__":
    main()
