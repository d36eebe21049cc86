"""`GET /api/chapters/{generation_id}`: a finished video's chapters, one per slide.

WebVTT (`text/vtt`, the page's `<track kind="chapters">`) by default, `?format=youtube` the
`0:00 Title` lines for a video description (empty when YouTube's rules allow no chapters). The
same 404 as the video for an unknown, unfinished or another user's generation.
"""

from __future__ import annotations

from typing import Final

from quart import Blueprint, Response, request
from werkzeug.exceptions import UnprocessableEntity

from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import documented, query_param
from videogen.server.state import app_state

__all__ = ["FORMATS", "blueprint"]

blueprint = Blueprint("chapters", __name__)

# `format` values and the media type each answers with.
FORMATS: Final = {"vtt": "text/vtt", "youtube": "text/plain"}


@blueprint.get("/api/chapters/<generation_id>")
@documented(
    {
        200: {
            "description": "WebVTT chapters (`0:00 Title` lines with format=youtube)",
            "content": {
                "text/vtt": {"schema": {"type": "string"}},
                "text/plain": {"schema": {"type": "string"}},
            },
        }
    },
    params=(query_param("format", {"type": "string", "enum": list(FORMATS)}),),
    not_found="Chapters not found (unknown, unfinished or another user's generation)",
)
async def chapters(generation_id: str) -> Response:
    """A cue per slide titled with it; 422 naming `format` for another value."""
    kind = request.args.get("format", "vtt")
    if kind not in FORMATS:
        raise UnprocessableEntity(f"format must be one of {', '.join(FORMATS)}, not {kind!r}")
    registry = app_state().require_registry()
    text = await registry.chapters(
        generation_id, youtube=kind == "youtube", caller=current_caller()
    )
    return Response(text, content_type=f"{FORMATS[kind]}; charset=utf-8")
