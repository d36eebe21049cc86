"""Benchmark of the offline media pipeline: whole generations and the composition step.

    python -m bench.compose [--quick] [--json]

For a 5-slide and a 20-slide deck (offline writer, "The water cycle"), in one process:

(a) the whole generation topic → MP4 through the real runtime (`run_runtime`, a fresh data
    dir and fresh worker processes per deck size): the first (cold: workers spawn) and the
    warm ones; wall, and CPU of the whole process tree (this process, the trio-parallel
    workers read from /proc, and the reaped ffmpeg children);
(b) our composition step alone, `RealMedia.encode` (concat list, encode, decode check,
    verify) on the PNG frames and narration WAV of that deck, made through the same media port
    and the same timeline functions the stages use;
(b') the same without verification: concat list + the same argv through
    `actors.processes.stream_lines` with progress parsing;
(c) the bare ffmpeg command (`subprocess.run(compose_argv(...))`) on the same inputs;
(d) the decode check alone (`run_checked(decode_check_argv(...))`), the main part of b - b'.

(b), (b'), (c), (d) and a warm (a) are interleaved in every repeat, in a rotating order, and
reported as medians. CPU of (b)-(d) is exact: `getrusage` SELF + CHILDREN deltas, the ffmpeg
processes having exited. Figures are per minute of output video. Nothing here is asserted
except that every output is a complete MP4 of the right length.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio

from bench._common import CpuMeter, bench_args, emit, median, table
from videogen.actors.adapters.media_port import RealMedia
from videogen.actors.adapters.processes import run_checked, stream_lines
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.actors.stages.speech import FINAL_PAUSE
from videogen.media import compose
from videogen.media.models import GenerationRequest
from videogen.media.speech import voice_for
from videogen.media.timeline import PAUSE_SECONDS, SpokenSlide, frame_entries, timed_script
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

TOPIC = "The water cycle"
TARGET_COMPOSE_S_PER_MIN = 1.0
TARGET_B_OVER_C = 1.15
TARGET_GEN5_WALL = 5.0


@dataclass(frozen=True, slots=True)
class Assets:
    """What the compose stage receives: frames with their seconds, and the narration."""

    entries: list[tuple[Path, float]]
    narration: Path
    total_seconds: float
    frames: int


@dataclass(frozen=True, slots=True)
class Run:
    """One measured run: wall and CPU seconds."""

    wall: float
    cpu: float


async def measured(fn: Callable[[], Awaitable[object]], *, tree: bool) -> Run:
    """Run `fn` and return its wall and CPU (process tree with `tree`, else getrusage only)."""
    meter = CpuMeter(tree=tree)
    start = meter.sample()
    await fn()
    wall, cpu = CpuMeter.delta(start, meter.sample())
    return Run(wall, cpu)


# -- (a) whole generation -----------------------------------------------------------------


async def generate(registry: Registry, request: GenerationRequest) -> tuple[Run, float]:
    """Submit, follow the events to the terminal; returns the run and the video's seconds."""
    meter = CpuMeter(tree=True)
    start = meter.sample()
    gen = await registry.submit(request, client="bench")
    last = None
    with await registry.subscribe(gen.id) as events:
        async for event in events:
            last = event
    wall, cpu = CpuMeter.delta(start, meter.sample())
    assert last is not None
    assert last.status == "completed", last
    video = registry.config.generations_dir / gen.id / f"{gen.id}.mp4"
    seconds = compose.mp4_layout(video).duration
    # Keep the data dir small: the next generations do not need this one's files.
    await registry.media.remove_tree(video.parent)
    return Run(wall, cpu), seconds


# -- assets, made as the stages make them ------------------------------------------------


def _reveals(needs_animation: bool, bullets: int) -> bool:
    # Same rule as actors.stage_slides._reveals.
    return needs_animation and bullets >= 2


