"""Benchmark of several `videogen serve` replicas on one real PostgreSQL (issue 15).

    python -m bench.replicas [--quick] [--json]

For 1, 2 and 3 replicas (each `--max-running 1`, its own `--data-dir`, a fresh database of a
local PostgreSQL started for the run as tests/postgres.py does), on loopback:

* throughput: a batch of small generations (1 and 2 slides alternately, `"knowledge": "none"`)
  submitted round-robin to the replicas; generations per minute from the first submit to the
  last terminal status; and (2 and 3 replicas) the same batch all sent to replica 0, which the
  cluster's work queue in the database spreads over every replica's free slot;
* `/api/status/<id>` p50 / p99 on every replica while that batch runs (one poller per replica,
  a request every `STATUS_INTERVAL`; the time includes this client's own work);
* NOTIFY-to-SSE (2 and 3 replicas): a generation submitted to replica 0 runs there (it is
  idle and nothing waits: it starts where admitted); SSE clients on every replica follow it; per
  event, its arrival on another replica's stream minus its arrival on replica 0's own (events
  carry no finer time than HH:MM:SS). That covers the store write, NOTIFY, the follower's read
  and the SSE frame, less replica 0's in-process path (the issue's 1,000-watcher figures cover
  that);
* takeover (2 and 3 replicas): kill -9 of replica 0 while it runs an 8-slide generation, then
  the time until replica 1's stream shows `interrupted`, against `REPLICA_LEASE`, and that
  time less what was left of the lease at the kill (its `lease_until`, which nothing renews
  after the kill): how long after the lease ended the takeover was seen.

Every process started (the replicas, PostgreSQL) is stopped and waited for, on failure too.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import httpx
import psycopg
import trio
from httpx_sse import aconnect_sse

from bench._api import poll_until
from bench._common import bench_args, emit, fmt, free_port, median, percentile, table
from bench._servers import HOST, VENV_BIN
from tests.postgres import bindir, running_postgres
from tests.processes import Child
from videogen.actors.limits import REPLICA_LEASE, REPLICA_REAP_INTERVAL
from videogen.actors.runtime.events import is_terminal

if TYPE_CHECKING:
    from collections.abc import Iterator

# How often each replica's status poller asks while the batch runs.
STATUS_INTERVAL: Final = 0.05
# How long a replica may take to answer its first /health.
START_PATIENCE: Final = 60.0
# How long one batch, one followed generation or one takeover may take before the run fails.
BATCH_PATIENCE: Final = 900.0
FOLLOW_PATIENCE: Final = 180.0


class Replica:
    """One `videogen serve` child on PostgreSQL `url`, in its own process group."""

    def __init__(self, root: Path, url: str, name: str) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://{HOST}:{self.port}"
        data = root / name
        data.mkdir(parents=True)
        argv = [
            str(VENV_BIN / "videogen"), "serve", "--host", HOST, "--port", str(self.port),
            "--data-dir", str(data / "data"), "--database-url", url, "--replica-id", name,
            "--max-running", "1", "--max-queued", "1000", "--rate-limit", "0",
        ]  # fmt: skip
        self.child = Child(argv, data / "serve.log")
        self.child.wait_until(self._answers, seconds=START_PATIENCE, what=f"replica {name}")

    def _answers(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health", timeout=2).status_code in (200, 503)
        except httpx.TransportError:
            return False


@contextlib.contextmanager
def replicas(root: Path, url: str, n: int) -> Iterator[list[Replica]]:
    """`n` replicas, all stopped (and reaped) when the block ends, whatever it raised."""
    started: list[Replica] = []
    try:
        for i in range(n):
            started.append(Replica(root, url, f"r{i}"))
        yield started
    finally:
        for replica in started:
            replica.child.stop()


async def _submit(client: httpx.AsyncClient, base: str, topic: str, slides: int) -> str:
    response = await client.post(
        f"{base}/api/generate",
        json={"topic": topic, "num_slides": slides, "knowledge": "none"},
        headers={"Prefer": "respond-async"},
    )
    assert response.status_code == 202, response.text
    gid: str = response.json()["generation_id"]
    return gid


async def _throughput(
    reps: list[Replica], batch: int, *, one_entry: bool = False
) -> dict[str, Any]:
    """Submit `batch` small generations round-robin (or, `one_entry`, all to replica 0: the
    cluster's work queue spreads them); poll status on every replica meanwhile."""
    topics = ("Glaciers", "Rivers", "Tides", "Volcanoes", "Deserts", "Forests")
    if one_entry:  # other topics: nothing from the first batch's per-slide cache
        topics = ("Lakes", "Caves", "Reefs", "Canyons", "Islands", "Meadows")
    gids: list[str] = []
    latencies: dict[str, list[float]] = {r.name: [] for r in reps}
    done = trio.Event()

    async def poll(client: httpx.AsyncClient, replica: Replica) -> None:
        i = 0
        while not done.is_set():
            gid = gids[i % len(gids)]
            started = time.perf_counter()
            response = await client.get(f"{replica.url}/api/status/{gid}")
            latencies[replica.name].append(time.perf_counter() - started)
            assert response.status_code == 200, response.text
            i += 1
            await trio.sleep(STATUS_INTERVAL)

    async def wait_all(client: httpx.AsyncClient) -> None:
        for k, gid in enumerate(gids):
            url = f"{reps[k % len(reps)].url}/api/status/{gid}"

            async def ended(url: str = url) -> bool:
                return is_terminal((await client.get(url)).json()["status"])

            await poll_until(ended, 0.2)  # another process's state: nothing here to wait on

    async with httpx.AsyncClient(timeout=60) as client:
        started = time.monotonic()
        for k in range(batch):
            base = reps[0 if one_entry else k % len(reps)].url
            gids.append(await _submit(client, base, topics[k % len(topics)], 1 + k % 2))
        with trio.fail_after(BATCH_PATIENCE):
            async with trio.open_nursery() as nursery:
                for replica in reps:
                    nursery.start_soon(poll, client, replica)
                await wait_all(client)
                elapsed = time.monotonic() - started
                done.set()
        statuses = [
            (await client.get(f"{reps[k % len(reps)].url}/api/status/{g}")).json()["status"]
            for k, g in enumerate(gids)
        ]
    assert statuses == ["completed"] * batch, statuses
    return {
        "batch": batch,
        "seconds": elapsed,
        "per_minute": batch / elapsed * 60,
        "status_ms": {
            name: {
                "n": len(xs),
                "p50": 1000 * median(xs),
                "p99": 1000 * percentile(xs, 99),
            }
            for name, xs in latencies.items()
        },
    }


async def _follow(
    client: httpx.AsyncClient, base: str, gid: str, until: str, arrivals: dict[int, float]
) -> None:
    """Follow `gid`'s stream on `base` until `until` (any other terminal fails), noting in
    `arrivals` the monotonic time each event (by seq) arrived."""
    async with aconnect_sse(client, "GET", f"{base}/api/progress/{gid}") as source:
        async for sse in source.aiter_sse():
            if not sse.data:
                continue
            arrived = time.monotonic()
            event = json.loads(sse.data)
            status = event["status"]
            if status in ("connected", "done"):
                continue
            arrivals[int(event["seq"])] = arrived
            if status == until or is_terminal(status):
                assert status == until, f"{gid} ended {status}, not {until}"
                return
    raise AssertionError(f"{gid}'s stream ended before {until}")


async def _notify_to_sse(reps: list[Replica], rounds: int) -> list[float]:
    """Per event, its arrival on another replica's stream minus its arrival on the running
    replica's own stream (seconds). Events carry only an HH:MM:SS timestamp, so the running
    replica's own subscriber (fed in process, no NOTIFY) is the reference clock.

    A blocker occupies replica 0's one slot first, so the measured generation waits queued
    while every stream connects; only events that reached the reference stream after all
    streams had their first event count (none is a replay of what was stored before)."""
    delays: list[float] = []
    async with httpx.AsyncClient(timeout=FOLLOW_PATIENCE) as client:
        for _ in range(rounds):
            await _submit(client, reps[0].url, "Tides", 1)  # the blocker
            gid = await _submit(client, reps[0].url, "Glaciers", 2)
            streams: list[dict[int, float]] = [{} for _ in reps]
            with trio.fail_after(FOLLOW_PATIENCE):
                async with trio.open_nursery() as nursery:
                    for replica, arrivals in zip(reps, streams, strict=True):
                        nursery.start_soon(_follow, client, replica.url, gid, "completed", arrivals)
            reference, others = streams[0], streams[1:]
            ready = max(min(arrivals.values()) for arrivals in streams)
            for seq, local in reference.items():
                if local > ready:
                    delays += [arrivals[seq] - local for arrivals in others]
    return delays


def _lease_until(url: str, gid: str) -> float:
    """The end of the lease `gid` holds (a `time.time()`)."""
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT lease_until FROM generations WHERE id = %s", (gid,)).fetchone()
    assert row is not None, f"{gid} is stored"
    assert row[0] is not None, f"{gid} holds a lease while it runs"
    return float(row[0])


async def _takeover(reps: list[Replica], url: str) -> tuple[float, float]:
    """Seconds from kill -9 of the replica running a generation to `interrupted` on another,
    and from the end of the lease it held (read from the database after the kill: nothing
    renews it any more) to that `interrupted`."""
    async with httpx.AsyncClient(timeout=FOLLOW_PATIENCE) as client:
        gid = await _submit(client, reps[0].url, "Rivers", 8)
        with trio.fail_after(FOLLOW_PATIENCE):
            status = f"{reps[1].url}/api/status/{gid}"

            async def running() -> bool:
                return bool((await client.get(status)).json()["status"] != "queued")

            await poll_until(running, 0.05)  # another process's state
        arrivals: dict[int, float] = {}
        killed, killed_at = time.monotonic(), time.time()
        assert reps[0].child.stop(signal.SIGKILL) == -signal.SIGKILL
        lease_until = await trio.to_thread.run_sync(_lease_until, url, gid)
        with trio.fail_after(FOLLOW_PATIENCE):
            await _follow(client, reps[1].url, gid, "interrupted", arrivals)
    seen = max(arrivals.values()) - killed
    return seen, seen - (lease_until - killed_at)


async def _run(quick: bool) -> dict[str, Any]:
    binaries = bindir()
    if binaries is None:
        raise SystemExit("PostgreSQL is not installed (apt: postgresql): nothing to measure")
    batch = 6 if quick else 12
    rounds = 2 if quick else 5
    results: dict[str, Any] = {}
    with running_postgres(binaries) as server, tempfile.TemporaryDirectory() as tmp:
        for n in (1, 2, 3):
            server.admin(f"CREATE DATABASE bench_{n}")
            root = Path(tmp) / f"n{n}"
            with replicas(root, server.url(f"bench_{n}"), n) as reps:
                one: dict[str, Any] = {"throughput": await _throughput(reps, batch)}
                if n > 1:
                    one["one_entry"] = await _throughput(reps, batch, one_entry=True)
                    delays = await _notify_to_sse(reps, rounds)
                    one["notify_to_sse_ms"] = {
                        "n": len(delays),
                        "p50": 1000 * median(delays),
                        "p99": 1000 * percentile(delays, 99),
                    }
                    seen, beyond = await _takeover(reps, server.url(f"bench_{n}"))
                    one["takeover_s"], one["takeover_after_lease_s"] = seen, beyond
            results[str(n)] = one
    return results


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    results = trio.run(_run, args.quick)
    rows = []
    for n, one in results.items():
        t = one["throughput"]
        single = one.get("one_entry")
        p99s = [s["p99"] for s in t["status_ms"].values()]
        sse = one.get("notify_to_sse_ms")
        rows.append(
            [
                n,
                f"{t['batch']} in {fmt(t['seconds'], 1)} s",
                fmt(t["per_minute"], 1),
                fmt(single["per_minute"], 1) if single else "–",
                " / ".join(fmt(p, 1) for p in p99s),
                f"{fmt(sse['p50'], 1)} / {fmt(sse['p99'], 1)} (n={sse['n']})" if sse else "–",
                (
                    f"{fmt(one['takeover_s'], 2)} ({1000 * one['takeover_after_lease_s']:+.0f} ms)"
                    if "takeover_s" in one
                    else "–"
                ),
            ]
        )
    headers = [
        "replicas",
        "batch",
        "gen/min",
        "gen/min, all sent to replica 0",
        "status p99 ms per replica",
        "NOTIFY→SSE p50 / p99 ms",
        "takeover s (vs its lease's end)",
    ]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    note = (
        f"\nlease (REPLICA_LEASE) {REPLICA_LEASE:g} s, reaper every {REPLICA_REAP_INTERVAL:g} s;"
        f" load average after the run {load}"
    )
    emit(
        args,
        {"lease_s": REPLICA_LEASE, "results": results},
        table(headers, rows) + note,
    )


if __name__ == "__main__":
    main()
