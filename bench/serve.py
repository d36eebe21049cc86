"""Benchmark of the HTTP server: Range streaming, API latency under load, SSE fan-out.

    python -m bench.serve [--quick] [--json]

The real server (`videogen serve --rate-limit 0`) runs as a subprocess on a free port with a
temporary data dir; the clients run here, on the same 2 cores.

(a) Range streaming of a 200 MB file (50 MB with --quick) over loopback. The video route
    only serves a completed generation's file, so one generation is made through the API and
    its MP4 is then replaced (same name) by random bytes. httpx downloads it whole or in 8 MiB
    ranges, by one client, then by 8 at once (threads, one `httpx.Client` each). Baseline side
    by side, in the same rounds: `python -m http.server` serving the same directory (whole
    file only: it has no Range support). Reported: MB/s (10^6 bytes), server CPU seconds per
    GB, and server VmRSS (sampled every 20 ms from /proc) before and at its peak.
(b) `GET /api/status/<id>` and `GET /health` latency p50/p99, one keep-alive client polling
    both in turn, while 8 five-slide generations (three-slide with --quick) run, 2 at a time
    and the rest queued; baseline: the same loop on the idle server just before. Two rounds,
    samples pooled. The first `/health` (which spawns a speech worker) is reported alone.
(c) SSE delivery to 1,000 concurrent subscribers on real sockets (raw non-blocking sockets
    read by one epoll loop in a thread of this process, HTTP/1.1, each `recv` timestamped and
    parsed afterwards). The target generation is held queued behind two long ones until every
    subscriber has its `queued` event (with those two's worker processes stopped meanwhile),
    then those two are cancelled. Latency of event k to subscriber s = arrival time − the
    event's creation time `at`, read (full precision) from the server's SQLite `events` table
    afterwards: both are this machine's `time.time()`. It includes persisting the event, the
    fan-out, Quart/Hypercorn, the socket and this client's reading. Also the spread: arrival −
    the first subscriber's arrival of the same event. Baseline side by side: a minimal SSE
    server (raw Trio sockets + the project's `Broadcast`; this module run with
    `--sse-baseline-server`) replaying the same events with the same gaps to the same client,
    while a 5-slide generation runs on the videogen server for the same CPU load.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import functools
import json
import math
import os
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import trio

from bench._common import (
    descendants,
    emit,
    free_port,
    median,
    ms_stats,
    proc_cpu,
    proc_rss_mib,
    raise_fd_limit,
    table,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Sequence

VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
FILE_BYTES = 200_000_000
QUICK_FILE_BYTES = 50_000_000
RANGE_BYTES = 8 * 1024 * 1024
SUBSCRIBERS = 1000
# Connections opened but not yet answered, at most: below Hypercorn's default accept backlog
# (100), so no SYN is dropped and retried seconds later (see the report).
CONNECT_WINDOW = 50
TARGET_MBPS = 300.0
TARGET_API_P99_MS = 50.0
TARGET_SSE_P99_MS = 100.0


# -- server processes -----------------------------------------------------------------------


@dataclass
class Server:
    """A server subprocess and where it listens."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def _spawn(argv: list[str], log: Path, port: int) -> Server:
    with open(log, "wb") as out:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=os.getcwd()
        )
    return Server(process, port, log)


async def wait_listening(server: Server, path: str, patience: float = 30.0) -> None:
    """Poll `path` until it answers (any status)."""
    with trio.fail_after(patience):
        async with httpx.AsyncClient(timeout=5) as client:
            while True:
                if server.process.poll() is not None:
                    raise RuntimeError(f"server exited:\n{server.tail()}")
                try:
                    await client.get(server.url + path)
                    return
                except httpx.TransportError:
                    await trio.sleep(0.1)


def start_videogen(data_dir: Path, log: Path) -> Server:
    port = free_port()
    argv = [
        str(VENV_BIN / "videogen"),
        "serve",
        "--host",
        HOST,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--rate-limit",
        "0",
        "--max-queued",
        "5000",
        "--max-running",
        "2",
    ]
    return _spawn(argv, log, port)