async def prepare_assets(media: RealMedia, request: GenerationRequest, workdir: Path) -> Assets:
    """Content, script, speech per slide, joined narration, frames, then `frame_entries`."""
    await trio.Path(workdir).mkdir(parents=True, exist_ok=True)
    content = await media.write_content(request)
    script = await media.write_script(request, content)
    voice = voice_for(request.language, request.voice)
    entries_in = script.slide_scripts
    count = len(entries_in)
    spoken: dict[int, SpokenSlide] = {}
    frames: dict[int, tuple[Path, ...]] = {}

    async def speak(index: int) -> None:
        entry = entries_in[index]
        wav = workdir / f"narration_{index + 1:02d}.wav"
        seconds = await media.speak(
            entry.narration_text, voice=voice, rate=request.rate, out_path=wav
        )
        pause = FINAL_PAUSE if index == count - 1 else PAUSE_SECONDS
        spoken[index] = SpokenSlide(entry.slide_number, entry.narration_text, wav, seconds, pause)

    async def draw(index: int) -> None:
        slide = content.slides[index]
        images = await media.draw(
            slide,
            request=request,
            total=count,
            out_dir=workdir,
            reveal=_reveals(slide.needs_animation, len(slide.bullets)),
        )
        frames[index] = images.frames

    async with trio.open_nursery() as nursery:
        for index in range(count):
            nursery.start_soon(speak, index)
    ordered = [spoken[i] for i in range(count)]
    narration = workdir / "narration.wav"
    await media.combine([(s.wav, s.pause) for s in ordered], narration)
    total = timed_script(script, ordered).total_duration
    async with trio.open_nursery() as nursery:
        for index in range(count):
            nursery.start_soon(draw, index)
    drawn = [frames[i] for i in range(count)]
    entries = frame_entries(drawn, ordered)
    return Assets(entries, narration, total, sum(len(f) for f in drawn))


# -- (b), (b'), (c), (d) ------------------------------------------------------------------


def _noop(_fraction: float) -> None:
    pass


async def encode_ours(media: RealMedia, assets: Assets, out: Path) -> None:
    """(b) `RealMedia.encode`: concat list, ffmpeg, decode check, verify."""
    await media.encode(
        assets.entries,
        narration=assets.narration,
        total_seconds=assets.total_seconds,
        output=out,
        on_progress=_noop,
    )


async def encode_unverified(assets: Assets, out: Path) -> None:
    """(b') the same steps as `RealMedia.encode` up to the encode, without the checks."""
    concat_list = out.with_suffix(".ffconcat")
    await trio.to_thread.run_sync(compose.write_concat_list, assets.entries, concat_list)
    argv = compose.compose_argv(
        concat_list=concat_list,
        audio=assets.narration,
        total_seconds=assets.total_seconds,
        output=out,
        ffmpeg=compose.ffmpeg_exe(),
    )
    fractions: list[float] = []

    def progress(line: str) -> None:
        if (seconds := compose.parse_progress(line)) is not None:
            fractions.append(min(seconds / assets.total_seconds, 1.0))

    code, errors = await stream_lines(argv, progress)
    if code != 0:
        raise RuntimeError(f"ffmpeg exited with {code}: {errors[-300:]}")


def bare_argv(assets: Assets, out: Path) -> list[str]:
    """(c) the argv, with its concat list written beforehand (not timed)."""
    concat_list = out.with_suffix(".ffconcat")
    compose.write_concat_list(assets.entries, concat_list)
    return compose.compose_argv(
        concat_list=concat_list,
        audio=assets.narration,
        total_seconds=assets.total_seconds,
        output=out,
        ffmpeg=compose.ffmpeg_exe(),
    )


async def encode_bare(argv: list[str]) -> None:
    """(c) `subprocess.run` of the compose argv (on a thread, so the event loop stays free)."""
    done = await trio.to_thread.run_sync(
        functools.partial(
            subprocess.run, argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, check=False
        )
    )
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg exited with {done.returncode}")


async def decode_check(video: Path) -> None:
    """(d) the verification decode alone."""
    errors = await run_checked(compose.decode_check_argv(video, ffmpeg=compose.ffmpeg_exe()))
    if errors.strip():
        raise RuntimeError(errors[:300])


