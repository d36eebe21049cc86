"""Read-only routes: status, content, script, subtitles, the generations list and the options.

Every `{generation_id}` here also accepts the documented topic ID (the alias), which resolves
to the newest generation of that topic.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Final

import trio
from quart import Blueprint, Response, jsonify, request

from videogen.actors.errors import GenerationNotFound
from videogen.media.fonts import font_available
from videogen.media.languages import LANGUAGES
from videogen.media.models import (
    ASPECT_RATIOS,
    MAX_NARRATION_CHARS,
    MAX_SLIDES,
    MAX_SOURCE_CHARS,
    MAX_SPEECH_RATE,
    MAX_TOPIC_CHARS,
    MAX_VIDEO_SECONDS,
    MIN_SPEECH_RATE,
    THEMES,
    TONES,
)
from videogen.server.access import current_caller, listing_owner
from videogen.server.http_errors import error
from videogen.server.schemas import GenerationsPage, LanguageOption, OptionsResponse
from videogen.server.state import app_state
from videogen.server.views import status_of

if TYPE_CHECKING:
    from videogen.actors.adapters.store import GenerationRecord

__all__ = ["blueprint"]

blueprint = Blueprint("read", __name__)

MAX_PAGE: Final = 100


async def _record(key: str) -> GenerationRecord | None:
    try:
        return await app_state().require_registry().record(key, caller=current_caller())
    except GenerationNotFound:
        return None


@blueprint.get("/api/status/<generation_id>")
async def status(generation_id: str) -> Response:
    """The generation's current status; 404 when unknown."""
    record = await _record(generation_id)
    if record is None:
        return error(404, "Generation ID not found")
    live = app_state().require_registry().live(record.id)
    return jsonify(status_of(record, live).model_dump(mode="json", exclude_none=True))


@blueprint.get("/api/content/<generation_id>")
async def content(generation_id: str) -> Response:
    """The slides' content (`content_data`), once written."""
    record = await _record(generation_id)
    if record is None or record.content is None:
        return error(404, "Content not found")
    return jsonify(record.content)


@blueprint.get("/api/script/<generation_id>")
async def script(generation_id: str) -> Response:
    """The narration with the timings measured from the real audio (`script_data`)."""
    record = await _record(generation_id)
    if record is None or record.script is None:
        return error(404, "Script not found")
    return jsonify(record.script)


@blueprint.get("/api/subtitles/<generation_id>")
async def subtitles(generation_id: str) -> Response:
    """WebVTT cues timed from the real narration (`?format=srt` for SubRip)."""
    record = await _record(generation_id)
    if record is None or record.subtitles is None:
        return error(404, "Subtitles not found")
    if request.args.get("format") == "srt":
        folder = app_state().require_registry().config.generations_dir / record.id
        srt = await trio.Path(folder / f"{record.id}.srt").read_text(encoding="utf-8")
        return Response(srt, content_type="application/x-subrip; charset=utf-8")
    return Response(record.subtitles, content_type="text/vtt; charset=utf-8")


def _page_args() -> tuple[int, float | None] | Response:
    try:
        limit = int(request.args.get("limit", "20"))
        raw_before = request.args.get("before")
        before = float(raw_before) if raw_before else None
    except ValueError:
        return error(422, "limit must be an integer and before a cursor from a previous page")
    if before is not None and not math.isfinite(before):
        # float() reads "nan" and "inf"; no page starts there (nan compares false with anything).
        return error(422, "before must be a finite number: the next cursor of a previous page")
    if not 1 <= limit <= MAX_PAGE:
        return error(422, f"limit must be between 1 and {MAX_PAGE}")
    return limit, before


@blueprint.get("/api/generations")
async def generations() -> Response:
    """Generations newest first; `next` is the `before` cursor of the following page.

    Only the caller's own, unless it is the admin or the server the default single-user one
    (see `server.access.listing_owner`).
    """
    args = _page_args()
    if isinstance(args, Response):
        return args
    limit, before = args
    registry = app_state().require_registry()
    user, client = listing_owner()
    records = await registry.store.listing(limit=limit + 1, before=before, user=user, client=client)
    page = records[:limit]
    items = [status_of(r, registry.live(r.id)) for r in page]
    cursor = repr(page[-1].created_at) if len(records) > limit else None
    page_model = GenerationsPage(generations=items, next=cursor)
    body = page_model.model_dump(mode="json", exclude_none=True)
    body["next"] = cursor  # present even on the last page
    return jsonify(body)


@blueprint.get("/api/options")
async def options() -> Response:
    """What a request may ask for, and what this machine can actually speak and draw."""
    state = app_state()
    languages = [
        LanguageOption(
            name=lang.name,
            code=lang.bcp47,
            voice=lang.voice,
            voice_available=True,
            font_available=font_available(lang.name),
            rtl=lang.rtl,
        )
        for lang in LANGUAGES.values()
    ]
    body = OptionsResponse(
        languages=languages,
        tones=list(TONES),
        aspect_ratios=list(ASPECT_RATIOS),
        themes=list(THEMES),
        subtitles=["sidecar", "burned", "none"],
        writer=state.writer_name,
        limits={
            "topic_chars": MAX_TOPIC_CHARS,
            "num_slides": {"min": 1, "max": MAX_SLIDES, "default": 5},
            "speech_rate": {"min": MIN_SPEECH_RATE, "max": MAX_SPEECH_RATE},
            "source_text_chars": MAX_SOURCE_CHARS,
            # The user's slides, all together: narration characters, and the video's length
            # estimated from the narration's words at the request's speech rate.
            "narration_chars": MAX_NARRATION_CHARS,
            "video_seconds": MAX_VIDEO_SECONDS,
            "max_running": state.settings.max_running,
            "max_queued": state.settings.max_queued,
        },
    )
    return jsonify(body.model_dump(mode="json"))
