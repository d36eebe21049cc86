"""Health, the live actor tree, the OpenAPI document and the web page."""

from __future__ import annotations

import os
import time
from typing import Any, Final

import trio
from quart import Blueprint, Response, current_app, jsonify, send_from_directory

from videogen.actors.llm.writer import LLMWriter
from videogen.media import compose
from videogen.server.access import listing_owner, sees_addresses
from videogen.server.openapi import openapi_document
from videogen.server.routes.static import STATIC_DIR
from videogen.server.schemas import HealthResponse
from videogen.server.state import AppState, app_state

__all__ = ["VERSION", "WRITER_KEY", "blueprint"]

blueprint = Blueprint("system", __name__)

VERSION: Final = "0.1.0"
# A speech check spawns a worker; its answer is reused for this long.
_CHECK_TTL: Final = 30.0
# Where the app keeps its writer (`create_app`); the LLM check asks it.
WRITER_KEY: Final = "videogen.writer"
# How long the LLM check waits for `GET {url}/models`.
_LLM_CHECK_TIMEOUT: Final = 5.0
# The storage check's data dir probe is reused for this long.
_STORAGE_MAX_AGE: Final = 1.0


class _Cached:
    at: float = -_CHECK_TTL
    value: str = "unknown"


_tts = _Cached()


async def _check_tts() -> str:
    if time.monotonic() - _tts.at < _CHECK_TTL:
        return _tts.value
    try:
        with trio.fail_after(10):
            seconds = await app_state().require_registry().media.check_speech()
        _tts.value = "ok" if seconds > 0 else "failed: no audio"
    except Exception as exc:
        _tts.value = f"failed: {exc}"
    _tts.at = time.monotonic()
    return _tts.value


_llm: dict[str, _Cached] = {}


async def _check_llm(writer: LLMWriter) -> str:
    """Whether the model server answers `GET {url}/models`; cached like the speech check."""
    cached = _llm.setdefault(writer.config.url, _Cached())
    if time.monotonic() - cached.at < _CHECK_TTL:
        return cached.value
    cached.value = f"failed: no answer within {_LLM_CHECK_TIMEOUT:g} s"
    with trio.move_on_after(_LLM_CHECK_TIMEOUT):
        cached.value = await writer.check()
    cached.at = time.monotonic()
    return cached.value


async def _check_ffmpeg() -> str:
    exe = await trio.to_thread.run_sync(compose.ffmpeg_exe)
    return "ok" if os.access(exe, os.X_OK) else "failed: ffmpeg is not executable"


async def _check_storage(state: AppState) -> str:
    """The data dir takes a new file and has room, and the database takes writes. Bounded:
    each part answers within its own timeout (`STORAGE_CHECK_TIMEOUT`, `STORE_PROBE_TIMEOUT`)."""
    registry = state.require_registry()
    # A fresh look (not admission's cached one), but a burst of health checks probes once.
    failure = await registry.storage.check(max_age=_STORAGE_MAX_AGE)
    if failure is None:
        failure = await registry.store.probe()
    return "ok" if failure is None else f"failed: {failure}"


@blueprint.get("/health")
async def health() -> Response:
    """200 when speech, ffmpeg and storage all work; 503 naming the failing check otherwise.

    With an LLM writer, `checks["llm"]` says whether its model server answers; a failure there
    makes the server unhealthy only when there is no offline fallback.
    """
    state = app_state()
    registry = state.require_registry()
    checks = {
        "tts": await _check_tts(),
        "ffmpeg": await _check_ffmpeg(),
        "storage": await _check_storage(state),
    }
    writer = current_app.extensions.get(WRITER_KEY)
    optional = set()
    if isinstance(writer, LLMWriter):
        checks["llm"] = await _check_llm(writer)
        if writer.config.fallback:
            optional.add("llm")
    healthy = all(v == "ok" for k, v in checks.items() if k not in optional)
    body = HealthResponse(
        status="healthy" if healthy else "unhealthy",
        version=VERSION,
        uptime_s=round(time.time() - state.started_at, 3),
        generations={"running": registry.running, "queued": registry.queued},
        checks=checks,
    )
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = 200 if healthy else 503
    return response


@blueprint.get("/api/debug/actors")
async def debug_actors() -> Response:
    """The live supervision tree: registry → generations → stage actors.

    Only the caller's own generations (as in `/api/generations`); client addresses and users
    only for the admin.
    """
    tree = app_state().require_registry().snapshot()
    user, client = listing_owner()
    admin = sees_addresses()
    children: list[dict[str, Any]] = []
    for child in tree["children"]:  # type: ignore[attr-defined]
        if child.get("kind") == "generation" and (
            (user is not None and child.get("user") != user)
            or (client is not None and child.get("client") != client)
        ):
            continue
        if not admin:
            child.pop("client", None)
            child.pop("user", None)
        children.append(child)
    tree["children"] = children
    return jsonify(tree)


@blueprint.get("/openapi.json")
async def openapi() -> Response:
    """The OpenAPI 3.1 description of every route, generated from the pydantic models."""
    return jsonify(openapi_document(VERSION))


@blueprint.get("/")
async def index() -> Response:
    """The web page."""
    return await send_from_directory(STATIC_DIR, "index.html")