def start_http_server(directory: Path, log: Path) -> Server:
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "http.server",
        str(port),
        "--bind",
        HOST,
        "--directory",
        str(directory),
    ]
    return _spawn(argv, log, port)


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


# -- API helpers ----------------------------------------------------------------------------


# Owner tokens of the generations this run started: a cancel must show its generation's.
OWNER_TOKENS: dict[str, str] = {}


async def submit(client: httpx.AsyncClient, url: str, topic: str, slides: int) -> str:
    response = await client.post(
        url + "/api/generate",
        json={"topic": topic, "num_slides": slides},
        headers={"Prefer": "respond-async"},
    )
    assert response.status_code == 202, response.text
    gid: str = response.json()["generation_id"]
    OWNER_TOKENS[gid] = response.json()["owner_token"]
    return gid


async def poll_until(check: Callable[[], Awaitable[bool]], interval: float) -> None:
    """Call `check` every `interval` seconds until it says yes."""
    while True:
        if await check():
            return
        await trio.sleep(interval)


async def wait_terminal(client: httpx.AsyncClient, url: str, gid: str) -> str:
    while True:
        status: str = (await client.get(f"{url}/api/status/{gid}")).json()["status"]
        if status in ("completed", "error", "cancelled", "interrupted"):
            return status
        await trio.sleep(0.1)


# -- (a) streaming --------------------------------------------------------------------------


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


# -- (b) API latency under load -------------------------------------------------------------


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
    terminal = {"completed", "error", "cancelled", "interrupted"}
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
                done.update({k: v for k, v in last.items() if v in terminal})
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


# -- (c) SSE fan-out ------------------------------------------------------------------------


class SseClients:
    """`count` SSE subscribers on raw non-blocking sockets, read by one epoll loop in a thread.

    A Trio task per socket would cost this 2-core machine more than the server's own work per
    event; one epoll loop timestamps each `recv` (`time.time()`) and splits the bytes into
    SSE blocks, nothing more. Parsing happens afterwards (`parse_blocks`). Connections are
    opened `CONNECT_WINDOW` at a time (a new one when one has its first event).
    """

    def __init__(self, port: int, path: str, count: int) -> None:
        self.request = (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nAccept: text/event-stream\r\n"
            "Cache-Control: no-cache\r\n\r\n"
        ).encode()
        self.port = port
        self.count = count
        self.blocks: list[list[tuple[float, bytes]]] = [[] for _ in range(count)]
        self.all_ready = threading.Event()
        self.ready_at = math.nan
        self.connect_s = math.nan
        self.error: BaseException | None = None

    def run(self, patience: float) -> None:
        try:
            self._run(patience)
        except BaseException as exc:
            self.error = exc
            raise

    def _connect(self, index: int, poller: select.epoll) -> tuple[int, socket.socket]:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        code = sock.connect_ex((HOST, self.port))
        if code not in (0, errno.EINPROGRESS):
            raise OSError(code, os.strerror(code))
        poller.register(sock.fileno(), select.EPOLLOUT)
        return sock.fileno(), sock

    def _run(self, patience: float) -> None:
        start = time.perf_counter()
        poller = select.epoll()
        socks: dict[int, tuple[int, socket.socket]] = {}
        sending: set[int] = set()  # connecting: request not sent yet
        waiting: set[int] = set()  # no first event yet: counts against the window
        next_index = 0
        buffers = [b""] * self.count
        ready = [False] * self.count
        ready_count = 0
        deadline = time.monotonic() + patience
        try:
            while (socks or next_index < self.count) and time.monotonic() < deadline:
                while next_index < self.count and len(waiting) < CONNECT_WINDOW:
                    fd, sock = self._connect(next_index, poller)
                    socks[fd] = (next_index, sock)
                    sending.add(fd)
                    waiting.add(fd)
                    next_index += 1
                for fd, mask in poller.poll(0.5):
                    index, sock = socks[fd]
                    if fd in sending:
                        if mask & (select.EPOLLOUT | select.EPOLLERR):
                            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                            if code:
                                raise OSError(code, os.strerror(code))
                            sock.send(self.request)  # small: fits the empty send buffer
                            sending.discard(fd)
                            poller.modify(fd, select.EPOLLIN)
                        continue
                    try:
                        data = sock.recv(65536)
                    except BlockingIOError:
                        continue
                    now = time.time()
                    finished = not data
                    buffer = buffers[index] + data
                    while (end := buffer.find(b"\n\n")) >= 0:
                        block, buffer = buffer[:end], buffer[end + 2 :]
                        self.blocks[index].append((now, block))
                        if not ready[index] and b'"seq": 1,' in block:
                            ready[index] = True
                            waiting.discard(fd)
                            ready_count += 1
                            if ready_count == self.count:
                                self.ready_at = time.time()
                                self.connect_s = time.perf_counter() - start
                                self.all_ready.set()
                        if b'"status": "done"' in block:
                            finished = True
                    buffers[index] = buffer
                    if finished:
                        poller.unregister(fd)
                        sock.close()
                        del socks[fd]
                        waiting.discard(fd)
        finally:
            for _, sock in socks.values():
                sock.close()
            poller.close()
        if socks or next_index < self.count:
            raise TimeoutError(f"{len(socks)} SSE streams did not end in {patience} s")


