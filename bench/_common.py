"""Shared helpers of the benchmarks: arguments, statistics, tables, and process accounting.

Process accounting reads `/proc` (Linux only): the CPU and RSS of this process's descendants,
which `getrusage(RUSAGE_CHILDREN)` only covers once they have exited and been reaped.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import socket
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "CLK_TCK",
    "CpuMeter",
    "CpuSample",
    "bench_args",
    "descendants",
    "emit",
    "fmt",
    "free_port",
    "median",
    "peak_rss_mib",
    "percentile",
    "proc_cpu",
    "proc_rss_mib",
    "raise_fd_limit",
    "table",
]

CLK_TCK = os.sysconf("SC_CLK_TCK")


def bench_args(description: str) -> argparse.Namespace:
    """`--quick` (a short run) and `--json` (machine-readable results on stdout)."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--quick", action="store_true", help="a short run (fewer repeats)")
    p.add_argument("--json", action="store_true", help="print the results as JSON only")
    p.add_argument("--seed", type=int, default=1, help="random seed")
    return p.parse_args()


# -- statistics -----------------------------------------------------------------------------


def median(xs: Iterable[float]) -> float:
    """The median, or NaN for no values."""
    values = list(xs)
    return statistics.median(values) if values else math.nan


def percentile(xs: Iterable[float], p: float) -> float:
    """The p-th percentile (linear interpolation between closest ranks), NaN for no values."""
    values = sorted(xs)
    if not values:
        return math.nan
    at = (len(values) - 1) * p / 100
    low = math.floor(at)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (at - low)


def ms_stats(values: Sequence[float]) -> dict[str, float]:
    """Latencies given in seconds, summarised: count, p50 / p99 / max in milliseconds."""
    return {
        "n": float(len(values)),
        "p50_ms": percentile(values, 50) * 1000,
        "p99_ms": percentile(values, 99) * 1000,
        "max_ms": max(values, default=float("nan")) * 1000,
    }


def fmt(value: object, digits: int = 2) -> str:
    """A table cell: floats rounded, NaN and None as a dash."""
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        return f"{value:.{digits}f}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A compact markdown table."""
    cells = [[str(h) for h in headers], *[[fmt(c) for c in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def emit(args: argparse.Namespace, results: dict[str, Any], text: str) -> None:
    """Print the human table, or only JSON with `--json`."""
    if args.json:
        json.dump(results, sys.stdout, indent=2, default=_jsonable)
        sys.stdout.write("\n")
    else:
        print(text)
    sys.stdout.flush()


def _jsonable(value: object) -> object:
    if isinstance(value, Path):
        return os.fspath(value)
    if isinstance(value, float) and math.isnan(value):
        return None
    return str(value)


# -- processes ------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        found.extend(int(c) for c in text.split())
    return found


def descendants(pid: int | None = None) -> list[int]:
    """Every live descendant of `pid` (default: this process), children first."""
    root = os.getpid() if pid is None else pid
    found: list[int] = []
    frontier = [root]
    while frontier:
        kids = _children(frontier.pop())
        found.extend(kids)
        frontier.extend(kids)
    return found


def proc_cpu(pid: int, *, reaped_children: bool = False) -> float | None:
    """User + system CPU seconds of a live process (all its threads), None if it is gone.

    With `reaped_children`, also what its children used that it has waited for.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    # stat(5) fields 14-17 are utime, stime, cutime, cstime; fields[0] here is field 3.
    ticks = int(fields[11]) + int(fields[12])
    if reaped_children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / CLK_TCK


def proc_rss_mib(pid: int) -> float | None:
    """Resident set size (VmRSS) in MiB, None if the process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_rss_mib() -> dict[str, float]:
    """`ru_maxrss` of this process and of its largest reaped child, in MiB."""
    return {
        "self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "largest_reaped_child": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


@dataclass(frozen=True, slots=True)
class CpuSample:
    """A wall time and what the process tree had used by then."""

    wall: float
    self_cpu: float
    children_cpu: float
    live: dict[int, float]


def _rusage_cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


class CpuMeter:
    """CPU of this process plus every descendant between two samples.

    Reaped children count through `RUSAGE_CHILDREN` (their whole life); live descendants
    through `/proc/<pid>/stat` (their own CPU plus their reaped children's). A descendant alive
    at the first sample and reaped before the second is then counted by its parent with the CPU
    it used before the first sample too, so that part is taken off. The resolution is one clock
    tick (10 ms) per live process. With `tree=False` only `getrusage` is read (exact for
    children that exit and are reaped in between).
    """

    def __init__(self, *, tree: bool = True) -> None:
        self.tree = tree

    def sample(self) -> CpuSample:
        live: dict[int, float] = {}
        if self.tree:
            for pid in descendants():
                cpu = proc_cpu(pid, reaped_children=True)
                if cpu is not None:
                    live[pid] = cpu
        return CpuSample(
            time.perf_counter(),
            _rusage_cpu(resource.RUSAGE_SELF),
            _rusage_cpu(resource.RUSAGE_CHILDREN),
            live,
        )

    @staticmethod
    def delta(start: CpuSample, end: CpuSample) -> tuple[float, float]:
        """(wall seconds, CPU seconds of the whole tree) between two samples."""
        cpu = (end.self_cpu - start.self_cpu) + (end.children_cpu - start.children_cpu)
        for pid, before in start.live.items():
            after = end.live.get(pid)
            cpu += (after - before) if after is not None else -before
        cpu += sum(after for pid, after in end.live.items() if pid not in start.live)
        return end.wall - start.wall, cpu


def free_port() -> int:
    """A TCP port free on the loopback right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def raise_fd_limit() -> int:
    """Raise this process's open-file limit to its hard limit; returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = 65536 if hard == resource.RLIM_INFINITY else hard
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        return target
    return soft
