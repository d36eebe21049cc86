"""Shared pieces of the routes: who the client is, and the status object of a generation."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from quart import has_websocket_context, request, websocket

from videogen.actors.runtime.events import is_terminal
from videogen.server.api.schemas import StatusResponse
from videogen.server.state import app_state

if TYPE_CHECKING:
    from videogen.actors.adapters.store import GenerationRecord
    from videogen.actors.runtime.generation import Generation

__all__ = ["client_id", "iso", "status_of"]


def client_id() -> str:
    """The client's address, the same for its HTTP requests and its WebSocket (one rate bucket).

    With `--trust-forwarded`, the last `X-Forwarded-For` hop: the one the trusted proxy
    appended. Every hop left of it is whatever the client chose to send.
    """
    conn = websocket if has_websocket_context() else request
    if app_state().settings.trust_forwarded:
        forwarded = ",".join(conn.headers.getlist("X-Forwarded-For"))
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return conn.remote_addr or "unknown"


def iso(at: float) -> str:
    """Seconds since the epoch as local ISO 8601 with offset."""
    return time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(at))


def status_of(
    record: GenerationRecord, live: Generation | None = None, *, waiting: int | None = None
) -> StatusResponse:
    """The status object: live figures when the generation runs, stored ones otherwise;
    `waiting`: its place in the cluster's line when it waits there (not live here)."""
    status, progress, message = record.status, record.progress, record.message
    updated = record.updated_at
    position = waiting
    if live is not None:
        status, progress, message, updated = (
            live.status,
            live.progress,
            live.message,
            live.updated_at,
        )
        position = app_state().require_registry().queue_position(live)
    done = is_terminal(status)
    return StatusResponse(
        status=status,
        progress=progress,
        message=message,
        timestamp=time.strftime("%H:%M:%S", time.localtime(updated)),
        generation_id=record.id,
        topic=record.topic,
        created_at=iso(record.created_at),
        updated_at=iso(updated),
        video_filename=record.video_filename if done and status == "completed" else None,
        error=record.error if status == "error" else None,
        queue_position=position,
        parent_id=record.parent_id,
        version=record.version if status == "awaiting_review" else None,
        reuse=record.reuse if status == "completed" else None,
    )