def parse_blocks(blocks: list[tuple[float, bytes]]) -> dict[int, float]:
    """seq → arrival time of the real events among one subscriber's SSE blocks."""
    arrivals: dict[int, float] = {}
    for arrival, block in blocks:
        for line in block.split(b"\n"):
            if line.startswith(b"data: "):
                data = json.loads(line[6:])
                if data.get("status") not in ("connected", "waiting", "done"):
                    arrivals.setdefault(int(data["seq"]), arrival)
    return arrivals


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


def sse_latencies(
    clients: SseClients, created: dict[int, float]
) -> tuple[list[float], list[float], int]:
    """(arrival − creation, arrival − first arrival, events seen) over every subscriber."""
    arrivals: dict[int, list[float]] = {}
    for blocks in clients.blocks:
        for seq, arrival in parse_blocks(blocks).items():
            if seq in created:
                arrivals.setdefault(seq, []).append(arrival)
    latency: list[float] = []
    spread: list[float] = []
    for seq, times in arrivals.items():
        first = min(times)
        latency += [t - created[seq] for t in times]
        spread += [t - first for t in times]
    return latency, spread, len(arrivals)


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
    with sqlite3.connect(f"file:{data_dir / 'videogen.db'}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT seq, at, status, progress, message, stage FROM events "
            "WHERE generation_id = ? ORDER BY seq",
            (gid,),
        ).fetchall()
    statuses = [r[2] for r in rows]
    assert statuses[0] == "queued", statuses
    assert statuses[-1] == "completed", statuses
    # Every subscriber had seq 1 before seq 2 was created: all later events were live.
    assert rows[1][1] > clients.ready_at, "the target started before every subscriber was in"
    created = {int(r[0]): float(r[1]) for r in rows if r[0] > 1}
    latency, spread, seen = sse_latencies(clients, created)
    replay = [
        {
            "gap": (rows[i][1] - rows[i - 1][1]) if i > 1 else 0.0,
            "event": {
                "status": r[2],
                "progress": r[3],
                "message": r[4],
                "generation_id": gid,
                "seq": r[0],
                "stage": r[5],
            },
        }
        for i, r in enumerate(rows)
    ]
    result = _sse_result(latency, spread, seen, len(created), clients.connect_s, cpu[1] - cpu[0])
    return result, replay


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
    argv = [sys.executable, "-m", "bench.serve", "--sse-baseline-server", str(port), str(script)]
    baseline = _spawn(argv, root / "sse-baseline.log", port)
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
    latency, spread, seen = sse_latencies(clients, created)
    return _sse_result(latency, spread, seen, len(created), clients.connect_s, cpu[1] - cpu[0])


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


