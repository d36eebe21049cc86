"""The OpenAPI 3.1 document, generated from the pydantic models in `server.schemas`."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic.json_schema import models_json_schema

from server import schemas

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
)


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
                "summary": "Cancel a generation",
                "parameters": _id_param(),
                "responses": {
                    "200": _json(S.CancelResponse, "Cancelled"),
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
        "paths": _paths(),
        "components": {"schemas": top.get("$defs", {})},
    }
