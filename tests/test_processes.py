"""Child processes (`actors.processes`) on real children, in real time: the cancel escalation,
reaping, niceness from the first instruction, live stdout, and failures in the error tree."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pytest
import trio
import trio.testing

from tests.fakes import FakeMedia, request
from videogen.actors.adapters import processes
from videogen.actors.adapters.processes import run_checked, stream_lines
from videogen.actors.errors import ProcessFailed
from videogen.actors.limits import BATCH_NICENESS, PROCESS_GRACE

if TYPE_CHECKING:
    from collections.abc import Iterator

    from videogen.actors.runtime.registry import Registry

# The children below print their pid once set up (signal handlers installed), so the test can
# cancel them then, and check they are gone (or kill them if not).
_MARK: Final = "videogen-test-processes"


def python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def sleeper(setup: str = "pass") -> list[str]:
    """A Python child that runs `setup`, prints its pid, then sleeps for a minute."""
    return python(
        f"import os, signal, time; _ = {_MARK!r}; {setup}; "
        "print(os.getpid(), flush=True); time.sleep(60)"
    )


# Ample for a Python child to start on a loaded machine; tests end as soon as it is done.
_PATIENCE: Final = 10.0


def _alive(pid: int) -> bool:
    """Whether `pid` exists at all: a zombie (exited, not reaped) counts as alive."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def pids() -> Iterator[list[int]]:
    """Pids of the children a test started; any still running at the end is killed."""
    started: list[int] = []
    yield started
    for pid in started:
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except FileNotFoundError:
            continue
        if _MARK.encode() in cmdline:  # never a reused pid
            os.kill(pid, 9)


async def _cancel_once_started(argv: list[str], pids: list[int]) -> float:
    """Run `argv` until it prints its pid, cancel, and return how long stopping it took."""
    started = trio.Event()
    cancelled_at = 0.0

    def on_line(line: str) -> None:
        if not pids:
            pids.append(int(line))
            started.set()

    with trio.fail_after(_PATIENCE):
        async with trio.open_nursery() as nursery:
            nursery.start_soon(stream_lines, argv, on_line)
            await started.wait()
            cancelled_at = time.monotonic()
            nursery.cancel_scope.cancel()
    return time.monotonic() - cancelled_at


async def test_a_child_that_ignores_sigterm_is_killed_after_the_grace(pids: list[int]) -> None:
    ignores = sleeper("signal.signal(signal.SIGTERM, signal.SIG_IGN)")
    took = await _cancel_once_started(ignores, pids)
    assert PROCESS_GRACE <= took < PROCESS_GRACE + 2.0
    assert not _alive(pids[0])  # killed and reaped: not even a zombie is left


async def test_a_child_that_exits_on_sigterm_is_not_killed(
    pids: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long grace, so that returning well before it shows the wait ended with the child.
    monkeypatch.setattr(processes, "PROCESS_GRACE", 30.0)
    marker = tmp_path / "terminated"
    polite = sleeper(
        f"signal.signal(signal.SIGTERM, lambda *_: (open({str(marker)!r}, 'w').close(), "
        "os._exit(0)))"
    )
    took = await _cancel_once_started(polite, pids)
    assert took < 5.0
    assert marker.exists()  # its SIGTERM handler ran: SIGKILL cannot be handled
    assert not _alive(pids[0])


async def test_the_child_runs_at_batch_niceness_from_its_first_instruction(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Setting the niceness after the start races with the child; make the race visible by
    # stalling any such call until well after the child's first action.
    real_setpriority = os.setpriority

    def stalled_setpriority(which: int, who: int, priority: int) -> None:
        time.sleep(1.0)
        real_setpriority(which, who, priority)

    monkeypatch.setattr(os, "setpriority", stalled_setpriority)
    lines: list[str] = []
    with trio.fail_after(_PATIENCE):
        code, _ = await stream_lines(python("import os; print(os.nice(0))"), lines.append)
    assert code == 0
    assert lines == [str(min(19, os.nice(0) + BATCH_NICENESS))]


async def test_stdout_lines_arrive_while_the_child_runs(tmp_path: Path) -> None:
    go = tmp_path / "go"
    # The child prints, then exits 1 unless the parent answers that first line within 5 s.
    waits = python(
        "import os, sys, time\n"
        "print('first', flush=True)\n"
        "deadline = time.monotonic() + 5\n"
        f"while not os.path.exists({str(go)!r}):\n"
        "    if time.monotonic() > deadline: sys.exit(1)\n"
        "    time.sleep(0.01)\n"
        "print('second')\n"
    )
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line == "first":
            go.touch()

    with trio.fail_after(_PATIENCE):
        code, errors = await stream_lines(waits, on_line)
    assert (code, errors, lines) == (0, "", ["first", "second"])


async def test_a_nonzero_exit_raises_process_failed_with_the_end_of_stderr() -> None:
    fails = python("import sys; sys.stderr.write('noise ' * 500 + 'the reason\\n'); sys.exit(3)")
    with trio.fail_after(_PATIENCE), pytest.raises(ProcessFailed) as caught:
        await run_checked(fails)
    failed = caught.value
    assert (failed.program, failed.code) == (os.path.basename(sys.executable), 3)
    assert failed.stderr_tail.endswith("noise the reason")
    assert len(failed.stderr_tail) == 300
    assert str(failed) == f"{failed.program} exited with 3: {failed.stderr_tail}"


async def test_the_end_of_a_long_stderr_is_kept() -> None:
    fails = python(
        "import sys; sys.stderr.write('noise\\n' * 50000 + 'the reason\\n'); sys.exit(1)"
    )
    with trio.fail_after(_PATIENCE), pytest.raises(ProcessFailed) as caught:
        await run_checked(fails)
    assert caught.value.stderr_tail.endswith("noise\nthe reason")


async def test_run_checked_returns_stderr_of_a_success() -> None:
    with trio.fail_after(_PATIENCE):
        errors = await run_checked(python("import sys; print('out'); sys.stderr.write('warn')"))
    assert errors == "warn"


async def test_a_missing_program_raises_file_not_found() -> None:
    with pytest.raises(FileNotFoundError):
        await stream_lines(["videogen-no-such-program"], lambda _line: None)


async def test_a_failing_line_handler_stops_the_child(pids: list[int]) -> None:
    def on_line(line: str) -> None:
        pids.append(int(line))
        raise ValueError("bad line")

    with trio.fail_after(_PATIENCE), pytest.RaisesGroup(ValueError):
        await stream_lines(sleeper(), on_line)
    assert not _alive(pids[0])


async def test_a_failed_encode_fails_the_compose_stage(
    registry: Registry, fake_media: FakeMedia, autojump_clock: trio.testing.MockClock
) -> None:
    # `ProcessFailed` is a `VideogenError`, yet the stage that ran the program is named.
    async def encode(*_args: object, **_kwargs: object) -> None:
        await trio.lowlevel.checkpoint()
        raise ProcessFailed("ffmpeg", 1, "frame=1\nInvalid data found when processing input\n")

    fake_media.encode = encode  # type: ignore[method-assign]
    gen = await registry.submit(request())
    with await registry.subscribe(gen.id, after_seq=0) as events:
        terminal = [e async for e in events if e.terminal]
    assert [e.message for e in terminal] == [
        "❌ Error: compose failed: ffmpeg exited with 1: "
        "frame=1\nInvalid data found when processing input"
    ]
