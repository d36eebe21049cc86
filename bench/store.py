"""Benchmark of the store's hot paths on SQLite and on PostgreSQL, through `Store` as the server
uses it (worker threads under the store's limiters, one writer and one reader connection).

    python -m bench.store [--quick] [--json]

Per operation, the median and p99 wall time of one awaited call, in microseconds: `insert` (a
new generation), `append` (one event and the status it makes current, one transaction), `get`
(one generation by id), `events` (the last 25 of a generation's 50 events: a resume with
`Last-Event-ID`), `listing` (the newest 50 of every generation), and `append ×8` (eight
generations appending at once: the write queue batches what arrives while a batch is written;
the figure is the wall time per event). SQLite is a file in a temp dir (WAL, synchronous=NORMAL);
PostgreSQL is a fresh local server started for the run (tests/postgres.py: loopback TCP,
fsync off, as in the tests: a server on real disks with fsync on pays its commit flush too).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import trio

from bench._common import bench_args, emit, median, percentile, table
from tests.postgres import bindir, running_postgres
from videogen.actors.adapters.store import Store
from videogen.actors.runtime.events import ProgressEvent

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from videogen.actors.adapters.store import Target

EVENTS_PER_GENERATION: Final = 50
CONCURRENT: Final = 8


async def _timed(n: int, call: Callable[[int], Awaitable[object]]) -> list[float]:
    times = []
    for i in range(n):
        started = time.perf_counter()
        await call(i)
        times.append(time.perf_counter() - started)
    return times


def _stats(name: str, times: list[float], per: int = 1) -> dict[str, Any]:
    return {
        "op": name,
        "n": len(times),
        "median_us": median(times) / per * 1e6,
        "p99_us": percentile(times, 99) / per * 1e6,
    }


async def _measure(target: Target, n: int) -> list[dict[str, Any]]:
    store = await Store.open(target)
    rows = []
    try:
        ids = [f"bench-{i:06d}-abcdefgh" for i in range(n)]

        async def insert(i: int) -> None:
            await store.insert(ids[i], alias="bench", client="c", topic="t", request={"n": i})

        rows.append(_stats("insert", await _timed(n, insert)))
        gid = ids[0]

        async def append(i: int) -> None:
            event = ProgressEvent(gid, i + 1, "generating_audio", 40, "speaking", at=time.time())
            await store.append(event)

        rows.append(_stats("append", await _timed(n, append)))
        for g in ids[1 : 1 + max(1, n // 10)]:  # a generation's events to resume from
            for seq in range(1, EVENTS_PER_GENERATION + 1):
                await store.append(ProgressEvent(g, seq, "generating_audio", 40, "", at=1.0))
        resumed = ids[1]
        rows.append(_stats("get", await _timed(n, lambda i: store.get(ids[i % len(ids)]))))
        half = EVENTS_PER_GENERATION // 2
        rows.append(
            _stats("events", await _timed(n, lambda _: store.events(resumed, after_seq=half)))
        )
        rows.append(
            _stats("listing", await _timed(max(10, n // 5), lambda _: store.listing(limit=50)))
        )

        async def burst(i: int) -> None:
            async with trio.open_nursery() as nursery:
                for k in range(CONCURRENT):
                    event = ProgressEvent(ids[k + 2], 1000 + i, "composing_video", 80, "", at=2.0)
                    nursery.start_soon(store.append, event)

        rows.append(
            _stats(f"append ×{CONCURRENT}", await _timed(max(10, n // 5), burst), CONCURRENT)
        )
    finally:
        await store.aclose()
    return rows


async def _run(n: int) -> dict[str, list[dict[str, Any]]]:
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["sqlite"] = await _measure(Path(tmp) / "videogen.db", n)
    binaries = bindir()
    if binaries is None:
        print("PostgreSQL is not installed (apt: postgresql): its figures are left out")
        return results
    with running_postgres(binaries) as server:
        server.admin("CREATE DATABASE bench")
        results["postgresql"] = await _measure(server.url("bench"), n)
    return results


def main() -> None:
    args = bench_args(__doc__.splitlines()[0] if __doc__ else "")
    n = 100 if args.quick else 1000
    results = trio.run(_run, n)
    ops = [r["op"] for r in results["sqlite"]]
    engines = list(results)
    headers = ["op", *[f"{e} {k}" for e in engines for k in ("median µs", "p99 µs")]]
    rows = []
    for i, op in enumerate(ops):
        row: list[object] = [op]
        for e in engines:
            row += [results[e][i]["median_us"], results[e][i]["p99_us"]]
        rows.append(row)
    emit(args, {"n": n, "results": results}, table(headers, rows))


if __name__ == "__main__":
    main()
