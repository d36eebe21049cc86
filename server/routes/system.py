"""Health, the live actor tree, the OpenAPI document and the web page."""

from __future__ import annotations

import time
from typing import Any

from quart import Blueprint, Response, current_app, jsonify, send_from_directory

from videogen import __version__
from videogen.server.access.checks import listing_owner, sees_addresses
from videogen.server.api.apidoc import documented, json_answer, media_answer
from videogen.server.api.openapi import openapi_document
from videogen.server.api.schemas import HealthResponse
from videogen.server.routes.static import STATIC_DIR
from videogen.server.state import app_state

__all__ = ["blueprint"]

blueprint = Blueprint("system", __name__)


@blueprint.get("/health")
@documented(
    {200: json_answer(HealthResponse, "Healthy"), 503: json_answer(HealthResponse, "Unhealthy")}
)
async def health() -> Response:
    """200 when speech, ffmpeg and storage all work; 503 naming the failing check otherwise.

    With an LLM writer, `checks["llm"]` says whether its model server answers; a failure there
    makes the server unhealthy only when there is no offline fallback (see `server.health`).
    With `--storage-url`, `checks["artifact_store"]` says whether the store answers. A failing
    check that leaves the server working (those two) makes it "degraded", still 200.
    """
    state = app_state()
    registry = state.require_registry()
    checks, optional = await state.health.run(registry, state.writer)
    healthy = all(v == "ok" for k, v in checks.items() if k not in optional)
    degraded = any(checks[k] != "ok" for k in optional)
    body = HealthResponse(
        status="unhealthy" if not healthy else "degraded" if degraded else "healthy",
        version=__version__,
        uptime_s=round(time.time() - state.started_at, 3),
        generations={"running": registry.running, "queued": registry.queued},
        checks=checks,
    )
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = 200 if healthy else 503
    return response


@blueprint.get("/api/debug/actors")
@documented({200: json_answer(None, "The tree")})
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
@documented({200: json_answer(None, "This document")})
async def openapi() -> Response:
    """The OpenAPI 3.1 description of every route, derived from the routes and their models."""
    state = app_state()
    if state.openapi is None:
        state.openapi = openapi_document(current_app, __version__)
    return jsonify(state.openapi)


@blueprint.get("/")
@documented({200: media_answer("text/html", "The page")})
async def index() -> Response:
    """The web page."""
    return await send_from_directory(STATIC_DIR, "index.html")
