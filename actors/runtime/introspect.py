"""Dumps of the live actor tree and Trio's own task tree, on demand (SIGUSR1) or on request."""

from __future__ import annotations

import json
import signal
import sys
from typing import TYPE_CHECKING, TextIO

import trio

from videogen.actors.runtime.tree import trio_task_tree

if TYPE_CHECKING:
    from videogen.actors.runtime.registry import Registry

__all__ = ["dump_on_signal", "write_dump"]


def write_dump(registry: Registry, out: TextIO = sys.stderr) -> None:
    """Write the actor tree (JSON) and Trio's task tree to `out`; call on the Trio thread."""
    out.write("--- actor tree ---\n")
    out.write(json.dumps(registry.snapshot(), indent=2, ensure_ascii=False) + "\n")
    out.write("--- trio task tree ---\n" + trio_task_tree() + "\n")
    out.flush()


async def dump_on_signal(
    registry: Registry,
    *,
    signum: int = signal.SIGUSR1,
    task_status: trio.TaskStatus[None] = trio.TASK_STATUS_IGNORED,
) -> None:
    """Every time `signum` arrives, dump both trees to stderr. Runs until cancelled."""
    with trio.open_signal_receiver(signum) as signals:
        task_status.started()
        async for _ in signals:
            write_dump(registry)
