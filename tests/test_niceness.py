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

import pytest
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


def _own_group() -> tuple[str, int]:
    """(this process's autogroup, its session id): run in the worker or child under test."""
    return worker.AUTOGROUP.read_text(encoding="ascii").strip(), os.getsid(0)


@pytest.mark.skipif(
    worker.autogroup_nice() is None, reason="no session autogroup holds this process"
)
async def test_batch_work_weighs_little_across_sessions_too() -> None:
    """With autogroups the kernel shares the CPU between sessions before nice counts: the
    workers and the children run in sessions of their own, in groups niced like themselves
    (children only when root: see `processes._group_nice`)."""
    ours, session = _own_group()
    inherited = worker.autogroup_nice()
    assert inherited is not None
    expected = f"nice {min(19, inherited + BATCH_NICENESS)}"
    with trio.fail_after(_PATIENCE):
        async with trio_parallel.open_worker_context(init=worker.warm) as workers:
            group, worker_session = await workers.run_sync(_own_group)
        lines: list[str] = []
        code, _ = await stream_lines(
            [
                sys.executable,
                "-c",
                "import os, pathlib; print(pathlib.Path('/proc/self/autogroup').read_text()"
                ".strip(), os.getsid(0), sep='|')",
            ],
            lines.append,
        )
    assert code == 0
    assert worker_session != session
    assert group != ours
    assert group.endswith(expected)
    child_group, child_session = lines[0].split("|")
    if os.geteuid() == 0:
        assert int(child_session) != session
        assert child_group != ours
        assert child_group.endswith(expected)
    else:  # refused settings would weigh as much as the server: they stay in its session
        assert int(child_session) == session
        assert child_group == ours


@pytest.mark.parametrize(
    ("shown", "nice"),
    [
        ("/autogroup-7 nice 0\n", 0),
        ("/autogroup-7 nice -5\n", -5),
        ("", None),  # in the root group: no session between init and this process
        ("/autogroup-7 nice\n", None),
        ("/autogroup-7 nice x\n", None),
    ],
)
def test_autogroup_nice_reads_what_the_kernel_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shown: str, nice: int | None
) -> None:
    shown_at = tmp_path / "autogroup"
    shown_at.write_text(shown, encoding="ascii")
    monkeypatch.setattr(worker, "AUTOGROUP", shown_at)
    assert worker.autogroup_nice() == nice
    assert worker.batch_group_nice() == (None if nice is None else str(min(19, nice + 10)))


def test_no_autogroup_file_means_no_autogroups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "AUTOGROUP", tmp_path / "absent")
    assert worker.autogroup_nice() is None
    assert worker.lower_group_priority() is False
