"""Child processes that tests start: each in its own process group, always stopped and reaped.

A test that starts a server, a model server or `make serve` owns a `Child`: whatever happens
(the readiness wait times out, an assertion fails, the test is interrupted) the fixture or the
`with` block that made it sends SIGTERM to the whole group, then SIGKILL after a grace period,
and waits for the process, so no server outlives its test and no `Popen` is left unreaped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

import httpx

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator, Sequence
    from types import TracebackType

__all__ = ["Child", "descendants", "running"]

# How long a child gets between SIGTERM and SIGKILL when a test stops it.
STOP_GRACE: Final = 15.0


class Child:
    """One child process (and its process group), its output in `log_path`."""

    def __init__(
        self,
        argv: Sequence[str],
        log_path: Path,
        *,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                list(argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=cwd,
                env=env,
                # its own group: `make serve` and a server's workers are stopped with it
                start_new_session=True,
            )

    def log_tail(self, chars: int = 2000) -> str:
        """The end of what the child printed."""
        return self.log_path.read_text(errors="replace")[-chars:]

    def wait_until(self, ready: Callable[[], bool], *, seconds: float, what: str) -> None:
        """Poll `ready` until it is true; stops the child and raises if it exits or times out."""
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"{what} exited ({self.process.returncode}):\n{self.log_tail()}"
                    )
                if ready():
                    return
                time.sleep(0.1)
            raise RuntimeError(f"{what} was not ready in {seconds:g} s:\n{self.log_tail()}")
        except BaseException:
            self.stop(signal.SIGKILL)
            raise

    def wait_for_url(self, url: str, *, seconds: float, what: str, status: int = 200) -> None:
        """`wait_until` a GET of `url` answers `status`."""

        def answers() -> bool:
            try:
                return httpx.get(url, timeout=2).status_code == status
            except httpx.TransportError:
                return False

        self.wait_until(answers, seconds=seconds, what=what)

    def stop(self, sig: int = signal.SIGTERM, grace: float = STOP_GRACE) -> int:
        """Send `sig` to the child, SIGKILL it after `grace`, reap it; then end whatever it
        left in its group (the server `make` started, a server's workers) and what it started
        in sessions of its own (batch work in a niced autogroup: `media.worker`), found before
        the signal, while they are still its descendants. Returns its status."""
        strays = _started(pid for pid, _ in descendants(self.process.pid))
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(sig)
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.process.wait()
        self._end_group(grace)
        _end_strays(strays, grace)
        return self.process.returncode

    def _end_group(self, grace: float) -> None:
        """SIGTERM what is left of the group, then SIGKILL it once `grace` has passed."""
        self._signal_group(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while _group_running(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig: int) -> bool:
        """Signal every process of the group; False when none is left."""
        try:
            os.killpg(self.process.pid, sig)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def __enter__(self) -> Child:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _stat_fields() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/<pid>/stat after the command name) of every process."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                yield int(entry.name), (entry / "stat").read_text().rsplit(")", 1)[1].split()


def _started(pids: Iterable[int]) -> dict[int, str]:
    """Each live pid's start time (field 22 of its stat): a pid reused later is told apart."""
    wanted = set(pids)
    return {pid: f[19] for pid, f in _stat_fields() if pid in wanted and f[0] != "Z"}


def _end_strays(strays: dict[int, str], grace: float) -> None:
    """SIGTERM the processes of `strays` still running as themselves, SIGKILL after `grace`."""

    def left() -> list[int]:
        now = _started(strays)
        return [pid for pid, started in strays.items() if now.get(pid) == started]

    deadline = time.monotonic() + grace
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in left():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        while sig == signal.SIGTERM and left() and time.monotonic() < deadline:
            time.sleep(0.05)


def running(pid: int) -> bool:
    """Whether `pid` runs (a zombie, exited and waiting to be reaped, does not)."""
    return bool(_started([pid]))


def _group_running(pgid: int) -> bool:
    """Whether a process of group `pgid` still runs (a zombie waits only to be reaped)."""
    return any(f[2] == str(pgid) and f[0] != "Z" for _, f in _stat_fields())


def descendants(pid: int | None = None) -> list[tuple[int, str]]:
    """(pid, command line) of every live descendant of `pid` (default: this process)."""
    root = os.getpid() if pid is None else pid
    children: dict[int, list[int]] = {}
    for child, fields in _stat_fields():
        if fields[0] != "Z":  # a zombie is reaped by its parent, not running
            children.setdefault(int(fields[1]), []).append(child)
    found, todo = [], list(children.get(root, []))
    while todo:
        child = todo.pop()
        with contextlib.suppress(OSError):
            cmdline = (Path("/proc") / str(child) / "cmdline").read_bytes()
            found.append((child, cmdline.replace(b"\0", b" ").decode(errors="replace").strip()))
        todo += children.get(child, [])
    return found
