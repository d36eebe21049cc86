"""The OpenAPI 3.1 document, generated from the pydantic models in `server.schemas`."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import models_json_schema

from videogen.server import schemas

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["openapi_document"]

_MODELS: tuple[type[BaseModel], ...] = (
    schemas.GenerationRequest,
    schemas.GenerateResponse,
    schemas.AcceptedResponse,
    schemas.StatusResponse,
    schemas.GenerationsPage,
    schemas.CancelResponse,
    schemas.HealthResponse,
    schemas.OptionsResponse,
    schemas.ErrorResponse,
    schemas.ValidationErrorResponse,
    schemas.SessionRequest,
    schemas.SessionResponse,
)

# Answers any route may give because of `server.access` (Host, Origin, keys).
_MISDIRECTED = "Host not allowed (a loopback server answers only to loopback or allowed names)"
_FOREIGN_ORIGIN = "Origin not allowed (neither a CORS origin nor this server's own)"
_UNAUTHENTICATED = "Not authenticated (this server has keys: send Authorization: Bearer KEY)"
_OWNER_TOKEN_PARAM: dict[str, Any] = {
    "name": "X-Owner-Token",
    "in": "header",
    "description": "The owner_token the creation answer showed (not needed with the admin key)",
    "schema": {"type": "string"},
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _error(description: str) -> dict[str, Any]:
    return _json(schemas.ErrorResponse, description)


def _id_param(name: str = "generation_id") -> list[dict[str, Any]]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "string"}}]


def _get(
    summary: str,
    ok: dict[str, Any],
    *,
    param: str | None = "generation_id",
    not_found: str | None = None,
) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "responses": {"200": ok}}
    if param:
        op["parameters"] = _id_param(param)
    if not_found:
        op["responses"]["404"] = _error(not_found)
    return {"get": op}


def _paths() -> dict[str, Any]:
    S = schemas
    generate = {
        "post": {
            "summary": "Start a generation (blocking; `Prefer: respond-async` for 202)",
            "parameters": [{"name": "Prefer", "in": "header", "schema": {"type": "string"}}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(S.GenerationRequest)}},
            },
            "responses": {
                "200": _json(S.GenerateResponse, "The finished video"),
                "202": _json(S.AcceptedResponse, "Accepted (respond-async)"),
                "400": _error("Malformed JSON"),
                "403": _error(_FOREIGN_ORIGIN),
                "409": _error("Cancelled while the request waited"),
                "413": _error("Body too large"),
                "415": _error("Not JSON"),
                "422": _json(S.ValidationErrorResponse, "Invalid fields"),
                "429": _error("Rate limited"),
                "500": _error("The generation failed"),
                "503": _error("Queue full or shutting down"),
            },
        }
    }
    video_ok = {
        "description": "The video",
        "content": {"video/mp4": {"schema": {"type": "string", "format": "binary"}}},
    }
    video = {
        method: {
            "summary": "A finished video, with byte ranges",
            "parameters": [
                *_id_param("filename"),
                {"name": "Range", "in": "header", "schema": {"type": "string"}},
            ],
            "responses": {
                "200": video_ok,
                "206": video_ok,
                "404": _error("Not a finished video"),
                "416": _error("Range not satisfiable"),
            },
        }
        for method in ("get", "head")
    }
    sse_ok = {
        "description": "Server-Sent Events",
        "content": {"text/event-stream": {"schema": {"type": "string"}}},
    }
    vtt_ok = {"description": "WebVTT", "content": {"text/vtt": {"schema": {"type": "string"}}}}
    any_json = {
        "description": "JSON",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    return {
        "/api/generate": generate,
        "/api/progress/{generation_id}": _get("Progress as Server-Sent Events", sse_ok),
        "/api/status/{generation_id}": _get(
            "Current status", _json(S.StatusResponse, "Status"), not_found="Generation ID not found"
        ),
        "/api/video/{filename}": video,
        "/api/content/{generation_id}": _get(
            "Slides content", any_json, not_found="Content not found"
        ),
        "/api/script/{generation_id}": _get(
            "Narration script", any_json, not_found="Script not found"
        ),
        "/api/subtitles/{generation_id}": _get(
            "Subtitles", vtt_ok, not_found="Subtitles not found"
        ),
        "/api/cancel/{generation_id}": {
            "post": {
                "summary": "Cancel a generation (its owner token, or the admin key)",
                "parameters": [*_id_param(), _OWNER_TOKEN_PARAM],
                "responses": {
                    "200": _json(S.CancelResponse, "Cancelled"),
                    "403": _error("Not the owner of this generation, or a foreign Origin"),
                    "404": _error("Unknown"),
                    "409": _error("Already finished"),
                },
            }
        },
        "/api/generations": {
            "get": {
                "summary": "Generations, newest first",
                "parameters": [
                    {
                        "name": "limit",
                        "in": "query",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                    },
                    {"name": "before", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": _json(S.GenerationsPage, "A page"),
                    "422": _error("Bad cursor or limit"),
                },
            }
        },
        "/api/options": _get(
            "What a request may ask for", _json(S.OptionsResponse, "Options"), param=None
        ),
        "/api/debug/actors": _get("The live actor tree", any_json, param=None),
        "/api/session": _session_paths(),
        "/health": {
            "get": {
                "summary": "Health",
                "responses": {
                    "200": _json(S.HealthResponse, "Healthy"),
                    "503": _json(S.HealthResponse, "Unhealthy"),
                },
            }
        },
    }


def _session_paths() -> dict[str, Any]:
    S = schemas
    who = _json(S.SessionResponse, "Who this browser is signed in as")
    return {
        "get": {"summary": "Who the request is signed in as", "responses": {"200": who}},
        "post": {
            "summary": "Sign in: trade a key for an HttpOnly session cookie",
            "security": [],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref(S.SessionRequest)}},
            },
            "responses": {
                "200": {**who, "headers": {"Set-Cookie": {"schema": {"type": "string"}}}},
                "400": _error("Malformed JSON"),
                "403": _error(_FOREIGN_ORIGIN),
                "404": _error("This server has no keys"),
                "422": _json(S.ValidationErrorResponse, "No key given"),
                "429": _error("Too many sign-in attempts"),
            },
        },
        "delete": {
            "summary": "Sign out: forget the session and clear its cookie",
            "security": [],
            "responses": {
                "204": {"description": "Signed out"},
                "403": _error(_FOREIGN_ORIGIN),
            },
        },
    }


def _with_access_answers(paths: dict[str, Any]) -> dict[str, Any]:
    """Add the 421 every route may give, and the 401 of every keyed `/api/` route."""
    for path, item in paths.items():
        for op in item.values():
            responses = op["responses"]
            responses.setdefault("421", _error(_MISDIRECTED))
            if path.startswith("/api/") and op.get("security") != []:
                responses.setdefault("401", _error(_UNAUTHENTICATED))
    return paths


@cache
def openapi_document(version: str) -> dict[str, Any]:
    """The whole document; built once."""
    _, top = models_json_schema(
        [(m, "validation") for m in _MODELS], ref_template="#/components/schemas/{model}"
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "videogen",
            "version": version,
            "description": "Topic to narrated presentation video.",
        },
        "paths": _with_access_answers(_paths()),
        # Without keys (the default) nothing is required; with keys, a bearer key or the
        # session cookie of `POST /api/session`.
        "security": [{}, {"bearer": []}, {"session": []}],
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "videogen_session"},
            },
        },
    }
