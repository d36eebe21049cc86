"""Child processes that never outlive their caller: terminate, a short grace, then kill.

Built on `trio.run_process`, which owns the child: it waits for it on every path, and when the
caller is cancelled it runs `_terminate_then_kill` (shielded) until the child has exited, so a
child is always reaped before `Cancelled` propagates. `stream_lines` starts it with
`nursery.start` to read stdout as it comes rather than after the exit.

Every child runs at `BATCH_NICENESS` (added to the server's own niceness, as `media.worker`
does) from its first instruction: the command is prefixed with the POSIX `nice` utility, which
lowers its own priority and then execs the program. Setting it after the start would race
with the child; a `preexec_fn` would run Python between fork and exec, which CPython documents
as unsafe in a process with threads (the server has them) and which forces a full fork instead
of vfork; `os.posix_spawn` has no niceness attribute.

Where the kernel groups processes by session (autogroups) and the server may set a group's
nice without the kernel's rate limit (root), a child also starts a session of its own and `sh`
sets that session's autogroup to the same niceness before it execs `nice` (`_group_nice`;
`media.worker.lower_group_priority` says why nice alone is not enough then).

Raises `FileNotFoundError` when the program does not exist, `ProcessFailed` (`run_checked`)
when it exits with a nonzero code.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import subprocess
from typing import TYPE_CHECKING, Final

import trio

from videogen.actors.errors import ProcessFailed
from videogen.actors.limits import BATCH_NICENESS, PROCESS_GRACE
from videogen.media.worker import batch_group_nice

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

__all__ = ["run_checked", "stream_lines"]

# How much stderr is kept, the most recent: ffmpeg says why it failed at the end, and a runaway
# child that writes without end must not grow the server's memory.
STDERR_LIMIT: Final = 65536


async def _terminate_then_kill(process: trio.Process) -> None:
    """`deliver_cancel` for `trio.run_process`: SIGTERM, `PROCESS_GRACE`, then SIGKILL.

    `run_process` cancels this as soon as the child has exited, so a child that exits on
    SIGTERM is never killed; its own default waits 5 s, far too long for a cancel.
    """
    process.terminate()
    await trio.sleep(PROCESS_GRACE)
    process.kill()


def _batch_command(argv: Sequence[str]) -> tuple[list[str], bool]:
    """`argv` behind `nice` (and, where `_GROUP_NICE` is known, behind `sh` setting the
    autogroup's nice of the session it starts in), and whether to start it in a session of its
    own; raises `FileNotFoundError` itself, because `nice` would only exit with 127 for a
    program that does not exist."""
    program = shutil.which(argv[0])
    if program is None:
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), argv[0])
    niced = ["nice", "-n", str(BATCH_NICENESS), program, *argv[1:]]
    if _GROUP_NICE is None:
        return niced, False
    return ["sh", "-c", _LOWER_GROUP, "sh", _GROUP_NICE, *niced], True


def _group_nice() -> str | None:
    """The autogroup nice for a child in a session of its own (`media.worker.
    lower_group_priority` says why), or None to keep children in the server's session: no
    autogroups here, or not privileged. An unprivileged process may set a group's nice only
    once per 100 ms machine-wide, and a child whose setting was refused would weigh as much as
    the whole server; the workers, which start once, wait for their turn instead."""
    return batch_group_nice() if os.geteuid() == 0 else None


# Run by `sh` in the child's new session before it execs the niced program (same pid: the
# cancel's signals reach the program). A refused write leaves the child in a group at nice 0.
_LOWER_GROUP: Final = '{ echo "$1" > /proc/self/autogroup; } 2>/dev/null; shift; exec "$@"'
_GROUP_NICE: Final = _group_nice()


async def _read_lines(stream: trio.abc.ReceiveStream, on_line: Callable[[str], None]) -> None:
    async with stream:
        pending = b""
        async for chunk in stream:
            *lines, pending = (pending + chunk).split(b"\n")
            for line in lines:
                on_line(line.decode("utf-8", "replace"))


async def _read_capped(stream: trio.abc.ReceiveStream, into: bytearray) -> None:
    async with stream:
        async for chunk in stream:
            into.extend(chunk)
            del into[:-STDERR_LIMIT]


async def stream_lines(argv: Sequence[str], on_line: Callable[[str], None]) -> tuple[int, str]:
    """Run `argv`, calling `on_line` for every stdout line as it arrives; returns (exit code,
    stderr text). On cancellation, or when `on_line` raises, the child is stopped with
    SIGTERM, `PROCESS_GRACE`, SIGKILL and reaped before the exception propagates.
    """
    command, own_session = _batch_command(argv)
    start = functools.partial(
        trio.run_process,
        command,
        start_new_session=own_session,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        check=False,  # the exit code is returned; `run_checked` decides what failure is
        deliver_cancel=_terminate_then_kill,
    )
    errors = bytearray()
    # The nursery holds `run_process` (waiting for the child) and the stderr reader; the body
    # reads stdout. Whatever ends the body early cancels `run_process`, which stops the child.
    async with trio.open_nursery() as nursery:
        process: trio.Process = await nursery.start(start)
        assert process.stdout is not None
        assert process.stderr is not None
        nursery.start_soon(_read_capped, process.stderr, errors)
        await _read_lines(process.stdout, on_line)
    assert process.returncode is not None  # `run_process` returned: the child is reaped
    return process.returncode, errors.decode("utf-8", "replace")


async def run_checked(argv: Sequence[str]) -> str:
    """Run `argv` to completion and return its stderr; stopped like `stream_lines` on cancel.

    Raises `ProcessFailed` with the tail of stderr when the exit code is not zero.
    """
    code, errors = await stream_lines(argv, lambda _line: None)
    if code != 0:
        raise ProcessFailed(os.path.basename(argv[0]), code, errors)
    return errors
