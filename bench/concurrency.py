"""Benchmark of the actor tree: throughput, fan-out latency, cancellation latency, memory.

    python -m bench.concurrency [--quick] [--json]

(i)   16 generations (3 slides, real media) submitted at once to a registry with
      max_running=2: makespan against 16 × one warm generation's wall ÷ 2 cores (and against
      16 × its CPU ÷ 2, the bound if nothing but CPU limited it).
(ii)  fan-out latency with 1,000 subscribers, p50/p99:
      - `actors.broadcast.Broadcast` alone: N events published at a fixed interval, each
        subscriber task records `trio.current_time()` on receipt minus the publish time;
        baseline side by side: the same fan-out over bare `trio` memory channels (one bounded
        channel per subscriber, `send_nowait`), which is the least a fan-out can cost;
      - a real generation (5 slides, real media) followed through `registry.subscribe`: the
        generation's `Broadcast` is swapped (before its first live event) for a subclass that
        records when `publish` was called; also the latency from the event's creation
        (`ProgressEvent.at`, before it is persisted) to receipt.
(iii) cancellation latency: real generations cancelled right after a random event; the time
      from calling `registry.cancel` to its return (terminal recorded, tasks and processes
      gone), p50/p99, by stage.
(iv)  peak RSS: this process and its descendants (VmRSS sampled every 50 ms from /proc), and
      `getrusage(...).ru_maxrss`.
"""

from __future__ import annotations

import os
import random
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trio

from bench._common import (
    CpuMeter,
    bench_args,
    descendants,
    emit,
    median,
    ms_stats,
    peak_rss_mib,
    proc_rss_mib,
    table,
)
from videogen.actors.errors import AlreadyFinished
from videogen.actors.limits import SUBSCRIBER_BUFFER
from videogen.actors.runtime.broadcast import Broadcast
from videogen.actors.runtime.events import ProgressEvent
from videogen.actors.runtime.registry import Registry, RegistryConfig
from videogen.actors.runtime.run import run_runtime
from videogen.media.models import GenerationRequest
from videogen.media.writer import OfflineWriter

if TYPE_CHECKING:
    from collections.abc import Sequence

SUBSCRIBERS = 1000
TARGET_MAKESPAN_RATIO = 1.25
TARGET_FANOUT_P99_MS = 50.0
TARGET_CANCEL_P99_MS = 500.0


# -- (iv) memory sampler --------------------------------------------------------------------


