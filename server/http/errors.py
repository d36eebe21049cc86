"""JSON error responses: `{"detail": ...}` for everything, FastAPI's list shape for 422."""

from __future__ import annotations

from typing import TYPE_CHECKING

from quart import Response, jsonify

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["error", "field_error", "validation_error"]


def error(status: int, detail: str, headers: dict[str, str] | None = None) -> Response:
    """A JSON error response."""
    response = jsonify({"detail": detail})
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _message(err: dict[str, object]) -> str:
    msg = str(err["msg"])
    # pydantic prefixes custom validator messages; the client needs only ours.
    return msg.removeprefix("Value error, ")


def validation_error(exc: ValidationError, *, prefix: str = "body") -> Response:
    """422 with one item per invalid field, naming the field and what is allowed."""
    items = [
        {
            "loc": [prefix, *err["loc"]],
            "msg": _message(dict(err)),
            "type": err["type"],
        }
        for err in exc.errors(include_url=False, include_input=False)
    ]
    response = jsonify({"detail": items})
    response.status_code = 422
    return response


def field_error(loc: tuple[str | int, ...], message: str, kind: str) -> Response:
    """422 for one field (`loc` as FastAPI names it, "body" first), in the validation shape."""
    response = jsonify({"detail": [{"loc": list(loc), "msg": message, "type": kind}]})
    response.status_code = 422
    return response
