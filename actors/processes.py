"""Child processes that never outlive their caller: terminate, a short grace, then kill."""

from __future__ import annotations

import contextlib
import os
import subprocess
from typing import TYPE_CHECKING

import trio

from actors.errors import ProcessFailed
from actors.limits import BATCH_NICENESS, PROCESS_GRACE

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["run_checked", "stop_process", "stream_lines"]


async def stop_process(process: trio.Process) -> None:
    """SIGTERM, wait up to `PROCESS_GRACE`, then SIGKILL; always reaps. Shielded from cancel."""
    with trio.CancelScope(shield=True):
        if process.returncode is None:
            process.terminate()
            with trio.move_on_after(PROCESS_GRACE):
                await process.wait()
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stream_lines(argv: Sequence[str], on_line: Callable[[str], None]) -> tuple[int, str]:
    """Run `argv`, calling `on_line` for every stdout line; returns (exit code, stderr text).

    On cancellation the process is stopped with `stop_process` before `Cancelled` propagates.
    """
    process = await trio.lowlevel.open_process(
        list(argv), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    # Batch work yields to the server: API latency stays low while videos encode.
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, process.pid, BATCH_NICENESS)
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None
    assert stderr is not None
    errors = bytearray()

    async def read_stderr() -> None:
        async for chunk in stderr:
            errors.extend(chunk[: max(0, 65536 - len(errors))])

    try:
        async with trio.open_nursery() as nursery:
            nursery.start_soon(read_stderr)
            pending = b""
            async for chunk in stdout:
                *lines, pending = (pending + chunk).split(b"\n")
                for line in lines:
                    on_line(line.decode("utf-8", "replace"))
            code = await process.wait()
    finally:
        await stop_process(process)
        with trio.CancelScope(shield=True):
            await stdout.aclose()
            await stderr.aclose()
    return code, errors.decode("utf-8", "replace")


async def run_checked(argv: Sequence[str]) -> str:
    """Run `argv` to completion and return its stderr; stopped like `stream_lines` on cancel.

    Raises `ProcessFailed` with the tail of stderr when the exit code is not zero.
    """
    code, errors = await stream_lines(argv, lambda _line: None)
    if code != 0:
        raise ProcessFailed(os.path.basename(argv[0]), code, errors)
    return errors
