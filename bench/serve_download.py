"""(a) Range streaming of a 200 MB file (50 MB with --quick) over loopback.

The video route only serves a completed generation's file, so one generation is made through
the API and its MP4 is then replaced (same name) by random bytes. httpx downloads it whole or
in 8 MiB ranges, by one client, then by 8 at once (threads, one `httpx.Client` each). Baseline
side by side, in the same rounds: `python -m http.server` serving the same directory (whole
file only: it has no Range support). Reported: MB/s (10^6 bytes), server CPU seconds per GB,
and server VmRSS (sampled every 20 ms from /proc) before and at its peak.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import trio

from bench._api import submit, wait_terminal
from bench._common import median, proc_cpu, proc_rss_mib
from bench._servers import start_http_server, wait_listening

if TYPE_CHECKING:
    from pathlib import Path

    from bench._servers import Server

__all__ = ["bench_stream", "rows"]

FILE_BYTES = 200_000_000
QUICK_FILE_BYTES = 50_000_000
RANGE_BYTES = 8 * 1024 * 1024
TARGET_MBPS = 300.0


class RssWatch:
    """A thread sampling one process's VmRSS (and its CPU at start and end)."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.before = proc_rss_mib(pid) or 0.0
        self.peak = self.before
        self.cpu_before = proc_cpu(pid) or 0.0
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = (proc_cpu(self.pid) or 0.0) - self.cpu_before

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            rss = proc_rss_mib(self.pid)
            if rss is not None:
                self.peak = max(self.peak, rss)


def download(url: str, *, ranged: bool, size: int) -> int:
    """Fetch the whole file (one GET, or 8 MiB ranges on one connection); returns bytes read."""
    got = 0
    with httpx.Client(timeout=120) as client:
        if not ranged:
            with client.stream("GET", url) as response:
                assert response.status_code == 200, response.status_code
                for chunk in response.iter_raw():
                    got += len(chunk)
            return got
        for start in range(0, size, RANGE_BYTES):
            end = min(start + RANGE_BYTES, size) - 1
            headers = {"Range": f"bytes={start}-{end}"}
            with client.stream("GET", url, headers=headers) as response:
                assert response.status_code == 206, response.status_code
                for chunk in response.iter_raw():
                    got += len(chunk)
    return got


def check_bytes(url: str, path: Path) -> None:
    """Sanity: the ends of the file served are the file's."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(4096)
        f.seek(size - 4096)
        tail = f.read()
    with httpx.Client(timeout=30) as client:
        assert client.get(url, headers={"Range": "bytes=0-4095"}).content == head
        assert client.get(url, headers={"Range": "bytes=-4096"}).content == tail


def replace_with_random(video: Path, size: int) -> None:
    """Put `size` random bytes under the video's name (written aside, then renamed)."""
    partial = video.with_name("replacement.tmp")
    with open(partial, "wb") as f:
        for at in range(0, size, 8 * 10**6):
            f.write(os.urandom(min(8 * 10**6, size - at)))
    os.replace(partial, video)


@dataclass
class StreamRun:
    mbps: float
    cpu_s_per_gb: float
    rss_before: float
    rss_peak: float

    @property
    def growth(self) -> float:
        return self.rss_peak - self.rss_before


async def stream_once(server: Server, url: str, clients: int, ranged: bool, size: int) -> StreamRun:
    limiter = trio.CapacityLimiter(clients)
    totals: list[int] = []

    async def one() -> None:
        totals.append(
            await trio.to_thread.run_sync(
                lambda: download(url, ranged=ranged, size=size), limiter=limiter
            )
        )

    with RssWatch(server.pid) as watch:
        start = time.perf_counter()
        async with trio.open_nursery() as nursery:
            for _ in range(clients):
                nursery.start_soon(one)
        wall = time.perf_counter() - start
    assert totals == [size] * clients, totals
    moved = size * clients
    return StreamRun(moved / wall / 1e6, watch.cpu / (moved / 1e9), watch.before, watch.peak)


