"""What a replica decides about a generation it does not run, from the store alone (no
PostgreSQL needed: the registry imports this on every engine; `replicas` only on PostgreSQL)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from videogen.actors.runtime.events import is_terminal

if TYPE_CHECKING:
    from collections.abc import Sequence

    from videogen.actors.runtime.events import ProgressEvent

__all__ = ["runs_elsewhere"]

# Statuses in which a generation runs nowhere: finished, or a draft waiting for its review.
_IDLE = frozenset({"completed", "error", "cancelled", "interrupted", "awaiting_review"})


def runs_elsewhere(status: str, history: Sequence[ProgressEvent]) -> bool:
    """Whether a generation that is not live here is still queued or running (so, on another
    replica): its row's `status` and its stored events say it has not ended."""
    if history and is_terminal(history[-1].status):
        return False
    return status not in _IDLE
