"""Who may use a data dir, and who may recover it: `flock`s on two files in it.

* `<data-dir>/.serve.lock`, exclusive: one `videogen serve` per data dir. A second server exits
  before touching anything (`DataDirLocked`), even one whose port bind would then fail.
* `<data-dir>/.lock`, shared by every process using the dir (servers and `videogen generate`)
  for its whole life. A process that finds itself alone takes it exclusively at start, and only
  then runs crash recovery and sweeps scratch (`DataDirHold.alone`), which would otherwise mark
  another live process's running generations interrupted and delete their files; it then
  shares it (`share`). One that is not alone leaves recovery to the next lone start.

So `generate` works beside a running server (the README's own usage) and touches nothing of it.
Commands take the hold before anything touches the dir (before recovery, before the database
opens, before a port is bound) and keep it for their whole life; `run_runtime` takes it too, so
every other owner of a runtime is covered. Within one process a hold nests (a count).

`flock`s go with the process however it ends: a crashed server never leaves a stale lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from videogen.actors.errors import DataDirLocked, DataDirUnusable

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = [
    "LOCK_NAME",
    "SERVE_LOCK_NAME",
    "DataDirHold",
    "acquire_data_dir",
    "hold_data_dir",
    "release_data_dir",
    "share",
]

LOCK_NAME: Final = ".lock"
SERVE_LOCK_NAME: Final = ".serve.lock"
# How long a start waits for another process's start-up recovery (the only time `.lock` is held
# exclusively) before giving up.
RECOVERY_WAIT: Final = 30.0
_POLL: Final = 0.05


@dataclass
class DataDirHold:
    """This process's hold on one data dir."""

    key: str
    fd: int
    serve_fd: int | None
    alone: bool
    """`.lock` is held exclusively: no other process uses the dir; recover, then `share`."""
    count: int = 1


# Resolved data dir -> this process's hold on it.
_held: dict[str, DataDirHold] = {}
_guard = threading.Lock()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _holder(fd: int) -> str:
    """Who holds a lock, as the holder wrote it (its pid)."""
    with contextlib.suppress(OSError, ValueError):
        return f"pid {int(os.pread(fd, 32, 0).decode().strip())}"
    return "pid unknown"


def _open(shown: str, path: str) -> int:
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise DataDirUnusable(shown, _reason(exc)) from exc


def _sign(fd: int) -> None:
    # Only a hint for the message of whoever comes second; a full disk may refuse it.
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)


def _take_serve_lock(shown: str, key: str) -> int:
    fd = _open(shown, os.path.join(key, SERVE_LOCK_NAME))
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        holder = _holder(fd)
        os.close(fd)
        raise DataDirLocked(shown, holder) from None
    except OSError as exc:
        os.close(fd)
        raise DataDirUnusable(shown, _reason(exc)) from exc
    _sign(fd)
    return fd


def _take_use_lock(shown: str, fd: int) -> bool:
    """Exclusive when no other process uses the dir (True), else shared; waits only while
    another process holds it exclusively (its start-up recovery)."""
    deadline = time.monotonic() + RECOVERY_WAIT
    while True:
        for mode, alone in ((fcntl.LOCK_EX, True), (fcntl.LOCK_SH, False)):
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            except OSError as exc:
                raise DataDirUnusable(shown, _reason(exc)) from exc
            return alone
        if time.monotonic() > deadline:
            raise DataDirUnusable(shown, f"another process kept it locked for {RECOVERY_WAIT:g} s")
        time.sleep(_POLL)


def acquire_data_dir(data_dir: Path, *, serve: bool = False) -> DataDirHold:
    """Create `data_dir` if needed and hold it for this process (see the module docstring).

    Blocking (briefly, see `RECOVERY_WAIT`): call it off the Trio thread. Raises
    `DataDirLocked` when `serve` and another server holds it, `DataDirUnusable` when it cannot
    be created or its lock files cannot be written (a read-only or unwritable dir).
    """
    shown = os.fspath(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirUnusable(shown, _reason(exc)) from exc
    key = os.path.realpath(data_dir)
    with _guard:
        hold = _held.get(key)
        if hold is not None:
            if serve and hold.serve_fd is None:
                hold.serve_fd = _take_serve_lock(shown, key)
            hold.count += 1
            return hold
        serve_fd = _take_serve_lock(shown, key) if serve else None
        fd = -1
        try:
            fd = _open(shown, os.path.join(key, LOCK_NAME))
            alone = _take_use_lock(shown, fd)
        except BaseException:
            for opened in (fd, serve_fd):
                if opened is not None and opened >= 0:
                    os.close(opened)
            raise
        hold = _held[key] = DataDirHold(key, fd, serve_fd, alone)
        return hold


def share(hold: DataDirHold) -> None:
    """Recovery is done: let other processes use the dir beside this one."""
    with _guard:
        if hold.alone:
            fcntl.flock(hold.fd, fcntl.LOCK_SH)  # a downgrade never waits
            hold.alone = False


def release_data_dir(hold: DataDirHold) -> None:
    """Give back one hold; the last one unlocks (closing the files drops the `flock`s)."""
    with _guard:
        hold.count -= 1
        if hold.count == 0 and _held.get(hold.key) is hold:
            del _held[hold.key]
            os.close(hold.fd)
            if hold.serve_fd is not None:
                os.close(hold.serve_fd)


@contextlib.contextmanager
def hold_data_dir(data_dir: Path, *, serve: bool = False) -> Iterator[DataDirHold]:
    """`acquire_data_dir` for the block; raises what it raises."""
    hold = acquire_data_dir(data_dir, serve=serve)
    try:
        yield hold
    finally:
        release_data_dir(hold)
