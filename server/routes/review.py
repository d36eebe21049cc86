"""Review before rendering, and revisions: a draft's slides edited, its render, new revisions.

    PATCH  /api/generations/{id}/slides/{n}   edit slide n of a draft,     200 (the draft)
                                              and/or move it ({position})
    POST   /api/generations/{id}/slides       insert {slide, position}     201 (the draft)
    DELETE /api/generations/{id}/slides/{n}   remove slide n               200 (the draft)
    POST   /api/generations/{id}/render       render the draft             202
    POST   /api/generations/{id}/revisions    a new generation, edited     202 (its owner token)

Every one needs the generation's owner token (`X-Owner-Token`) or the admin key. A draft's
answers carry its version as `ETag`; an edit sent with `If-Match` (or `version` in the body)
that is no longer current is refused (409 with the current version), so two edits at once never
lose one silently. What the registry raises is answered in `server.http.error_map`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Final, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from quart import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnprocessableEntity, UnsupportedMediaType

from videogen.actors.runtime.ownership import Owner, issue_token
from videogen.media import editing
from videogen.media.models import MAX_SLIDES
from videogen.server.access.checks import OWNER_TOKEN_HEADER, current_caller
from videogen.server.api.apidoc import documented, header_param, json_answer
from videogen.server.api.schemas import (
    AcceptedResponse,
    DraftResponse,
    RenderResponse,
    ValidationErrorResponse,
    VersionConflictResponse,
)
from videogen.server.api.views import client_id
from videogen.server.http.error_map import InvalidBody
from videogen.server.http.jsonbody import parse_json
from videogen.server.routes.generate import links_for
from videogen.server.state import app_state

if TYPE_CHECKING:
    from videogen.actors.runtime.review import Draft
    from videogen.media.models import Content, GenerationRequest, Script

__all__ = ["blueprint"]

blueprint = Blueprint("review", __name__)

Version = Annotated[int, Field(ge=0, description="The draft version the edit is made against")]


class SlidePatch(editing.SlideEdit):
    """`PATCH …/slides/{n}`: any of title, content_text, narration, layout, and the number
    the slide moves to (`position`)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # Checked against the deck's length by `editing.move_slide` (422 naming the range).
    position: int | None = Field(
        default=None,
        strict=True,
        description="Move the slide to this number (1..n; the slides between shift by one)",
    )
    version: Version | None = None


class SlideInsert(BaseModel):
    """`POST …/slides`: the slide, and the number it becomes (1..n+1; default: last)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    slide: editing.NewSlide
    position: int | None = Field(default=None, ge=1, le=MAX_SLIDES, strict=True)
    version: Version | None = None


class RevisionEdit(editing.SlideEdit):
    """One edit of a revision: the slide it changes, and what changes."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    slide_number: int = Field(ge=1, le=MAX_SLIDES, strict=True)


class RevisionRequest(BaseModel):
    """`POST …/revisions`: the edits, and whether to render at once (else: awaiting_review)."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    edits: tuple[RevisionEdit, ...] = Field(min_length=1, max_length=MAX_SLIDES)
    render: bool = Field(default=True, strict=True)


_EDIT_FIELDS: Final = ("title", "content_text", "narration", "layout")

_OWNER = header_param(
    OWNER_TOKEN_HEADER, "The owner_token the creation answer showed (not needed with the admin key)"
)
_IF_MATCH = header_param("If-Match", 'The draft version (its ETag, "3") the edit is made against')


M = TypeVar("M", bound=BaseModel)


async def _body(model: type[M]) -> M:
    """The JSON body as `model`. Raises `UnsupportedMediaType` (415), `InvalidJSON` (400),
    `UnprocessableEntity` or `InvalidBody` (422)."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise UnsupportedMediaType("Content-Type must be application/json")
    body: Any = parse_json(await request.get_data(as_text=False) or b"null")
    if not isinstance(body, dict):
        raise UnprocessableEntity("The body must be a JSON object")
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        raise InvalidBody(exc) from None


# An `If-Match` that is no version this API gave: it matches none, so the edit is refused (409).
_NO_VERSION: Final = -1
# More digits than any version has (the SSE Last-Event-ID bound, for the same reason).
_MAX_VERSION_DIGITS: Final = 18


