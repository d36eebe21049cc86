"""The OpenAPI 3.1 document, derived from the app's routes and the pydantic models.

Paths, methods and path parameters come from the app's url_map, so a new route appears on its
own; what each route answers comes from its `@documented` (`server.apidoc`) and its docstring,
plus what every route of its kind answers because of `server.access` and `server.error_map`:

    421  every route (a Host this server does not answer to)
    401  every route a keyed server guards (`access.key_required`)
    403  every route that changes something, and the WebSocket handshake (a foreign Origin)
    404  every route whose path names something (its `not_found` detail)
    400, 413, 422  every route that takes a JSON body
    413, 422       every route that takes a file (multipart, `file_field`)

The WebSocket (`/api/ws`) is described as its handshake, a GET answered 101, marked
`x-websocket`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

from pydantic.json_schema import models_json_schema

from videogen.server.access.checks import SAFE_METHODS, key_required
from videogen.server.access.sessions import COOKIE
from videogen.server.api import schemas
from videogen.server.api.apidoc import error_answer, json_answer, ref, route_doc

if TYPE_CHECKING:
    from pydantic import BaseModel
    from quart import Quart
    from werkzeug.routing import Rule

    from videogen.server.api.apidoc import Answer, RouteDoc

__all__ = ["openapi_document", "openapi_path"]

_MODELS: tuple[type[BaseModel], ...] = (
    schemas.GenerationRequest,
    schemas.GenerateResponse,
    schemas.AcceptedResponse,
    schemas.StatusResponse,
    schemas.UploadResponse,
    schemas.GenerationsPage,
    schemas.CancelResponse,
    schemas.HealthResponse,
    schemas.OptionsResponse,
    schemas.ErrorResponse,
    schemas.ValidationErrorResponse,
    schemas.SessionRequest,
    schemas.SessionResponse,
)

# Methods every route answers without promising them: HEAD of a GET, and CORS preflights.
_IMPLIED: Final = frozenset({"HEAD", "OPTIONS"})
_ARGUMENT: Final = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")

_MISDIRECTED = "Host not allowed (a loopback server answers only to loopback or allowed names)"
_FOREIGN_ORIGIN = "Origin not allowed (neither a CORS origin nor this server's own)"
_UNAUTHENTICATED = "Not authenticated (this server has keys: send Authorization: Bearer KEY)"


def openapi_path(rule: str) -> str:
    """A werkzeug rule as an OpenAPI path: `/api/status/<generation_id>` →
    `/api/status/{generation_id}`, `/static/<path:path>` → `/static/{path}`."""
    return _ARGUMENT.sub(r"{\1}", rule)


def _add(responses: dict[str, Answer], status: int, answer: Answer) -> None:
    """Add `status`, or (for an error the route already lists) join both descriptions."""
    key = str(status)
    if key not in responses:
        responses[key] = answer
    elif answer["description"] not in responses[key]["description"]:
        joined = f"{responses[key]['description']}; or: {answer['description']}"
        responses[key] = {**responses[key], "description": joined}


def _operation(rule: Rule, method: str, doc: RouteDoc, summary: str) -> dict[str, Any]:
    responses = {str(status): answer for status, answer in sorted(doc.answers.items())}
    keyed = key_required(method, rule.rule)
    if keyed:
        _add(responses, 401, error_answer(_UNAUTHENTICATED))
    if rule.websocket or method not in SAFE_METHODS:
        _add(responses, 403, error_answer(_FOREIGN_ORIGIN))
    if rule.arguments and doc.not_found is not None:
        _add(responses, 404, error_answer(doc.not_found))
    if doc.body is not None:
        _add(responses, 400, error_answer("Malformed JSON"))
        _add(responses, 413, error_answer("Body too large"))
        _add(responses, 422, json_answer(schemas.ValidationErrorResponse, "Invalid fields"))
    if doc.file_field is not None:
        _add(responses, 413, error_answer("File too large"))
        _add(responses, 422, json_answer(schemas.ValidationErrorResponse, "Invalid file"))
    _add(responses, 421, error_answer(_MISDIRECTED))
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in sorted(rule.arguments)
    ]
    op: dict[str, Any] = {
        "operationId": f"{rule.endpoint}.{method.lower()}",
        "summary": summary,
        "responses": dict(sorted(responses.items())),
    }
    if params or doc.params:
        op["parameters"] = [*params, *doc.params]
    if doc.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(doc.body)}},
        }
    elif doc.file_field is not None:
        form = {
            "type": "object",
            "properties": {doc.file_field: {"type": "string", "format": "binary"}},
            "required": [doc.file_field],
        }
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": form}}}
    if not keyed:
        op["security"] = []  # never asks for a key, even on a keyed server
    if rule.websocket:
        op["x-websocket"] = True
    return op


def _summary(view: Any, doc: RouteDoc) -> str:
    if doc.summary:
        return doc.summary
    text = (view.__doc__ or "").strip()
    return text.split("\n\n", 1)[0].replace("\n", " ") or view.__name__


def _paths(app: Quart) -> dict[str, dict[str, Any]]:
    paths: dict[str, dict[str, Any]] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        doc = route_doc(view)
        methods = set(rule.methods or ()) - _IMPLIED
        if doc.head:
            methods.add("HEAD")
        item = paths.setdefault(openapi_path(rule.rule), {})
        for method in sorted(methods):
            item[method.lower()] = _operation(rule, method, doc, _summary(view, doc))
    return paths


def openapi_document(app: Quart, version: str) -> dict[str, Any]:
    """The whole document for `app` (build it once: its routes do not change)."""
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
        "paths": _paths(app),
        # Without keys (the default) nothing is required; with keys, a bearer key or the
        # session cookie of `POST /api/session`.
        "security": [{}, {"bearer": []}, {"session": []}],
        "components": {
            "schemas": top.get("$defs", {}),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": COOKIE},
            },
        },
    }