class RssSampler:
    """A thread summing VmRSS of this process and its descendants every `interval` seconds."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.phase = "start"
        self.peaks: dict[str, dict[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            own = proc_rss_mib(os.getpid()) or 0.0
            kids = [r for p in descendants() if (r := proc_rss_mib(p)) is not None]
            peak = self.peaks.setdefault(
                self.phase, {"self_mib": 0.0, "tree_mib": 0.0, "max_processes": 0.0}
            )
            peak["self_mib"] = max(peak["self_mib"], own)
            peak["tree_mib"] = max(peak["tree_mib"], own + sum(kids))
            peak["max_processes"] = max(peak["max_processes"], 1.0 + len(kids))


# -- (ii) fan-out alone -----------------------------------------------------------------------


def _event(seq: int) -> ProgressEvent:
    return ProgressEvent("bench-1", seq, "generating_audio", min(seq, 100), f"step {seq}", at=0.0)


async def fanout_broadcast(events: int, interval: float) -> tuple[list[float], int]:
    """`Broadcast` with 1,000 subscribers; returns (latencies in s, lag drops)."""
    broadcast = Broadcast()
    sent: dict[int, float] = {}
    latencies: list[float] = []

    async def reader(subscription: Any) -> None:
        with subscription as stream:
            async for event in stream:
                latencies.append(trio.current_time() - sent[event.seq])

    async with trio.open_nursery() as nursery:
        for _ in range(SUBSCRIBERS):
            nursery.start_soon(reader, broadcast.subscribe())
        await trio.sleep(0.05)  # every reader is waiting
        for seq in range(1, events + 1):
            sent[seq] = trio.current_time()
            broadcast.publish(_event(seq))
            await trio.sleep(interval)
        broadcast.close()
    return latencies, broadcast.dropped


async def fanout_channels(events: int, interval: float) -> tuple[list[float], int]:
    """Baseline: bare memory channels, one per subscriber, `send_nowait`; lagging ones dropped."""
    sent: dict[int, float] = {}
    latencies: list[float] = []
    sends: set[trio.MemorySendChannel[ProgressEvent]] = set()
    dropped = 0

    async def reader(receive: trio.MemoryReceiveChannel[ProgressEvent]) -> None:
        async with receive:
            async for event in receive:
                latencies.append(trio.current_time() - sent[event.seq])

    async with trio.open_nursery() as nursery:
        for _ in range(SUBSCRIBERS):
            send, receive = trio.open_memory_channel[ProgressEvent](SUBSCRIBER_BUFFER)
            sends.add(send)
            nursery.start_soon(reader, receive)
        await trio.sleep(0.05)
        for seq in range(1, events + 1):
            sent[seq] = trio.current_time()
            event = _event(seq)
            for send in list(sends):
                try:
                    send.send_nowait(event)
                except trio.WouldBlock:
                    sends.discard(send)
                    send.close()
                    dropped += 1
            await trio.sleep(interval)
        for send in sends:
            send.close()
    return latencies, dropped


async def bench_fanout(quick: bool) -> dict[str, Any]:
    """Both fan-outs, alternated, `repeats` times; medians of the per-run percentiles."""
    events, interval, repeats = (40, 0.02, 2) if quick else (200, 0.02, 4)
    runs: dict[str, list[dict[str, float]]] = {"broadcast": [], "channels": []}
    drops: dict[str, int] = {"broadcast": 0, "channels": 0}
    for rep in range(repeats):
        order = [("broadcast", fanout_broadcast), ("channels", fanout_channels)]
        for name, fn in order if rep % 2 == 0 else order[::-1]:
            latencies, dropped = await fn(events, interval)
            runs[name].append(ms_stats(latencies))
            drops[name] += dropped
    result: dict[str, Any] = {"events": events, "interval_s": interval, "repeats": repeats}
    for name, stats in runs.items():
        result[name] = {k: median(s[k] for s in stats) for k in ("p50_ms", "p99_ms", "max_ms")}
        result[name]["drops"] = drops[name]
        result[name]["samples_per_run"] = stats[0]["n"]
    result["p99_ratio"] = result["broadcast"]["p99_ms"] / result["channels"]["p99_ms"]
    result["p50_ratio"] = result["broadcast"]["p50_ms"] / result["channels"]["p50_ms"]
    return result


# -- (ii) fan-out of a real generation ------------------------------------------------------


class TimedBroadcast(Broadcast):
    """The real `Broadcast`, remembering when each event was published (Trio clock)."""

    def __init__(self, history: Sequence[ProgressEvent] = ()) -> None:
        super().__init__(history)
        self.published: dict[int, float] = {}

    def publish(self, event: ProgressEvent) -> None:
        self.published[event.seq] = trio.current_time()
        super().publish(event)


async def fanout_generation(registry: Registry, slides: int) -> dict[str, Any]:
    """1,000 subscribers through `registry.subscribe` on one real generation."""
    gen = await registry.submit(GenerationRequest(topic="The water cycle", num_slides=slides))
    # No checkpoint since `submit` returned: the supervisor has not emitted anything live yet.
    timed = TimedBroadcast(gen.broadcast.log)
    gen.broadcast = timed
    subscriptions = [await registry.subscribe(gen.id) for _ in range(SUBSCRIBERS)]
    from_publish: list[float] = []
    from_creation: list[float] = []
    resyncs = 0

    async def reader(subscription: Any) -> None:
        nonlocal resyncs
        with subscription as stream:
            async for event in stream:
                published = timed.published.get(event.seq)
                if published is not None:
                    from_publish.append(trio.current_time() - published)
                    from_creation.append(time.time() - event.at)
            resyncs += stream.resyncs

    async with trio.open_nursery() as nursery:
        for subscription in subscriptions:
            nursery.start_soon(reader, subscription)
    assert timed.log[-1].status == "completed", timed.log[-1]
    return {
        "events": len(timed.published),
        "from_publish": ms_stats(from_publish),
        "from_creation": ms_stats(from_creation),
        "drops": timed.dropped,
        "resyncs": resyncs,
    }


# -- (i) throughput ---------------------------------------------------------------------------


async def run_to_end(registry: Registry, request: GenerationRequest) -> ProgressEvent:
    gen = await registry.submit(request, client="bench")
    last = None
    with await registry.subscribe(gen.id) as events:
        async for event in events:
            last = event
    assert last is not None
    return last


async def bench_throughput(
    registry: Registry, quick: bool, singles: int | None = None
) -> dict[str, Any]:
    """One generation at a time (warm), then 16 at once."""
    request = GenerationRequest(topic="The water cycle", num_slides=3)
    singles = singles or (2 if quick else 5)
    batches = 1 if quick else 2
    count = 16
    single_wall: list[float] = []
    single_cpu: list[float] = []
    makespans: list[float] = []
    batch_cpu: list[float] = []
    meter = CpuMeter()
    await run_to_end(registry, request)  # warm-up: workers spawn
    for rep in range(max(singles, batches)):
        if rep < singles:
            start = meter.sample()
            last = await run_to_end(registry, request)
            wall, cpu = CpuMeter.delta(start, meter.sample())
            assert last.status == "completed"
            single_wall.append(wall)
            single_cpu.append(cpu)
        if rep < batches:
            start = meter.sample()
            ends: list[str] = []

            async def one(ends: list[str] = ends) -> None:
                ends.append((await run_to_end(registry, request)).status)

            async with trio.open_nursery() as nursery:
                for _ in range(count):
                    nursery.start_soon(one)
            wall, cpu = CpuMeter.delta(start, meter.sample())
            assert ends == ["completed"] * count, ends
            makespans.append(wall)
            batch_cpu.append(cpu)
    t1, c1, makespan = median(single_wall), median(single_cpu), median(makespans)
    cores = 2
    return {
        "generations": count,
        "slides": 3,
        "max_running": registry.config.max_running,
        "single_warm_wall_s": t1,
        "single_warm_cpu_s": c1,
        "makespan_s": makespan,
        "ideal_s": count * t1 / cores,
        "ratio": makespan / (count * t1 / cores),
        "cpu_bound_s": count * c1 / cores,
        "ratio_cpu_bound": makespan / (count * c1 / cores),
        "speedup_vs_serial": count * t1 / makespan,
        "batch_cpu_s": median(batch_cpu),
        "batch_cpu_utilisation": median(batch_cpu) / (makespan * cores),
        "singles": single_wall,
        "makespans": makespans,
    }


# -- (iii) cancellation ------------------------------------------------------------------------


def _ffmpeg_descendants() -> list[int]:
    found = []
    for pid in descendants():
        try:
            if b"ffmpeg" in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            continue
    return found


async def bench_cancel(registry: Registry, quick: bool, rng: random.Random) -> dict[str, Any]:
    """Cancel after a random event of a real 5-slide generation, `trials` times."""
    request = GenerationRequest(topic="A long talk about rivers", num_slides=5)
    reference = [e.status for e in await _events(registry, request)]
    trials = 6 if quick else 40
    latencies: list[float] = []
    by_status: dict[str, list[float]] = defaultdict(list)
    missed = 0
    leftovers = 0
    for _ in range(trials):
        # After event k (1 = queued) of the len(reference) a full run emits, before the last.
        k = rng.randint(1, len(reference) - 1)
        gen = await registry.submit(request, client="bench")
        at_status = None
        with await registry.subscribe(gen.id) as events:
            async for event in events:
                if event.seq >= k:
                    at_status = event.status
                    break
        start = time.perf_counter()
        try:
            terminal = await registry.cancel(gen.id)
        except AlreadyFinished:
            missed += 1
            continue
        took = time.perf_counter() - start
        assert terminal.status == "cancelled", terminal
        assert not gen.directory.exists()
        leftovers += len(_ffmpeg_descendants())
        latencies.append(took)
        by_status[at_status or "?"].append(took)
    return {
        "trials": trials,
        "measured": len(latencies),
        "missed_already_finished": missed,
        "ffmpeg_left_running": leftovers,
        **ms_stats(latencies),
        "by_status": {s: ms_stats(v) for s, v in sorted(by_status.items())},
    }


async def _events(registry: Registry, request: GenerationRequest) -> list[ProgressEvent]:
    gen = await registry.submit(request, client="bench")
    with await registry.subscribe(gen.id) as events:
        return [e async for e in events]


# -- main ---------------------------------------------------------------------------------------


async def main_async(quick: bool, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    results: dict[str, Any] = {"bench": "concurrency", "quick": quick}
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as tmp, RssSampler() as rss:
        rss.phase = "fanout_alone"
        results["fanout_alone"] = await bench_fanout(quick)
        # cache_bytes=0: every repeat made from scratch, none from the artifact cache.
        config = RegistryConfig(data_dir=Path(tmp), max_running=2, max_queued=64, cache_bytes=0)
        async with trio.open_nursery() as nursery:
            registry: Registry = await nursery.start(run_runtime, config, OfflineWriter())
            rss.phase = "throughput"
            results["throughput"] = await bench_throughput(registry, quick)
            rss.phase = "fanout_generation"
            runs = [await fanout_generation(registry, 5) for _ in range(1 if quick else 3)]
            results["fanout_generation"] = _merge_fanout(runs)
            rss.phase = "cancel"
            results["cancel"] = await bench_cancel(registry, quick, rng)
            rss.phase = "shutdown"
            await registry.shutdown()
            nursery.cancel_scope.cancel()
        if not quick:
            # Diagnostic: does admitting more at once fill the idle CPU the batch left?
            config = RegistryConfig(
                data_dir=Path(tmp) / "wide", max_running=4, max_queued=64, cache_bytes=0
            )
            async with trio.open_nursery() as nursery:
                registry = await nursery.start(run_runtime, config, OfflineWriter())
                rss.phase = "throughput_max_running_4"
                results["throughput_4"] = await bench_throughput(registry, quick, singles=2)
                await registry.shutdown()
                nursery.cancel_scope.cancel()
    results["rss_peaks"] = rss.peaks
    results["ru_maxrss_mib"] = peak_rss_mib()
    return results


def _merge_fanout(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Medians over the runs of each percentile."""
    merged: dict[str, Any] = {"runs": len(runs), "events": median(r["events"] for r in runs)}
    for key in ("from_publish", "from_creation"):
        merged[key] = {
            k: median(r[key][k] for r in runs) for k in ("p50_ms", "p99_ms", "max_ms", "n")
        }
    merged["drops"] = sum(r["drops"] for r in runs)
    merged["resyncs"] = sum(r["resyncs"] for r in runs)
    return merged


