"""Warm-up for worker processes: import the heavy modules once per process, not per job."""

from __future__ import annotations

import os
import signal
from typing import Final

__all__ = ["BATCH_NICENESS", "warm"]


# Niceness of ffmpeg and of the speech/drawing workers, added to the server's own: the Trio
# thread that answers requests keeps priority over batch work. The one definition (media may not
# import actors; `actors.limits` re-exports it for the processes it starts).
BATCH_NICENESS: Final = 10


def warm() -> bool:
    """Run once in each new worker process (trio-parallel's `init`): lower the priority, then
    import the heavy modules once per process, not per job.

    The parent owns the worker's life: a terminal's Ctrl-C or a SIGTERM sent to the whole
    process group (systemd, a supervisor) must reach the parent, which then finishes or stops
    its workers itself, never kill a worker mid-job and fail a generation that would have been
    interrupted cleanly."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    os.nice(BATCH_NICENESS)
    from videogen.media import slides, speech  # noqa: F401  (imported for their side effect: loading)

    return True
