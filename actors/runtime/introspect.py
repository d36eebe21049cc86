"""Dumps of the live actor tree and Trio's own task tree: `serve` on SIGUSR1, `--dump-tasks`."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, TextIO

from videogen.actors.runtime.tree import trio_task_tree

if TYPE_CHECKING:
    from videogen.actors.runtime.registry import Registry

__all__ = ["write_dump"]


def write_dump(registry: Registry, out: TextIO = sys.stderr) -> None:
    """Write the actor tree (JSON) and Trio's task tree to `out`; call on the Trio thread."""
    out.write("--- actor tree ---\n")
    out.write(json.dumps(registry.snapshot(), indent=2, ensure_ascii=False) + "\n")
    out.write("--- trio task tree ---\n" + trio_task_tree() + "\n")
    out.flush()
