"""What a route says about itself for `/openapi.json`, written where the route is defined.

    @blueprint.get("/api/status/<generation_id>")
    @documented({200: json_answer(StatusResponse, "Status")}, not_found="Generation ID not found")
    async def status(generation_id: str) -> Response:
        \"\"\"The generation's current status; 404 when unknown.\"\"\"   ← the summary

A route lists its successes and the errors only it gives; `server.openapi` adds those every route
of its kind gives (421 always; 401 when keys guard it; 403 when it changes something; 404 when
its path names something; 400, 413 and 422 when it takes a JSON body, 413 and 422 a file) and
its path, methods and path parameters from the app's url_map. A route without `@documented`
still appears, as "200 OK".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeVar

from videogen.server.api.schemas import ErrorResponse

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "ATTRIBUTE",
    "CONDITIONAL_ANSWERS",
    "CONDITIONAL_PARAMS",
    "RouteDoc",
    "documented",
    "error_answer",
    "header_param",
    "json_answer",
    "media_answer",
    "query_param",
    "ref",
    "route_doc",
]

# Where `documented` keeps a view function's `RouteDoc`.
ATTRIBUTE: Final = "__apidoc__"

Answer = dict[str, Any]
"""An OpenAPI response object."""
Param = dict[str, Any]
"""An OpenAPI parameter object."""

_View = TypeVar("_View", bound=Callable[..., Any])


def ref(model: type[BaseModel]) -> dict[str, str]:
    """A reference to `model`'s schema in the document's components."""
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def json_answer(model: type[BaseModel] | None, description: str) -> Answer:
    """A JSON answer shaped by `model` (None: any JSON object)."""
    schema: dict[str, Any] = ref(model) if model is not None else {"type": "object"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def media_answer(media_type: str, description: str, *, binary: bool = False) -> Answer:
    """A body of `media_type` (a string; `binary` for bytes)."""
    schema = {"type": "string", "format": "binary"} if binary else {"type": "string"}
    return {"description": description, "content": {media_type: {"schema": schema}}}


def error_answer(description: str) -> Answer:
    """`{"detail": "..."}`, as `server.error_map` answers."""
    return json_answer(ErrorResponse, description)


def header_param(name: str, description: str = "") -> Param:
    """An optional request header."""
    return {"name": name, "in": "header", "description": description, "schema": {"type": "string"}}


# The preconditions a download honours (RFC 9110 §13; `server.http.conditional`), and what
# they answer.
CONDITIONAL_PARAMS: Final = (
    header_param("If-None-Match", "entity tags of a cached copy: 304 when one is current"),
    header_param("If-Modified-Since", "an HTTP-date: 304 when not changed since"),
    header_param("If-Match", "entity tags: 412 unless one is current"),
    header_param("If-Unmodified-Since", "an HTTP-date: 412 when changed since"),
)
CONDITIONAL_ANSWERS: Final[dict[int, Answer | str]] = {
    304: {"description": "Not modified: the copy the request names is current (no content)"},
    412: "Precondition failed: the file is not the one If-Match or If-Unmodified-Since names",
}


def query_param(name: str, schema: dict[str, Any], description: str = "") -> Param:
    """An optional query parameter."""
    return {"name": name, "in": "query", "description": description, "schema": schema}


@dataclass(frozen=True, slots=True)
class RouteDoc:
    """One route's own part of the description (see the module's docstring)."""

    answers: Mapping[int, Answer] = field(default_factory=lambda: {200: {"description": "OK"}})
    body: type[BaseModel] | None = None
    params: tuple[Param, ...] = ()
    summary: str | None = None
    not_found: str | None = "Not found"
    """The 404's detail when the path names something (None: it never answers 404)."""
    head: bool = False
    """Whether HEAD is part of its contract (every GET answers it; only some promise it)."""
    file_field: str | None = None
    """The multipart field of a route whose body is one file (`POST /api/uploads`)."""


def documented(
    answers: Mapping[int, Answer | str],
    *,
    body: type[BaseModel] | None = None,
    params: tuple[Param, ...] = (),
    summary: str | None = None,
    not_found: str | None = "Not found",
    head: bool = False,
    file_field: str | None = None,
) -> Callable[[_View], _View]:
    """Attach a `RouteDoc` to the view. A string answer is an error's description."""
    doc = RouteDoc(
        answers={
            status: error_answer(a) if isinstance(a, str) else a for status, a in answers.items()
        },
        body=body,
        params=params,
        summary=summary,
        not_found=not_found,
        head=head,
        file_field=file_field,
    )

    def mark(view: _View) -> _View:
        setattr(view, ATTRIBUTE, doc)
        return view

    return mark


def route_doc(view: Callable[..., Any]) -> RouteDoc:
    """The view's `RouteDoc`, or the default one."""
    doc = getattr(view, ATTRIBUTE, None)
    return doc if isinstance(doc, RouteDoc) else RouteDoc()
