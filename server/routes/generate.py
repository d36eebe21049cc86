"""Starting and cancelling generations: `POST /api/generate`, `POST /api/cancel/{id}`.

Every creation answer carries the generation's owner token, shown once; the registry keeps
only its hash and refuses a change without it (`NotOwner`). What either route raises is answered
in `server.error_map`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from quart import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnprocessableEntity, UnsupportedMediaType

from videogen.actors.adapters.sources import prepare_sources
from videogen.actors.runtime.ids import video_filename
from videogen.actors.runtime.ownership import Owner, issue_token
from videogen.media.models import GenerationRequest
from videogen.server.access.checks import OWNER_TOKEN_HEADER, current_caller
from videogen.server.api.apidoc import documented, header_param, json_answer
from videogen.server.api.schemas import (
    AcceptedResponse,
    CancelResponse,
    GenerateResponse,
    Links,
    ValidationErrorResponse,
)
from videogen.server.api.views import client_id
from videogen.server.http.error_map import InvalidBody
from videogen.server.http.errors import error
from videogen.server.http.jsonbody import parse_json
from videogen.server.state import app_state

if TYPE_CHECKING:
    from videogen.actors.runtime.events import ProgressEvent
    from videogen.actors.runtime.generation import Generation
    from videogen.actors.runtime.ownership import Caller

__all__ = ["Admitted", "blueprint", "links_for", "parse_generate_body", "submit"]

blueprint = Blueprint("generate", __name__)


async def parse_generate_body() -> GenerationRequest:
    """The validated body. Raises `UnsupportedMediaType` (415), `InvalidJSON` (400),
    `UnprocessableEntity` or `InvalidBody` (422)."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise UnsupportedMediaType("Content-Type must be application/json")
    raw = await request.get_data(as_text=False)
    body: Any = parse_json(raw or b"null")
    if not isinstance(body, dict):
        raise UnprocessableEntity("The body must be a JSON object with at least a topic")
    try:
        return GenerationRequest.model_validate(body)
    except ValidationError as exc:
        raise InvalidBody(exc) from None


def links_for(gid: str) -> Links:
    """The URLs of everything about one generation."""
    return Links(
        status=f"/api/status/{gid}",
        progress=f"/api/progress/{gid}",
        content=f"/api/content/{gid}",
        script=f"/api/script/{gid}",
        subtitles=f"/api/subtitles/{gid}",
        video=f"/api/video/{video_filename(gid)}",
        cancel=f"/api/cancel/{gid}",
        render=f"/api/generations/{gid}/render",
        slides=f"/api/generations/{gid}/slides",
        revisions=f"/api/generations/{gid}/revisions",
    )


@dataclass(frozen=True, slots=True)
class Admitted:
    """A generation just admitted, and its owner token (to show once, never again)."""

    generation: Generation
    owner_token: str


async def submit(req: GenerationRequest, client: str, caller: Caller) -> Admitted:
    """Rate-limit, make the sources ready (uploads checked, URLs fetched and stored: see
    `actors.adapters.sources`), then admit as `caller`'s. Raises `RateLimited`,
    `SourceRejected` or `AdmissionRefused`."""
    state = app_state()
    await state.limiter.admit(client)
    req = await prepare_sources(req, state.uploads, state.fetcher)
    token, token_hash = issue_token()
    owner = Owner(user=caller.only_user, token_hash=token_hash)
    gen = await state.require_registry().submit(req, client=client, owner=owner)
    return Admitted(gen, token)


async def _terminal(gen: Generation) -> ProgressEvent:
    """The generation's terminal event, or `awaiting_review` (a draft stops there). Through
    the registry: a generation waiting in the cluster's line runs on whichever replica claims
    it (`actors.runtime.pulling`), not in `gen`."""
    with await app_state().require_registry().subscribe(gen.id) as events:
        last = None
        async for event in events:
            last = event
            if event.status == "awaiting_review":
                break
    assert last is not None
    return last