# -- the baseline SSE server ------------------------------------------------------------------


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


async def baseline_sse_server(port: int, replay: list[dict[str, Any]]) -> None:
    """Raw Trio sockets + `Broadcast`: `GET /stream` subscribes, `POST /go` replays, `/` is 200.

    Each event is sent as one HTTP chunk in the same SSE framing as the real server, with the
    same JSON; `POST /go` answers with every event's creation time once the replay is over.
    """
    from actors.broadcast import Broadcast
    from actors.events import ProgressEvent

    broadcast = Broadcast()
    created: dict[int, float] = {}

    def make(event: dict[str, Any]) -> ProgressEvent:
        at = time.time()
        created[event["seq"]] = at
        return ProgressEvent(
            generation_id=event["generation_id"],
            seq=event["seq"],
            status=event["status"],
            progress=event["progress"],
            message=event["message"],
            at=at,
            stage=event["stage"],
        )

    broadcast.publish(make(replay[0]["event"]))

    def encode(event: ProgressEvent) -> bytes:
        text = json.dumps(event.to_json(), ensure_ascii=False)
        return _chunk(f"id: {event.seq}\ndata: {text}\n\n".encode())

    async def handle(stream: trio.SocketStream) -> None:
        async with stream:
            head = b""
            while b"\r\n\r\n" not in head:
                data = await stream.receive_some(4096)
                if not data:
                    return
                head += data
            if head.startswith(b"GET /stream"):
                await stream.send_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
                    b"transfer-encoding: chunked\r\n\r\n"
                )
                with broadcast.subscribe() as events:
                    async for event in events:
                        await stream.send_all(encode(event))
                done = b'data: {"status": "done"}\n\n'
                await stream.send_all(_chunk(done) + b"0\r\n\r\n")
                return
            if head.startswith(b"POST /go"):
                for item in replay[1:]:
                    await trio.sleep(item["gap"])
                    broadcast.publish(make(item["event"]))
                broadcast.close()
                await trio.sleep(0.5)
                body = json.dumps(created).encode()
            else:
                body = b"{}"
            await stream.send_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(body), body)
            )

    await trio.serve_tcp(handle, port, host=HOST, backlog=1024)


# -- main ---------------------------------------------------------------------------------------


