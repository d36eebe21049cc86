"""One videogen process per data dir: an exclusive lock on `<data-dir>/.lock`.

Two processes on one data dir would undo each other: the second one's crash recovery marks the
first one's running generations `interrupted` and deletes their files. So `videogen serve` and
`videogen generate` take this lock before anything touches the dir (before recovery, before the
database opens, before a port is bound) and hold it for their whole life; `run_runtime` takes it
too, so every other owner of a runtime is covered. Within one process the lock nests (a count),
so the command can take it first and the runtime again.

The lock is `flock`, which the kernel drops when the process dies however it dies: a crashed
server never leaves a stale lock behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
from typing import TYPE_CHECKING, Final

from actors.errors import DataDirLocked, DataDirUnusable

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["LOCK_NAME", "acquire_data_dir", "hold_data_dir", "release_data_dir"]

LOCK_NAME: Final = ".lock"

# Resolved data dir -> [lock file descriptor, how many holders in this process].
_held: dict[str, list[int]] = {}
_guard = threading.Lock()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _holder(fd: int) -> str:
    """Who holds the lock, as the holder wrote it (its pid)."""
    with contextlib.suppress(OSError, ValueError):
        pid = int(os.pread(fd, 32, 0).decode().strip())
        return f"pid {pid}"
    return "pid unknown"


def acquire_data_dir(data_dir: Path) -> str:
    """Create `data_dir` if needed and lock it for this process, without waiting.

    Returns the key to hand to `release_data_dir`. Raises `DataDirLocked` when another process
    holds it, `DataDirUnusable` when it cannot be created or the lock file cannot be written
    (a read-only or unwritable dir).
    """
    shown = os.fspath(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirUnusable(shown, _reason(exc)) from exc
    key = os.path.realpath(data_dir)
    with _guard:
        if key in _held:
            _held[key][1] += 1
            return key
        try:
            fd = os.open(os.path.join(key, LOCK_NAME), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise DataDirUnusable(shown, _reason(exc)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise DataDirLocked(shown, holder) from None
        except OSError as exc:
            os.close(fd)
            raise DataDirUnusable(shown, _reason(exc)) from exc
        # Only a hint for the message of whoever comes second; a full disk may refuse it.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _held[key] = [fd, 1]
        return key


def release_data_dir(key: str) -> None:
    """Give back one hold; the last one unlocks (closing the file drops the `flock`)."""
    with _guard:
        entry = _held.get(key)
        if entry is None:
            return
        entry[1] -= 1
        if entry[1] == 0:
            del _held[key]
            os.close(entry[0])


@contextlib.contextmanager
def hold_data_dir(data_dir: Path) -> Iterator[None]:
    """`acquire_data_dir` for the block; raises what it raises."""
    key = acquire_data_dir(data_dir)
    try:
        yield
    finally:
        release_data_dir(key)