async def _finished_response(gen: Generation, owner_token: str) -> Response:
    last = await _terminal(gen)
    if last.status == "cancelled":
        return error(409, "Generation cancelled")
    if last.status == "interrupted":
        return error(503, "Generation interrupted: the server stopped", {"Retry-After": "5"})
    record = await app_state().require_registry().record(gen.id, alias=False)
    ended = last.status in ("completed", "awaiting_review")
    if not ended or record.content is None or record.script is None:
        return error(500, record.error or last.message)
    if last.status == "awaiting_review":
        draft = GenerateResponse(
            message="Content and narration ready for review; edit the slides, then render",
            generation_id=gen.id,
            owner_token=owner_token,
            content_data=record.content,  # type: ignore[arg-type]
            script_data=record.script,  # type: ignore[arg-type]
            video_path=None,
            video_filename=None,
            review_status="awaiting_review",
            version=record.version,
        )
        response = jsonify(draft.model_dump(mode="json"))
        response.headers["ETag"] = f'"{record.version}"'
        return response
    name = video_filename(gen.id)
    body = GenerateResponse(
        message="Presentation video generated successfully",
        generation_id=gen.id,
        owner_token=owner_token,
        content_data=record.content,  # type: ignore[arg-type]
        script_data=record.script,  # type: ignore[arg-type]
        video_path=f"/api/video/{name}",
        video_filename=name,
    )
    # The documented body of a finished video: the draft's two fields are not part of it.
    return jsonify(body.model_dump(mode="json", exclude={"review_status", "version"}))


def _prefers_async() -> bool:
    prefer = request.headers.get("Prefer", "")
    return any(p.split(";")[0].strip().lower() == "respond-async" for p in prefer.split(","))


@blueprint.post("/api/generate")
@documented(
    {
        200: json_answer(
            GenerateResponse, 'The finished video; with "render": false, the draft to review'
        ),
        202: json_answer(AcceptedResponse, "Accepted (Prefer: respond-async)"),
        409: "Cancelled while the request waited",
        415: "Content-Type is not JSON",
        422: json_answer(
            ValidationErrorResponse,
            "Invalid fields, or a source that cannot be used (an unknown upload_id; a URL "
            "that is private, too big, too slow, not text, or given without --online)",
        ),
        429: "Rate limited (Retry-After)",
        500: "The generation failed",
        503: "Queue full, shutting down, storage failing or interrupted (Retry-After)",
    },
    body=GenerationRequest,
    params=(header_param("Prefer", "respond-async: answer 202 at once"),),
    summary="Start a generation (blocking; `Prefer: respond-async` for 202)",
)
async def generate() -> Response:
    """Blocking by default (the documented behaviour); 202 at once with `Prefer: respond-async`.

    The generation belongs to the registry: a client that disconnects does not cancel it.
    """
    req = await parse_generate_body()
    admitted = await submit(req, client_id(), current_caller())
    gen = admitted.generation
    if not _prefers_async():
        response = await _finished_response(gen, admitted.owner_token)
        response.timeout = None
        return response
    accepted = AcceptedResponse(
        generation_id=gen.id,
        owner_token=admitted.owner_token,
        message="Generation accepted; follow its progress at links.progress",
        links=links_for(gen.id),
    )
    response = jsonify(accepted.model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = f"/api/status/{gen.id}"
    response.headers["Preference-Applied"] = "respond-async"
    return response


@blueprint.post("/api/cancel/<generation_id>")
@documented(
    {
        200: json_answer(CancelResponse, "Cancelled"),
        403: "Not the owner of this generation",
        409: "Already finished",
    },
    params=(
        header_param(
            OWNER_TOKEN_HEADER,
            "The owner_token the creation answer showed (not needed with the admin key)",
        ),
    ),
    not_found="Generation ID not found",
)
async def cancel(generation_id: str) -> Response:
    """Cancel by exact id (never an alias); answers once its tasks and processes are gone.

    Needs `X-Owner-Token` or the admin key. Raises `GenerationNotFound`, `NotOwner` or
    `AlreadyFinished`.
    """
    registry = app_state().require_registry()
    await registry.cancel(generation_id, caller=current_caller())
    return jsonify(CancelResponse(generation_id=generation_id).model_dump(mode="json"))