async def main_async(quick: bool) -> dict[str, Any]:
    raise_fd_limit()
    results: dict[str, Any] = {"bench": "serve", "quick": quick, "loadavg_start": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        root = Path(tmp)
        data_dir = root / "data"
        server = start_videogen(data_dir, root / "server.log")
        try:
            await wait_listening(server, "/openapi.json")
            async with httpx.AsyncClient(timeout=60) as client:
                start = time.perf_counter()
                response = await client.get(server.url + "/health")
                results["first_health_ms"] = (time.perf_counter() - start) * 1000
                assert response.status_code == 200, response.text
            sections: dict[str, float] = {}
            start = time.perf_counter()
            results["stream"] = await bench_stream(server, data_dir, root, quick)
            sections["stream"] = time.perf_counter() - start
            results["latency"] = await bench_latency(server, quick)
            sections["latency"] = time.perf_counter() - sections["stream"] - start
            results["sse"] = await bench_sse(server, data_dir, root, quick)
            sections["sse"] = time.perf_counter() - start - sum(sections.values())
            results["section_wall_s"] = sections
            results["server_rss_end_mib"] = proc_rss_mib(server.pid)
            results["server_descendants"] = len(descendants(server.pid))
            results["loadavg_end"] = os.getloadavg()
        except BaseException:
            print(server.tail(), file=sys.stderr)
            raise
        finally:
            server.stop()
    return results


def report(r: dict[str, Any]) -> str:
    s, lat, sse = r["stream"], r["latency"], r["sse"]
    rows: list[list[object]] = []
    labels = {
        "ours_whole_1": "(a) videogen, 1 client, whole file",
        "ours_ranges_1": "(a) videogen, 1 client, 8 MiB ranges",
        "base_whole_1": "(a) http.server, 1 client, whole file",
        "ours_whole_8": "(a) videogen, 8 clients, whole file",
        "ours_ranges_8": "(a) videogen, 8 clients, 8 MiB ranges",
        "base_whole_8": "(a) http.server, 8 clients, whole file",
    }
    for key, label in labels.items():
        v = s[key]
        rows.append(
            [
                f"{label}: MB/s | server CPU s/GB | RSS MiB peak (max growth in a run)",
                f"{v['mbps']:.0f} | {v['server_cpu_s_per_gb']:.2f} | "
                f"{v['rss_peak_mib']:.0f} (+{v['rss_growth_mib']:.0f})",
                f"≥ {TARGET_MBPS:.0f} MB/s, flat" if key == "ours_whole_1" else "",
            ]
        )
    rows += [
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
        ["(b) first /health (spawns the speech check), ms", r["first_health_ms"], ""],
    ]
    for kind in ("status", "health"):
        idle, busy = lat[f"idle_{kind}"], lat[f"busy_{kind}"]
        name = "/api/status/<id>" if kind == "status" else "/health"
        rows.append(
            [
                f"(b) {name} idle p50 / p99 ms (n={idle['n']:.0f})",
                f"{idle['p50_ms']:.1f} / {idle['p99_ms']:.1f}",
                "",
            ]
        )
        rows.append(
            [
                f"(b) {name} with 8 generations p50 / p99 / max ms (n={busy['n']:.0f})",
                f"{busy['p50_ms']:.1f} / {busy['p99_ms']:.1f} / {busy['max_ms']:.0f}",
                f"p99 ≤ {TARGET_API_P99_MS:.0f}",
            ]
        )
    for who in ("ours", "baseline"):
        v = sse[who]
        name = "videogen" if who == "ours" else "minimal trio SSE server"
        rows.append(
            [
                f"(c) SSE {name}, 1000 subs: creation→arrival p50 / p99 / max ms",
                f"{v['latency']['p50_ms']:.1f} / {v['latency']['p99_ms']:.1f} / "
                f"{v['latency']['max_ms']:.0f}",
                f"p99 ≤ {TARGET_SSE_P99_MS:.0f}" if who == "ours" else "",
            ]
        )
        rows.append(
            [
                f"(c) SSE {name}: spread after first subscriber p50 / p99 ms",
                f"{v['spread']['p50_ms']:.1f} / {v['spread']['p99_ms']:.1f}",
                "",
            ]
        )
        rows.append(
            [
                f"(c) SSE {name}: deliveries / expected, connect-all s, server CPU µs/delivery",
                f"{v['deliveries']:.0f} / {v['expected_deliveries']:.0f}, "
                f"{v['connect_all_s']:.1f}, {v['server_cpu_us_per_delivery']:.0f}",
                "",
            ]
        )
    rows.append(["(c) SSE p99 ratio videogen / minimal", sse["p99_ratio"], ""])
    load = f"{r['loadavg_start'][0]:.1f} → {r['loadavg_end'][0]:.1f}"
    sections = ", ".join(f"{k} {v:.0f} s" for k, v in r["section_wall_s"].items())
    note = f"(1-min load average {load} on {os.cpu_count()} cores; {sections})"
    return table(["metric", "value", "target"], rows) + "\n" + note


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--sse-baseline-server":
        replay = json.loads(Path(sys.argv[3]).read_text())
        trio.run(baseline_sse_server, int(sys.argv[2]), replay)
        return
    p = argparse.ArgumentParser(description="HTTP server benchmark")
    p.add_argument("--quick", action="store_true", help="a short run (fewer repeats)")
    p.add_argument("--json", action="store_true", help="print the results as JSON only")
    args = p.parse_args()
    results = trio.run(main_async, args.quick)
    emit(args, results, report(results))


if __name__ == "__main__":
    main()
