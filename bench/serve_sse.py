"""(c) SSE delivery to 1,000 concurrent subscribers on real sockets.

The subscribers are raw non-blocking sockets read by one epoll loop in a thread of this process
(HTTP/1.1, each `recv` timestamped and parsed afterwards: `bench._epoll_client`). The target
generation is held queued behind two long ones until every subscriber has its `queued` event
(with those two's worker processes stopped meanwhile), then those two are cancelled. Latency
of event k to subscriber s = arrival time − the event's creation time `at`, read (full
precision) from the server's database afterwards, through `Store.events`: both are this
machine's `time.time()`. It includes persisting the event, the fan-out, Quart/Hypercorn, the
socket and this client's reading. Also the spread: arrival − the first subscriber's arrival of
the same event. Baseline side by side: a minimal SSE server (`bench._sse_baseline`: raw Trio
sockets + the project's `Broadcast`) replaying the same events with the same gaps to the same
client, while a 5-slide generation runs on the videogen server for the same CPU load.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import signal
import sys
from typing import TYPE_CHECKING, Any

import httpx
import trio

from bench._api import OWNER_TOKENS, poll_until, submit, wait_terminal
from bench._common import descendants, free_port, median, ms_stats, proc_cpu
from bench._epoll_client import SseClients, parse_blocks
from bench._servers import spawn, wait_listening
from videogen.actors.adapters.store import Store
from videogen.actors.runtime.run import DB_NAME

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence
    from pathlib import Path

    from bench._servers import Server
    from videogen.actors.runtime.events import ProgressEvent

__all__ = ["bench_sse", "rows"]

SUBSCRIBERS = 1000
TARGET_SSE_P99_MS = 100.0


async def run_subscribers(port: int, path: str, go: Callable[[], Awaitable[None]]) -> SseClients:
    """Connect the subscribers, call `go()` once each has its first event, wait for the end."""
    clients = SseClients(port, path, SUBSCRIBERS)
    async with trio.open_nursery() as nursery:
        nursery.start_soon(functools.partial(trio.to_thread.run_sync, clients.run, 180.0))
        with trio.fail_after(120):
            while not clients.all_ready.is_set():
                if clients.error is not None:
                    raise RuntimeError("the SSE clients failed") from clients.error
                await trio.sleep(0.01)
        await go()
    return clients


# The slowest events reported (their last arrival), to tell one late event from a slow fan-out.
SLOWEST_SHOWN = 3


def sse_latencies(
    clients: SseClients, created: dict[int, float]
) -> tuple[list[float], list[float], list[list[float]], int]:
    """(arrival − creation, arrival − first arrival, the slowest events, events seen) over
    every subscriber; an event's row is [seq, first arrival, last arrival] in ms after it was
    created."""
    arrivals: dict[int, list[float]] = {}
    for blocks in clients.blocks:
        for seq, arrival in parse_blocks(blocks).items():
            if seq in created:
                arrivals.setdefault(seq, []).append(arrival)
    latency: list[float] = []
    spread: list[float] = []
    slowest: list[list[float]] = []
    for seq, times in arrivals.items():
        first = min(times)
        latency += [t - created[seq] for t in times]
        spread += [t - first for t in times]
        slowest.append([seq, (first - created[seq]) * 1000, (max(times) - created[seq]) * 1000])
    slowest.sort(key=lambda row: -row[2])
    return latency, spread, slowest[:SLOWEST_SHOWN], len(arrivals)


def _signal_all(pids: Sequence[int], signum: signal.Signals) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


async def sse_ours(server: Server, data_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """1,000 subscribers on a real generation held queued until they are all connected.

    Two 30-slide generations take both slots; once they are speaking, the server's worker
    processes are stopped (SIGSTOP, repeated for any new one) so that connecting happens on an
    idle machine; then they are resumed and the two are cancelled, which starts the target.
    """
    url = server.url
    async with httpx.AsyncClient(timeout=60) as client:
        blockers = [await submit(client, url, f"Blocker {i}", 30) for i in range(2)]
        gid = await submit(client, url, "The water cycle", 5)
        for blocker in blockers:

            async def speaking(blocker: str = blocker) -> bool:
                status = (await client.get(f"{url}/api/status/{blocker}")).json()
                return int(status["progress"]) >= 31

            await poll_until(speaking, 0.02)
        frozen: set[int] = set()
        freezing = True

        async def freeze() -> None:
            while freezing:
                pids = descendants(server.pid)
                _signal_all(pids, signal.SIGSTOP)
                frozen.update(pids)
                await trio.sleep(0.05)

        cpu: list[float] = []

        async def release() -> None:
            nonlocal freezing
            cpu.append(proc_cpu(server.pid) or 0.0)
            freezing = False
            await trio.sleep(0.1)
            _signal_all(sorted(frozen | set(descendants(server.pid))), signal.SIGCONT)
            for blocker in blockers:
                response = await client.post(
                    f"{url}/api/cancel/{blocker}",
                    headers={"X-Owner-Token": OWNER_TOKENS[blocker]},
                )
                assert response.status_code in (200, 409), response.text

        async with trio.open_nursery() as nursery:
            nursery.start_soon(freeze)
            clients = await run_subscribers(server.port, f"/api/progress/{gid}", release)
        cpu.append(proc_cpu(server.pid) or 0.0)
        await wait_terminal(client, url, gid)
    events = await recorded_events(data_dir, gid)
    statuses = [e.status for e in events]
    assert statuses[0] == "queued", statuses
    assert statuses[-1] == "completed", statuses
    # Every subscriber had seq 1 before seq 2 was created: all later events were live.
    assert events[1].at > clients.ready_at, "the target started before every subscriber was in"
    created = {e.seq: e.at for e in events if e.seq > 1}
    latency, spread, slowest, seen = sse_latencies(clients, created)
    replay = [
        {
            "gap": (e.at - events[i - 1].at) if i > 1 else 0.0,
            "event": {
                "status": e.status,
                "progress": e.progress,
                "message": e.message,
                "generation_id": gid,
                "seq": e.seq,
                "stage": e.stage,
            },
        }
        for i, e in enumerate(events)
    ]
    result = _sse_result(latency, spread, seen, len(created), clients.connect_s, cpu[1] - cpu[0])
    result["slowest_events"] = slowest  # [seq, first arrival, last arrival] ms after creation
    return result, replay


async def recorded_events(data_dir: Path, gid: str) -> list[ProgressEvent]:
    """`gid`'s events as the server stored them, through the store's public API: `at` at full
    precision (the wire form has only `HH:MM:SS`). A second connection beside the running
    server's: SQLite in WAL mode lets it read, and the schema is current, so opening it
    migrates nothing.
    """
    store = await Store.open(data_dir / DB_NAME)
    try:
        return await store.events(gid)
    finally:
        with trio.CancelScope(shield=True):
            await store.aclose()


def _sse_result(
    latency: list[float],
    spread: list[float],
    seen: int,
    events: int,
    connected: float,
    server_cpu: float,
) -> dict[str, Any]:
    return {
        "server_cpu_us_per_delivery": server_cpu / max(len(latency), 1) * 1e6,
        "events": events,
        "events_seen": seen,
        "deliveries": len(latency),
        "expected_deliveries": events * SUBSCRIBERS,
        "connect_all_s": connected,
        "latency": ms_stats(latency),
        "spread": ms_stats(spread),
    }


async def sse_baseline(server: Server, root: Path, replay: list[dict[str, Any]]) -> dict[str, Any]:
    """The same client against the minimal server replaying the same events.

    For the same CPU load as the real run, a 5-slide generation starts on the videogen server
    when the replay does.
    """
    script = root / "replay.json"
    await trio.Path(script).write_text(json.dumps(replay))
    port = free_port()
    argv = [sys.executable, "-m", "bench._sse_baseline", str(port), str(script)]
    baseline = spawn(argv, root / "sse-baseline.log", port)
    try:
        await wait_listening(baseline, "/")
        created: dict[int, float] = {}
        cpu: list[float] = []
        async with httpx.AsyncClient(timeout=120) as client:

            async def go() -> None:
                cpu.append(proc_cpu(baseline.pid) or 0.0)
                await submit(client, server.url, "The water cycle", 5)
                # The server replays, then answers with the events' creation times.
                response = await client.post(f"{baseline.url}/go")
                created.update({int(k): v for k, v in response.json().items()})

            clients = await run_subscribers(port, "/stream", go)
            cpu.append(proc_cpu(baseline.pid) or 0.0)
    finally:
        baseline.stop()
    created.pop(1, None)
    latency, spread, slowest, seen = sse_latencies(clients, created)
    result = _sse_result(latency, spread, seen, len(created), clients.connect_s, cpu[1] - cpu[0])
    result["slowest_events"] = slowest
    return result


async def bench_sse(server: Server, data_dir: Path, root: Path, quick: bool) -> dict[str, Any]:
    ours: list[dict[str, Any]] = []
    base: list[dict[str, Any]] = []
    for _ in range(1 if quick else 3):
        result, replay = await sse_ours(server, data_dir)
        ours.append(result)
        base.append(await sse_baseline(server, root, replay))
        async with httpx.AsyncClient(timeout=60) as client:

            async def idle() -> bool:
                health = (await client.get(f"{server.url}/health")).json()
                return not health["generations"]["running"]

            await poll_until(idle, 0.1)

    def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {
            k: median(r[k] for r in runs)
            for k in (
                "events",
                "deliveries",
                "expected_deliveries",
                "connect_all_s",
                "server_cpu_us_per_delivery",
            )
        }
        for key in ("latency", "spread"):
            out[key] = {k: median(r[key][k] for r in runs) for k in ("p50_ms", "p99_ms", "max_ms")}
        return out

    merged: dict[str, Any] = {"subscribers": SUBSCRIBERS, "runs": len(ours), "ours": merge(ours)}
    merged["baseline"] = merge(base)
    merged["p99_ratio"] = (
        merged["ours"]["latency"]["p99_ms"] / merged["baseline"]["latency"]["p99_ms"]
    )
    merged["raw"] = {"ours": ours, "baseline": base}
    return merged


def rows(sse: dict[str, Any]) -> list[list[object]]:
    """The report's (c) rows."""
    out: list[list[object]] = []
    for who in ("ours", "baseline"):
        v = sse[who]
        name = "videogen" if who == "ours" else "minimal trio SSE server"
        out.append(
            [
                f"(c) SSE {name}, 1000 subs: creation→arrival p50 / p99 / max ms",
                f"{v['latency']['p50_ms']:.1f} / {v['latency']['p99_ms']:.1f} / "
                f"{v['latency']['max_ms']:.0f}",
                f"p99 ≤ {TARGET_SSE_P99_MS:.0f}" if who == "ours" else "",
            ]
        )
        out.append(
            [
                f"(c) SSE {name}: spread after first subscriber p50 / p99 ms",
                f"{v['spread']['p50_ms']:.1f} / {v['spread']['p99_ms']:.1f}",
                "",
            ]
        )
        out.append(
            [
                f"(c) SSE {name}: deliveries / expected, connect-all s, server CPU µs/delivery",
                f"{v['deliveries']:.0f} / {v['expected_deliveries']:.0f}, "
                f"{v['connect_all_s']:.1f}, {v['server_cpu_us_per_delivery']:.0f}",
                "",
            ]
        )
    out.append(["(c) SSE p99 ratio videogen / minimal", sse["p99_ratio"], ""])
    return out
