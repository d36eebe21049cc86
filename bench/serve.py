"""Benchmark of the HTTP server: Range streaming, API latency under load, SSE fan-out.

    python -m bench.serve [--quick] [--json] [--sse-only]

The real server (`videogen serve --rate-limit 0`) runs as a subprocess on a free port with a
temporary data dir; the clients run here, on the same 2 cores. This module only runs the three
benchmarks on that one server, in order, and prints their report; each is described where it
lives:

(a) `bench.serve_download`: Range streaming of a large file, against `python -m http.server`;
(b) `bench.serve_latency`: `/api/status/<id>` and `/health` latency, idle and under load;
(c) `bench.serve_sse`: SSE delivery to 1,000 subscribers, against a minimal Trio SSE server.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import trio

from bench import serve_download, serve_latency, serve_sse
from bench._common import descendants, emit, proc_rss_mib, raise_fd_limit, table
from bench._servers import start_videogen, wait_listening


async def main_async(quick: bool, sse_only: bool = False) -> dict[str, Any]:
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
            if not sse_only:
                results["stream"] = await serve_download.bench_stream(server, data_dir, root, quick)
                sections["stream"] = time.perf_counter() - start
                results["latency"] = await serve_latency.bench_latency(server, quick)
                sections["latency"] = time.perf_counter() - sections["stream"] - start
            results["sse"] = await serve_sse.bench_sse(server, data_dir, root, quick)
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
    rows: list[list[object]] = []
    if "stream" in r:
        rows += serve_download.rows(r["stream"])
        rows += serve_latency.rows(r["latency"], r["first_health_ms"])
    rows += serve_sse.rows(r["sse"])
    load = f"{r['loadavg_start'][0]:.1f} → {r['loadavg_end'][0]:.1f}"
    sections = ", ".join(f"{k} {v:.0f} s" for k, v in r["section_wall_s"].items())
    note = f"(1-min load average {load} on {os.cpu_count()} cores; {sections})"
    return table(["metric", "value", "target"], rows) + "\n" + note


def main() -> None:
    p = argparse.ArgumentParser(description="HTTP server benchmark")
    p.add_argument("--quick", action="store_true", help="a short run (fewer repeats)")
    p.add_argument("--json", action="store_true", help="print the results as JSON only")
    p.add_argument("--sse-only", action="store_true", help="only (c), the SSE fan-out")
    args = p.parse_args()
    results = trio.run(main_async, args.quick, args.sse_only)
    emit(args, results, report(results))


if __name__ == "__main__":
    main()
