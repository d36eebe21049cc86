"""One niceness for all batch work: the media workers (`media.worker.warm`) and the child
processes the actors start (`actors.adapters.processes`) run at the same priority, below the
server's, from one definition in `media.worker`."""

from __future__ import annotations

import ast
import functools
import os
import sys
from pathlib import Path
from typing import Final

import trio
import trio_parallel

from videogen.actors.adapters.processes import stream_lines
from videogen.actors.limits import BATCH_NICENESS
from videogen.media import worker

ROOT: Final = Path(__file__).resolve().parent.parent
# Ample for a worker process to start on a loaded machine.
_PATIENCE: Final = 30.0


def _expected() -> int:
    return min(19, os.nice(0) + BATCH_NICENESS)


async def test_media_workers_and_child_processes_share_one_niceness() -> None:
    with trio.fail_after(_PATIENCE):
        async with trio_parallel.open_worker_context(init=worker.warm) as workers:
            in_worker = await workers.run_sync(functools.partial(os.nice, 0))
        lines: list[str] = []
        code, _ = await stream_lines(
            [sys.executable, "-c", "import os; print(os.nice(0))"], lines.append
        )
    assert code == 0
    assert in_worker == int(lines[0]) == _expected()


def test_the_niceness_is_defined_once() -> None:
    """Only `media/worker.py` binds a `*NICENESS` name to a number; the rest refer to it."""
    literal: list[str] = []
    for path in sorted(
        p for d in ("actors", "server", "media", "videogen") for p in (ROOT / d).rglob("*.py")
    ):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            value = getattr(node, "value", None)
            if (
                isinstance(target, ast.Name)
                and target.id.endswith("NICENESS")
                and isinstance(value, ast.Constant)
            ):
                literal.append(f"{path.relative_to(ROOT)}:{target.id}")
    assert literal == ["media/worker.py:BATCH_NICENESS"]
