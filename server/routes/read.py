"""Read-only routes: status, content, script, subtitles, the generations list and the options.

Every `{generation_id}` here also accepts the documented topic ID (the alias), which resolves
to the newest generation of that topic. Unknown ones (and another user's) raise the registry's
`NotFound`, answered 404 in `server.error_map`.
"""

from __future__ import annotations

import math
from typing import Final

from quart import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnprocessableEntity

from videogen.media.languages import LANGUAGES
from videogen.media.models import (
    ASPECT_RATIOS,
    KNOWLEDGE_MODES,
    LAYOUTS,
    REQUEST_LIMITS,
    RESOLUTIONS,
    SUBTITLE_MODES,
    THEMES,
    TONES,
)
from videogen.server.access.checks import current_caller, listing_owner
from videogen.server.api.apidoc import documented, json_answer, query_param
from videogen.server.api.schemas import (
    GenerationsPage,
    LanguageOption,
    OptionsResponse,
    StatusResponse,
)
from videogen.server.api.views import status_of
from videogen.server.state import app_state

__all__ = ["blueprint"]

blueprint = Blueprint("read", __name__)

MAX_PAGE: Final = 100


@blueprint.get("/api/status/<generation_id>")
@documented({200: json_answer(StatusResponse, "Status")}, not_found="Generation ID not found")
async def status(generation_id: str) -> Response:
    """The generation's current status; 404 when unknown."""
    registry = app_state().require_registry()
    record = await registry.record(generation_id, caller=current_caller())
    live = registry.live(record.id)
    # Not live here: it may wait in the cluster's line (PostgreSQL with replicas).
    waiting = await registry.waiting_position(record) if live is None else None
    body = status_of(record, live, waiting=waiting)
    return jsonify(body.model_dump(mode="json", exclude_none=True))


@blueprint.get("/api/content/<generation_id>")
@documented({200: json_answer(None, "content_data")}, not_found="Content not found")
async def content(generation_id: str) -> Response:
    """The slides' content (`content_data`), once written."""
    registry = app_state().require_registry()
    return jsonify(await registry.content(generation_id, caller=current_caller()))


@blueprint.get("/api/script/<generation_id>")
@documented({200: json_answer(None, "script_data")}, not_found="Script not found")
async def script(generation_id: str) -> Response:
    """The narration with the timings measured from the real audio (`script_data`)."""
    registry = app_state().require_registry()
    return jsonify(await registry.script(generation_id, caller=current_caller()))


# `?format=` of the subtitles; the first is the default.
_SUBTITLE_FORMATS: Final = ("vtt", "srt")


@blueprint.get("/api/subtitles/<generation_id>")
@documented(
    {
        200: {
            "description": "WebVTT (SubRip with format=srt)",
            "content": {
                "text/vtt": {"schema": {"type": "string"}},
                "application/x-subrip": {"schema": {"type": "string"}},
            },
        },
        422: "Unknown format: one of vtt, srt",
    },
    params=(query_param("format", {"type": "string", "enum": list(_SUBTITLE_FORMATS)}),),
    not_found="Subtitles not found",
)
async def subtitles(generation_id: str) -> Response:
    """WebVTT cues timed from the real narration (`?format=srt` for SubRip)."""
    registry = app_state().require_registry()
    kind = request.args.get("format", "vtt")
    if kind not in _SUBTITLE_FORMATS:
        allowed = ", ".join(_SUBTITLE_FORMATS)
        raise UnprocessableEntity(f"format must be one of {allowed}, not {kind!r}")
    srt = kind == "srt"
    text = await registry.subtitles(generation_id, srt=srt, caller=current_caller())
    kind = "application/x-subrip" if srt else "text/vtt"
    return Response(text, content_type=f"{kind}; charset=utf-8")


def _page_args() -> tuple[int, float | None]:
    """`limit` and `before` of a listing. Raises `UnprocessableEntity` naming the bad one."""
    try:
        limit = int(request.args.get("limit", "20"))
        raw_before = request.args.get("before")
        before = float(raw_before) if raw_before else None
    except ValueError:
        raise UnprocessableEntity(
            "limit must be an integer and before a cursor from a previous page"
        ) from None
    if before is not None and not math.isfinite(before):
        # float() reads "nan" and "inf"; no page starts there (nan compares false with anything).
        raise UnprocessableEntity(
            "before must be a finite number: the next cursor of a previous page"
        )
    if not 1 <= limit <= MAX_PAGE:
        raise UnprocessableEntity(f"limit must be between 1 and {MAX_PAGE}")
    return limit, before


@blueprint.get("/api/generations")
@documented(
    {200: json_answer(GenerationsPage, "A page"), 422: "Bad cursor or limit"},
    params=(
        query_param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}),
        query_param("before", {"type": "string"}, "The `next` of the previous page"),
    ),
)
async def generations() -> Response:
    """Generations newest first; `next` is the `before` cursor of the following page.

    Only the caller's own, unless it is the admin or the server the default single-user one
    (see `server.access.listing_owner`).
    """
    limit, before = _page_args()
    registry = app_state().require_registry()
    user, client = listing_owner()
    page, following = await registry.page(limit=limit, before=before, user=user, client=client)
    items = [status_of(r, registry.live(r.id)) for r in page]
    cursor = repr(following) if following is not None else None
    page_model = GenerationsPage(generations=items, next=cursor)
    body = page_model.model_dump(mode="json", exclude_none=True)
    body["next"] = cursor  # present even on the last page
    return jsonify(body)


@blueprint.get("/api/options")
@documented({200: json_answer(OptionsResponse, "Options")})
async def options() -> Response:
    """What a request may ask for, and what this machine can actually speak and draw (its
    fonts were looked up once, at startup)."""
    state = app_state()
    languages = [
        LanguageOption(
            name=lang.name,
            code=lang.bcp47,
            voice=lang.voice,
            voice_available=True,
            font_available=state.fonts.get(lang.name, False),
            rtl=lang.rtl,
        )
        for lang in LANGUAGES.values()
    ]
    body = OptionsResponse(
        languages=languages,
        tones=list(TONES),
        aspect_ratios=list(ASPECT_RATIOS),
        resolutions=list(RESOLUTIONS),
        themes=list(THEMES),
        subtitles=list(SUBTITLE_MODES),
        writer=state.writer.name,
        knowledge=list(KNOWLEDGE_MODES),
        sources=state.require_registry().media.knowledge_sources(),
        source_types=["text", "upload", *(["url"] if state.settings.online else [])],
        layouts=list(LAYOUTS),
        limits={
            **REQUEST_LIMITS,
            "max_running": state.settings.max_running,
            "max_queued": state.settings.max_queued,
            "upload_bytes": state.settings.max_upload_bytes,
        },
    )
    return jsonify(body.model_dump(mode="json"))
