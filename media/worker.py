"""Warm-up for worker processes: import the heavy modules once per process, not per job."""

from __future__ import annotations

import os

__all__ = ["warm"]


# Batch work yields to the process that answers requests (same as ffmpeg's niceness).
WORKER_NICENESS = 10


def warm() -> bool:
    """Run once in each new worker process (trio-parallel's `init`): lower the priority, then
    import the heavy modules once per process, not per job."""
    os.nice(WORKER_NICENESS)
    from media import slides, speech  # noqa: F401  (imported for their side effect: loading)

    return True