def _expected(body_version: int | None) -> int | None:
    """The version an edit is made against: `If-Match` (`"3"`, `W/"3"`; `*` is any), else the
    body's `version`, else None (any); `_NO_VERSION` for an `If-Match` that names none."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return body_version
    tag = raw.removeprefix("W/").strip('"')
    if not (tag.isascii() and tag.isdigit()) or len(tag) > _MAX_VERSION_DIGITS:
        return _NO_VERSION
    return int(tag)


def _draft_answer(draft: Draft, status: int = 200) -> Response:
    body = DraftResponse(
        generation_id=draft.generation_id,
        version=draft.version,
        content_data=draft.content,
        script_data=draft.script,
    )
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = status
    response.headers["ETag"] = f'"{draft.version}"'
    return response


_DRAFT_ERRORS: dict[int, Any] = {
    200: json_answer(DraftResponse, "The draft as it now is (ETag: its version)"),
    403: "Not the owner of this generation",
    409: json_answer(
        VersionConflictResponse,
        "Not awaiting review (the message says what to do instead), or a stale version",
    ),
    415: "Content-Type is not JSON",
    422: json_answer(ValidationErrorResponse, "An edit that breaks a limit, naming the field"),
}


@blueprint.patch("/api/generations/<generation_id>/slides/<int:slide_number>")
@documented(
    _DRAFT_ERRORS,
    body=SlidePatch,
    params=(_OWNER, _IF_MATCH),
    not_found="Generation ID not found, or no such slide",
)
async def edit_slide(generation_id: str, slide_number: int) -> Response:
    """Edit one slide of a draft awaiting review: any of title, content_text, narration,
    layout; with `position`, the slide (edited first, if asked) moves to that number.

    Raises `GenerationNotFound`, `SlideNotFound`, `NotOwner`, `NotAwaitingReview`,
    `VersionConflict`, `EditRejected`.
    """
    patch = await _body(SlidePatch)
    version = _expected(patch.version)
    edit = editing.SlideEdit(**patch.model_dump(include=set(_EDIT_FIELDS), exclude_none=True))
    position = patch.position
    if edit == editing.SlideEdit() and position is None:
        raise UnprocessableEntity(f"Give at least one of {', '.join((*_EDIT_FIELDS, 'position'))}")

    def change(c: Content, s: Script, r: GenerationRequest) -> tuple[Content, Script]:
        if edit != editing.SlideEdit():
            c, s = editing.edit_slide(c, s, slide_number, edit, r)
        if position is not None:
            c, s = editing.move_slide(c, s, slide_number, position, r)
        return c, s

    registry = app_state().require_registry()
    draft = await registry.edit(generation_id, change, caller=current_caller(), version=version)
    return _draft_answer(draft)


@blueprint.post("/api/generations/<generation_id>/slides")
@documented(
    {201 if k == 200 else k: v for k, v in _DRAFT_ERRORS.items()},
    body=SlideInsert,
    params=(_OWNER, _IF_MATCH),
    not_found="Generation ID not found",
)
async def insert_slide(generation_id: str) -> Response:
    """Insert a slide into a draft awaiting review, as slide `position` (default: the last)."""
    insert = await _body(SlideInsert)
    version = _expected(insert.version)

    def change(c: Content, s: Script, r: GenerationRequest) -> tuple[Content, Script]:
        position = insert.position or c.total_slides + 1
        return editing.insert_slide(c, s, insert.slide, position, r)

    registry = app_state().require_registry()
    draft = await registry.edit(generation_id, change, caller=current_caller(), version=version)
    return _draft_answer(draft, 201)


@blueprint.delete("/api/generations/<generation_id>/slides/<int:slide_number>")
@documented(
    {
        **{k: v for k, v in _DRAFT_ERRORS.items() if k not in (415, 422)},
        409: "Not awaiting review, a stale version, or the draft's only slide",
    },
    params=(_OWNER, _IF_MATCH),
    not_found="Generation ID not found, or no such slide",
)
async def delete_slide(generation_id: str, slide_number: int) -> Response:
    """Remove one slide of a draft awaiting review (a draft keeps at least one: 409)."""
    version = _expected(None)

    def change(c: Content, s: Script, r: GenerationRequest) -> tuple[Content, Script]:
        return editing.delete_slide(c, s, slide_number, r)

    registry = app_state().require_registry()
    draft = await registry.edit(generation_id, change, caller=current_caller(), version=version)
    return _draft_answer(draft)


@blueprint.post("/api/generations/<generation_id>/render")
@documented(
    {
        202: json_answer(RenderResponse, "Queued for rendering; follow links.progress"),
        403: "Not the owner of this generation",
        409: "Not awaiting review (the message says what to do instead)",
        503: "Queue full, shutting down or storage failing (Retry-After)",
    },
    params=(_OWNER,),
    not_found="Generation ID not found",
)
async def render(generation_id: str) -> Response:
    """Render a draft awaiting review from its (edited) content and script; its progress
    stream goes on to the render's terminal event."""
    registry = app_state().require_registry()
    gen = await registry.render(generation_id, client=client_id(), caller=current_caller())
    body = RenderResponse(
        generation_id=gen.id,
        message="Rendering the reviewed draft; follow its progress at links.progress",
        links=links_for(gen.id),
    )
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = f"/api/status/{gen.id}"
    return response


@blueprint.post("/api/generations/<generation_id>/revisions")
@documented(
    {
        202: json_answer(AcceptedResponse, "The new generation (its owner token, shown once)"),
        403: "Not the owner of this generation",
        409: "Not completed (the message says what to do instead)",
        415: "Content-Type is not JSON",
        422: json_answer(ValidationErrorResponse, "Bad edits, naming edits.N.field"),
        429: "Rate limited (Retry-After)",
        503: "Queue full, shutting down or storage failing (Retry-After)",
    },
    body=RevisionRequest,
    params=(_OWNER,),
    not_found="Generation ID not found",
)
async def revise(generation_id: str) -> Response:
    """A new generation from a completed one with the edits applied (the parent is never
    changed): rendered at once, or with `"render": false` left awaiting review."""
    body = await _body(RevisionRequest)
    state = app_state()
    client = client_id()
    await state.limiter.admit(client)
    caller = current_caller()
    edits = [
        (
            e.slide_number,
            editing.SlideEdit(**e.model_dump(include=set(_EDIT_FIELDS), exclude_none=True)),
        )
        for e in body.edits
    ]
    token, token_hash = issue_token()
    owner = Owner(user=caller.only_user, token_hash=token_hash)
    nid = await state.require_registry().revise(
        generation_id, edits, render=body.render, owner=owner, client=client, caller=caller
    )
    waiting = "rendering" if body.render else "awaiting review"
    accepted = AcceptedResponse(
        generation_id=nid,
        owner_token=token,
        message=f"Revision of {generation_id} accepted ({waiting}); follow links.progress",
        links=links_for(nid),
        parent_id=generation_id,
    )
    response = jsonify(accepted.model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = f"/api/status/{nid}"
    return response
