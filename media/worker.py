"""Warm-up for worker processes: import the heavy modules once per process, not per job."""

from __future__ import annotations

__all__ = ["warm"]


def warm() -> bool:
    """Run once in each new worker process (trio-parallel's `init`)."""
    from media import slides, speech  # noqa: F401  (imported for their side effect: loading)

    return True
