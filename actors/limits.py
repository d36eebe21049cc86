"""Every bound of the runtime in one place: buffers, budgets, grace periods."""

from __future__ import annotations

import os
from typing import Final

# A subscriber's channel: past this many undelivered events it is dropped and resynced from the
# log, so a stalled browser never holds the generation or anyone else.
SUBSCRIBER_BUFFER: Final = 32
# Between stage actors each message is a whole artifact; one in flight is plenty.
STAGE_BUFFER: Final = 1
# Default admission bounds.
DEFAULT_MAX_RUNNING: Final = os.cpu_count() or 2
DEFAULT_MAX_QUEUED: Final = 100
# How long a cancelled child process gets between SIGTERM and SIGKILL. Its output is thrown
# away, so this only lets it exit politely; ffmpeg on SIGTERM finishes its buffered encode first
# (up to half a second), which would only delay the cancel.
PROCESS_GRACE: Final = 0.2
# Niceness of ffmpeg and of the speech/drawing workers: the Trio thread that answers requests
# keeps priority over batch work.
BATCH_NICENESS: Final = 10
# Server shutdown: how long running generations may finish before they are interrupted.
SHUTDOWN_GRACE: Final = 3.0
# How long recording a terminal event may take when the generation is being torn down.
TERMINAL_WRITE_GRACE: Final = 2.0

# Stage budgets in seconds: a base plus a share per slide. The supervisor arms them as deadlines
# when a stage starts working, so time spent queued or waiting on an inbox does not count.
_BUDGETS: Final[dict[str, tuple[float, float]]] = {
    "writer": (60.0, 2.0),
    "scripts": (60.0, 2.0),
    "speech": (30.0, 10.0),
    "slides": (20.0, 5.0),
    "compose": (60.0, 10.0),
}


def stage_budget(stage: str, slides: int) -> float:
    """Seconds `stage` may work on a deck of `slides` slides."""
    base, per_slide = _BUDGETS[stage]
    return base + per_slide * slides
