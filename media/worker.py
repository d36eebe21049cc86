"""Warm-up for worker processes: import the heavy modules once per process, not per job."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import time
from pathlib import Path
from typing import Final

__all__ = ["BATCH_NICENESS", "autogroup_nice", "batch_group_nice", "lower_group_priority", "warm"]


# Niceness of ffmpeg and of the speech/drawing workers, added to the server's own: the Trio
# thread that answers requests keeps priority over batch work. The one definition (media may not
# import actors; `actors.limits` re-exports it for the processes it starts).
BATCH_NICENESS: Final = 10

# Where Linux shows (and takes) the nice value of a process's autogroup: "/autogroup-7 nice 0".
AUTOGROUP: Final = Path("/proc/self/autogroup")
# An unprivileged process may set an autogroup's nice once per 100 ms, machine-wide (the
# kernel answers EAGAIN meanwhile): a worker starting beside others tries for this long.
AUTOGROUP_PATIENCE: Final = 2.0


def autogroup_nice() -> int | None:
    """The nice of this process's autogroup, or None where no session's autogroup holds it: a
    kernel without autogroups (no file), or a process still in the kernel's root group (an
    empty file: no process between init and this one started a session, as under some
    container and VM inits), where each process weighs on its own and `os.nice` orders it."""
    try:
        fields = AUTOGROUP.read_text(encoding="ascii").split()
    except OSError:
        return None
    if len(fields) != 3 or fields[1] != "nice":
        return None
    try:
        return int(fields[2])
    except ValueError:
        return None


def batch_group_nice() -> str | None:
    """The nice of an autogroup of batch work: this process's group's plus `BATCH_NICENESS`
    (at most 19); None where autogroups do not share the CPU (`autogroup_nice`), and `os.nice`
    alone orders it."""
    inherited = autogroup_nice()
    return None if inherited is None else str(min(19, inherited + BATCH_NICENESS))


def lower_group_priority() -> bool:
    """Put this process in an autogroup of its own whose nice is the server's group's plus
    `BATCH_NICENESS`; whether it did (False: no autogroups here, or the kernel still refused
    after `AUTOGROUP_PATIENCE`, which leaves this worker alone in a group at nice 0).

    Why: with autogroups (`/proc/sys/kernel/sched_autogroup_enabled`, on by default on Debian
    and most desktops), the kernel first shares the CPU fairly between sessions, and a process's
    own nice only orders it within its session. The server's workers would then weigh as much
    as the whole server against PostgreSQL and the other replicas, each in its session: measured
    with three replicas, a status read waited up to 67 ms for PostgreSQL while workers drew
    (`bench.replicas`). A session of its own, niced, makes the batch work weigh as little
    across sessions as `os.nice` makes it weigh within one.
    """
    nice = batch_group_nice()
    if nice is None:
        return False
    with contextlib.suppress(PermissionError):  # already a session leader: its own group
        os.setsid()
    deadline = time.monotonic() + AUTOGROUP_PATIENCE
    while True:
        try:
            AUTOGROUP.write_text(nice, encoding="ascii")
        except OSError as exc:
            if exc.errno != errno.EAGAIN or time.monotonic() > deadline:
                return False
            time.sleep(0.1)  # another process set a group's nice within the last 100 ms
        else:
            return True


def warm() -> bool:
    """Run once in each new worker process (trio-parallel's `init`): lower the priority (its
    own, and its autogroup's: `lower_group_priority`), then import the heavy modules once per
    process, not per job.

    The parent owns the worker's life: a terminal's Ctrl-C or a SIGTERM sent to the whole
    process group (systemd, a supervisor) must reach the parent, which then finishes or stops
    its workers itself, never kill a worker mid-job and fail a generation that would have been
    interrupted cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.nice(BATCH_NICENESS)
    lower_group_priority()
    from videogen.media import slides, speech  # noqa: F401  (imported for their side effect: loading)

    return True