def _sane(video: Path, seconds: float) -> None:
    layout = compose.mp4_layout(video)
    assert layout.faststart, video
    assert abs(layout.duration - seconds) <= compose.DURATION_TOLERANCE, (layout, seconds)


# -- one deck size ------------------------------------------------------------------------


async def bench_deck(slides: int, repeats: int, root: Path) -> dict[str, Any]:
    """Cold generation, assets, then `repeats` rounds of warm generation + b, b', c, d."""
    request = GenerationRequest(topic=TOPIC, num_slides=slides)
    # cache_bytes=0: every repeat made from scratch, none from the artifact cache.
    config = RegistryConfig(
        data_dir=root / f"data{slides}", max_running=1, max_queued=4, cache_bytes=0
    )
    runs: dict[str, list[Run]] = {k: [] for k in ("gen", "b", "b1", "c", "d")}
    async with trio.open_nursery() as nursery:
        boot = time.perf_counter()
        registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
        runtime_start = time.perf_counter() - boot
        cold, video_seconds = await generate(registry, request)
        media = registry.media
        assert isinstance(media, RealMedia)
        prep = time.perf_counter()
        assets = await prepare_assets(media, request, root / f"assets{slides}")
        prep_wall = time.perf_counter() - prep
        out = root / f"out{slides}"
        out.mkdir()
        argv = bare_argv(assets, out / "c.mp4")

        async def gen_run() -> None:
            run, seconds = await generate(registry, request)
            runs["gen"].append(run)
            assert abs(seconds - video_seconds) < 0.5

        async def b_run() -> None:
            runs["b"].append(
                await measured(lambda: encode_ours(media, assets, out / "b.mp4"), tree=False)
            )
            _sane(out / "b.mp4", assets.total_seconds)

        async def b1_run() -> None:
            runs["b1"].append(
                await measured(lambda: encode_unverified(assets, out / "b1.mp4"), tree=False)
            )
            _sane(out / "b1.mp4", assets.total_seconds)

        async def c_run() -> None:
            runs["c"].append(await measured(lambda: encode_bare(argv), tree=False))
            _sane(out / "c.mp4", assets.total_seconds)

        async def d_run() -> None:
            if (out / "c.mp4").exists():
                runs["d"].append(await measured(lambda: decode_check(out / "c.mp4"), tree=False))

        steps: list[Callable[[], Awaitable[None]]] = [gen_run, b_run, b1_run, c_run, d_run]
        for rep in range(repeats):
            shift = rep % len(steps)
            for step in steps[shift:] + steps[:shift]:
                await step()
        await registry.shutdown()
        nursery.cancel_scope.cancel()
    return _summary(slides, assets, video_seconds, cold, runs, runtime_start, prep_wall)


def _summary(
    slides: int,
    assets: Assets,
    video_seconds: float,
    cold: Run,
    runs: dict[str, list[Run]],
    runtime_start: float,
    prep_wall: float,
) -> dict[str, Any]:
    minutes = assets.total_seconds / 60
    gen_minutes = video_seconds / 60

    def med(key: str, attr: str) -> float:
        return median(getattr(r, attr) for r in runs[key])

    result: dict[str, Any] = {
        "slides": slides,
        "frames": assets.frames,
        "video_seconds": round(assets.total_seconds, 3),
        "repeats": len(runs["b"]),
        "runtime_start_s": runtime_start,
        "assets_prep_wall_s": prep_wall,
        "gen_cold_wall_s": cold.wall,
        "gen_cold_cpu_s": cold.cpu,
        "gen_warm_wall_s": med("gen", "wall"),
        "gen_warm_cpu_s": med("gen", "cpu"),
        "gen_warm_wall_s_per_min": med("gen", "wall") / gen_minutes,
        "gen_warm_cpu_s_per_min": med("gen", "cpu") / gen_minutes,
        "gen_cold_wall_s_per_min": cold.wall / gen_minutes,
    }
    for key in ("b", "b1", "c", "d"):
        result[f"{key}_wall_s"] = med(key, "wall")
        result[f"{key}_cpu_s"] = med(key, "cpu")
        result[f"{key}_wall_s_per_min"] = med(key, "wall") / minutes
        result[f"{key}_cpu_s_per_min"] = med(key, "cpu") / minutes
    # Ratios of medians, and the median of the per-repeat ratios (same repeat, same load).
    for key in ("b", "b1"):
        result[f"{key}_over_c_wall"] = med(key, "wall") / med("c", "wall")
        result[f"{key}_over_c_cpu"] = med(key, "cpu") / med("c", "cpu")
        result[f"{key}_over_c_wall_paired"] = median(
            x.wall / y.wall for x, y in zip(runs[key], runs["c"], strict=True)
        )
    result["raw"] = {k: [(r.wall, r.cpu) for r in v] for k, v in runs.items()}
    return result