def report(r: dict[str, Any]) -> str:
    t, fa, fg, c = r["throughput"], r["fanout_alone"], r["fanout_generation"], r["cancel"]
    rows: list[list[object]] = [
        ["(i) one 3-slide generation, warm: wall s", t["single_warm_wall_s"], ""],
        ["(i) one 3-slide generation, warm: CPU s", t["single_warm_cpu_s"], ""],
        ["(i) 16 at once, max_running=2: makespan s", t["makespan_s"], ""],
        ["(i) makespan / (16 × wall ÷ 2 cores)", t["ratio"], f"≤ {TARGET_MAKESPAN_RATIO}"],
        ["(i) makespan / (16 × CPU ÷ 2 cores)", t["ratio_cpu_bound"], ""],
        ["(i) CPU utilisation of 2 cores during the batch", t["batch_cpu_utilisation"], ""],
    ]
    if "throughput_4" in r:
        t4 = r["throughput_4"]
        rows += [
            ["(i) diagnostic, max_running=4: makespan s", t4["makespan_s"], ""],
            ["(i) diagnostic, max_running=4: makespan / (16 × wall ÷ 2)", t4["ratio"], ""],
            ["(i) diagnostic, max_running=4: CPU utilisation", t4["batch_cpu_utilisation"], ""],
        ]
    rows += [
        [
            f"(ii) Broadcast alone, 1000 subs: p50 / p99 ms ({fa['events']} ev)",
            f"{fa['broadcast']['p50_ms']:.2f} / {fa['broadcast']['p99_ms']:.2f}",
            f"p99 ≤ {TARGET_FANOUT_P99_MS:.0f}",
        ],
        [
            "(ii) baseline bare channels: p50 / p99 ms",
            f"{fa['channels']['p50_ms']:.2f} / {fa['channels']['p99_ms']:.2f}",
            "",
        ],
        ["(ii) Broadcast / channels p99 ratio", fa["p99_ratio"], ""],
        [
            "(ii) real generation, 1000 subs, publish→receipt p50 / p99 ms",
            f"{fg['from_publish']['p50_ms']:.2f} / {fg['from_publish']['p99_ms']:.2f}",
            f"p99 ≤ {TARGET_FANOUT_P99_MS:.0f}",
        ],
        [
            "(ii) real generation, event created→receipt p50 / p99 ms",
            f"{fg['from_creation']['p50_ms']:.2f} / {fg['from_creation']['p99_ms']:.2f}",
            "",
        ],
        ["(ii) lag drops / resyncs (real generation)", f"{fg['drops']} / {fg['resyncs']}", ""],
        [
            f"(iii) cancel latency p50 / p99 / max ms (n={c['measured']})",
            f"{c['p50_ms']:.0f} / {c['p99_ms']:.0f} / {c['max_ms']:.0f}",
            f"p99 ≤ {TARGET_CANCEL_P99_MS:.0f}",
        ],
    ]
    rows.append(
        [
            "(iii) ffmpeg left running after cancel / cancels that came too late",
            f"{c['ffmpeg_left_running']} / {c['missed_already_finished']}",
            "0 / -",
        ]
    )
    for status, s in c["by_status"].items():
        rows.append(
            [
                f"(iii)   cancelled after {status} (n={s['n']:.0f}) p50 / max ms",
                f"{s['p50_ms']:.0f} / {s['max_ms']:.0f}",
                "",
            ]
        )
    for phase, peak in r["rss_peaks"].items():
        rows.append(
            [
                f"(iv) peak RSS during {phase}: self / tree MiB (procs)",
                f"{peak['self_mib']:.0f} / {peak['tree_mib']:.0f} ({peak['max_processes']:.0f})",
                "",
            ]
        )
    ru = r["ru_maxrss_mib"]
    rows.append(
        [
            "(iv) ru_maxrss self / largest reaped child MiB",
            f"{ru['self']:.0f} / {ru['largest_reaped_child']:.0f}",
            "",
        ]
    )
    return table(["metric", "value", "target"], rows)


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    load_start = os.getloadavg()
    results = trio.run(main_async, args.quick, args.seed)
    results["loadavg"] = (load_start, os.getloadavg())
    text = report(results)
    text += f"\n(1-min load average {load_start[0]:.1f} → {results['loadavg'][1][0]:.1f})"
    emit(args, results, text)


if __name__ == "__main__":
    main()
