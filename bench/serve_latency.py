"""(b) `GET /api/status/<id>` and `GET /health` latency p50/p99 under load.

One keep-alive client polls both in turn while 8 five-slide generations (three-slide with
--quick) run, 2 at a time and the rest queued; baseline: the same loop on the idle server just
before. Two rounds, samples pooled. The first `/health` (which spawns a speech worker) is
measured by `bench.serve` before any other request and reported here alone.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx
import trio

from bench._api import submit, wait_terminal
from bench._common import ms_stats
from videogen.actors.runtime.events import is_terminal

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from bench._servers import Server

__all__ = ["bench_latency", "rows"]

TARGET_API_P99_MS = 50.0


async def poll(
    client: httpx.AsyncClient,
    url: str,
    ids: Sequence[str],
    stop: Callable[[], bool],
    limit: int | None = None,
) -> tuple[list[float], list[float], dict[str, str]]:
    """Alternate status and health requests until `stop()` (or `limit` of each)."""
    status_lat: list[float] = []
    health_lat: list[float] = []
    last: dict[str, str] = {}
    n = 0
    while not stop() and (limit is None or n < limit):
        gid = ids[n % len(ids)]
        start = time.perf_counter()
        response = await client.get(f"{url}/api/status/{gid}")
        status_lat.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
        last[gid] = response.json()["status"]
        start = time.perf_counter()
        response = await client.get(f"{url}/health")
        health_lat.append(time.perf_counter() - start)
        assert response.status_code in (200, 503), response.text
        n += 1
        await trio.sleep(0.01)
    return status_lat, health_lat, last


async def bench_latency(server: Server, quick: bool) -> dict[str, Any]:
    """Rounds of: the idle loop, then the same loop while 8 generations run; samples pooled."""
    url = server.url
    count, slides = 8, (3 if quick else 5)
    samples: dict[str, list[float]] = {k: [] for k in ("idle_s", "idle_h", "busy_s", "busy_h")}
    busy_walls: list[float] = []
    async with httpx.AsyncClient(timeout=60) as client:
        idle_ids = [await submit(client, url, "Idle check", 1)]
        await wait_terminal(client, url, idle_ids[0])
        for _ in range(1 if quick else 2):
            idle_s, idle_h, _ = await poll(
                client, url, idle_ids, lambda: False, 60 if quick else 150
            )
            samples["idle_s"] += idle_s
            samples["idle_h"] += idle_h
            ids = [await submit(client, url, f"Busy topic {i}", slides) for i in range(count)]
            done: dict[str, str] = {}
            start = time.perf_counter()
            while len(done) < count:
                busy_s, busy_h, last = await poll(client, url, ids, lambda: False, 20)
                samples["busy_s"] += busy_s
                samples["busy_h"] += busy_h
                done.update({k: v for k, v in last.items() if is_terminal(v)})
            busy_walls.append(time.perf_counter() - start)
            assert set(done.values()) == {"completed"}, done
    result: dict[str, Any] = {
        "generations": count,
        "slides_each": slides,
        "busy_wall_s": busy_walls,
        "idle_status": ms_stats(samples["idle_s"]),
        "idle_health": ms_stats(samples["idle_h"]),
        "busy_status": ms_stats(samples["busy_s"]),
        "busy_health": ms_stats(samples["busy_h"]),
    }
    for kind in ("status", "health"):
        result[f"{kind}_p99_ratio"] = (
            result[f"busy_{kind}"]["p99_ms"] / result[f"idle_{kind}"]["p99_ms"]
        )
    return result


def rows(lat: dict[str, Any], first_health_ms: float) -> list[list[object]]:
    """The report's (b) rows."""
    out: list[list[object]] = [
        ["(b) first /health (spawns the speech check), ms", first_health_ms, ""]
    ]
    for kind in ("status", "health"):
        idle, busy = lat[f"idle_{kind}"], lat[f"busy_{kind}"]
        name = "/api/status/<id>" if kind == "status" else "/health"
        out.append(
            [
                f"(b) {name} idle p50 / p99 ms (n={idle['n']:.0f})",
                f"{idle['p50_ms']:.1f} / {idle['p99_ms']:.1f}",
                "",
            ]
        )
        out.append(
            [
                f"(b) {name} with 8 generations p50 / p99 / max ms (n={busy['n']:.0f})",
                f"{busy['p50_ms']:.1f} / {busy['p99_ms']:.1f} / {busy['max_ms']:.0f}",
                f"p99 ≤ {TARGET_API_P99_MS:.0f}",
            ]
        )
    return out