def report(results: list[dict[str, Any]]) -> str:
    """The compact table: one column per deck size, plus the target."""
    rows: list[tuple[str, str, str]] = [
        ("output video, s", "video_seconds", ""),
        ("frames (PNG) encoded", "frames", ""),
        ("(a) generation cold: wall s", "gen_cold_wall_s", ""),
        ("(a) generation cold: CPU s (tree)", "gen_cold_cpu_s", ""),
        ("(a) generation warm: wall s", "gen_warm_wall_s", f"≤ {TARGET_GEN5_WALL} (5 slides)"),
        ("(a) generation warm: CPU s (tree)", "gen_warm_cpu_s", ""),
        ("(a) warm wall s / min of video", "gen_warm_wall_s_per_min", ""),
        ("(a) warm CPU s / min of video", "gen_warm_cpu_s_per_min", ""),
        ("(b) RealMedia.encode wall s / min", "b_wall_s_per_min", f"≤ {TARGET_COMPOSE_S_PER_MIN}"),
        ("(b) RealMedia.encode CPU s / min", "b_cpu_s_per_min", ""),
        ("(b') encode w/o verification wall s / min", "b1_wall_s_per_min", ""),
        ("(b') encode w/o verification CPU s / min", "b1_cpu_s_per_min", ""),
        ("(c) bare ffmpeg wall s / min", "c_wall_s_per_min", ""),
        ("(c) bare ffmpeg CPU s / min", "c_cpu_s_per_min", ""),
        ("(d) decode check alone wall s / min", "d_wall_s_per_min", ""),
        ("b/c wall (ratio of medians)", "b_over_c_wall", f"≤ {TARGET_B_OVER_C}"),
        ("b/c wall (median of paired ratios)", "b_over_c_wall_paired", f"≤ {TARGET_B_OVER_C}"),
        ("b/c CPU", "b_over_c_cpu", ""),
        ("b'/c wall", "b1_over_c_wall", ""),
        ("b'/c CPU", "b1_over_c_cpu", ""),
    ]
    headers = ["metric", *[f"{r['slides']} slides" for r in results], "target"]
    body = [[label, *[r[key] for r in results], target] for label, key, target in rows]
    extra = ", ".join(
        f"{r['slides']} slides: {r['repeats']} repeats, runtime start {r['runtime_start_s']:.2f} s"
        for r in results
    )
    return table(headers, body) + f"\n({extra}; medians; CPU = process tree)"


async def main_async(quick: bool) -> list[dict[str, Any]]:
    plan = [(5, 1), (20, 1)] if quick else [(5, 7), (20, 4)]
    with tempfile.TemporaryDirectory(prefix="bench-compose-") as tmp:
        return [await bench_deck(slides, repeats, Path(tmp)) for slides, repeats in plan]


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    load_start = os.getloadavg()
    results = trio.run(main_async, args.quick)
    load = (load_start, os.getloadavg())
    text = report(results) + f"\n(1-min load average {load[0][0]:.1f} → {load[1][0]:.1f})"
    payload = {"bench": "compose", "quick": args.quick, "decks": results, "loadavg": load}
    emit(args, payload, text)


if __name__ == "__main__":
    main()
