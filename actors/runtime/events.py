"""Progress events: immutable, typed, numbered per generation; exactly one terminal per generation.

The JSON form (`ProgressEvent.to_json`) carries the contract's documented keys `status`,
`progress`, `message`, `timestamp` (HH:MM:SS) plus `generation_id`, `seq` and `stage`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Final, Literal, get_args

__all__ = [
    "STATUSES",
    "TERMINAL",
    "ProgressEvent",
    "Status",
    "is_terminal",
]

Status = Literal[
    "queued",
    "started",
    "generating_content",
    "generating_scripts",
    "generating_audio",
    "combining_audio",
    "generating_media",
    "generating_animation",
    "fetching_image",
    "generating_slide",
    "composing_video",
    # A draft (`"render": false`) waits here, not terminal, until `POST …/render` or a cancel.
    "awaiting_review",
    "completed",
    "error",
    "cancelled",
    "interrupted",
]
STATUSES: Final[tuple[str, ...]] = get_args(Status)
TERMINAL: Final[frozenset[str]] = frozenset({"completed", "error", "cancelled", "interrupted"})


def is_terminal(status: str) -> bool:
    """Whether `status` ends a generation."""
    return status in TERMINAL


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    """One step of one generation. `seq` counts from 1 and becomes the SSE `id:`."""

    generation_id: str
    seq: int
    status: Status
    progress: int
    message: str
    at: float
    """Wall-clock seconds since the epoch, for display and persistence."""
    stage: str | None = None
    reuse: dict[str, int] | None = None
    """On a `completed` event of a render with the artifact cache: what came from it
    (`slides_reused`, `slides_total`, per kind). Kept in the generation's row, not the event's."""

    def __post_init__(self) -> None:
        if not 0 <= self.progress <= 100:
            raise ValueError(f"progress {self.progress} is outside 0-100")
        if self.seq < 1:
            raise ValueError(f"seq {self.seq} must count from 1")

    @property
    def terminal(self) -> bool:
        """Whether this is the generation's last event."""
        return is_terminal(self.status)

    @property
    def timestamp(self) -> str:
        """The documented `HH:MM:SS` form, in server local time."""
        return time.strftime("%H:%M:%S", time.localtime(self.at))

    def to_json(self) -> dict[str, object]:
        """The wire form shared by SSE, WebSocket and the status route."""
        return {
            "status": self.status,
            "progress": self.progress,
            "message": self.message,
            "timestamp": self.timestamp,
            "generation_id": self.generation_id,
            "seq": self.seq,
            "stage": self.stage,
            **({"reuse": self.reuse} if self.reuse is not None else {}),
        }