async def bench_stream(ours: Server, data_dir: Path, root: Path, quick: bool) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=60) as client:
        gid = await submit(client, ours.url, "The water cycle", 1)
        assert await wait_terminal(client, ours.url, gid) == "completed"
    folder = data_dir / "generations" / gid
    video = folder / f"{gid}.mp4"
    size = QUICK_FILE_BYTES if quick else FILE_BYTES
    await trio.to_thread.run_sync(replace_with_random, video, size)
    ours_url = f"{ours.url}/api/video/{gid}.mp4"
    base = start_http_server(folder, root / "http-server.log")
    try:
        await wait_listening(base, "/")
        base_url = f"{base.url}/{gid}.mp4"
        await trio.to_thread.run_sync(check_bytes, ours_url, video)
        cases: list[tuple[str, Server, str, int, bool]] = [
            ("ours_whole_1", ours, ours_url, 1, False),
            ("ours_ranges_1", ours, ours_url, 1, True),
            ("base_whole_1", base, base_url, 1, False),
            ("ours_whole_8", ours, ours_url, 8, False),
            ("ours_ranges_8", ours, ours_url, 8, True),
            ("base_whole_8", base, base_url, 8, False),
        ]
        runs: dict[str, list[StreamRun]] = {c[0]: [] for c in cases}
        for rep in range(1 if quick else 3):
            order = cases if rep % 2 == 0 else cases[::-1]
            for name, server, url, clients, ranged in order:
                runs[name].append(await stream_once(server, url, clients, ranged, size))
    finally:
        base.stop()
    result: dict[str, Any] = {"file_mb": size / 1e6, "range_mib": RANGE_BYTES >> 20}
    for name, values in runs.items():
        result[name] = {
            "mbps": median(r.mbps for r in values),
            "server_cpu_s_per_gb": median(r.cpu_s_per_gb for r in values),
            "rss_before_mib": values[0].rss_before,
            "rss_peak_mib": max(r.rss_peak for r in values),
            "rss_growth_mib": max(r.growth for r in values),
        }
    for n in (1, 8):
        base_mbps = result[f"base_whole_{n}"]["mbps"]
        result[f"ratio_whole_{n}"] = result[f"ours_whole_{n}"]["mbps"] / base_mbps
        result[f"ratio_ranges_{n}"] = result[f"ours_ranges_{n}"]["mbps"] / base_mbps
    return result


def rows(s: dict[str, Any]) -> list[list[object]]:
    """The report's (a) rows."""
    labels = {
        "ours_whole_1": "(a) videogen, 1 client, whole file",
        "ours_ranges_1": "(a) videogen, 1 client, 8 MiB ranges",
        "base_whole_1": "(a) http.server, 1 client, whole file",
        "ours_whole_8": "(a) videogen, 8 clients, whole file",
        "ours_ranges_8": "(a) videogen, 8 clients, 8 MiB ranges",
        "base_whole_8": "(a) http.server, 8 clients, whole file",
    }
    out: list[list[object]] = []
    for key, label in labels.items():
        v = s[key]
        out.append(
            [
                f"{label}: MB/s | server CPU s/GB | RSS MiB peak (max growth in a run)",
                f"{v['mbps']:.0f} | {v['server_cpu_s_per_gb']:.2f} | "
                f"{v['rss_peak_mib']:.0f} (+{v['rss_growth_mib']:.0f})",
                f"≥ {TARGET_MBPS:.0f} MB/s, flat" if key == "ours_whole_1" else "",
            ]
        )
    return [
        *out,
        [
            "(a) videogen / http.server MB/s, 1 client whole | ranges",
            f"{s['ratio_whole_1']:.2f} | {s['ratio_ranges_1']:.2f}",
            "",
        ],
        [
            "(a) videogen / http.server MB/s, 8 clients whole | ranges",
            f"{s['ratio_whole_8']:.2f} | {s['ratio_ranges_8']:.2f}",
            "",
        ],
    ]
