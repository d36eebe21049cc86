"""`GET`/`HEAD /api/export/{generation_id}.pptx|.pdf|.zip`: a finished generation's exports.

The PPTX (narration as speaker notes) and the PDF (`?handout=1`: a narration page after each
slide) are drawn on the first request, in a worker thread, and cached beside the video in the
generation's folder, so they go with it (`actors.adapters.exports.ExportCache`; concurrent first
requests draw once). The ZIP (video, subtitles, content, script, PPTX, PDF) is never written:
it is a stored archive whose headers are computed up front, streamed from the member files, so
it has a size, an ETag and byte ranges like any file. 404s, Range, If-Range, ETag and HEAD
behave exactly as for `/api/video/` (`server.http.ranged`): unknown, unfinished and another
user's generations are all "Export not found: <filename>".
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from quart import Blueprint, Response, request
from werkzeug.exceptions import UnprocessableEntity

from videogen.media.exports import Bundle
from videogen.media.exports.bundle import FilePart
from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import (
    CONDITIONAL_ANSWERS,
    CONDITIONAL_PARAMS,
    documented,
    header_param,
    media_answer,
    query_param,
)
from videogen.server.http.ranged import (
    CHUNK_BYTES,
    file_chunks,
    ranged_response,
    stored_response,
)
from videogen.server.state import app_state

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["blueprint"]

blueprint = Blueprint("exports", __name__)

_TYPES: Final = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
_HANDOUT: Final = {"0": False, "1": True}


async def _bundle_chunks(bundle: Bundle, start: int, length: int) -> AsyncIterator[bytes]:
    """The archive's bytes from `start`: headers from memory, members read from their files.

    Pieces are gathered up to `CHUNK_BYTES` before they are sent (a member's header is some
    fifty bytes; one send each would be a frame each), so at most about two chunks are held.
    """
    pending = bytearray()
    for part in bundle.spans(start, length):
        if not isinstance(part, FilePart):
            pending += part
            continue
        async for chunk in file_chunks(part.path, part.offset, part.length):
            pending += chunk
            if len(pending) >= CHUNK_BYTES:
                yield bytes(pending)
                pending.clear()
    if pending:
        yield bytes(pending)


def _disposition(filename: str) -> str:
    """`attachment` under `filename` (RFC 6266): an ASCII fallback, and the real name as
    RFC 8187 UTF-8 (a generation id keeps the topic's letters, and headers are Latin-1)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _handout() -> bool:
    """`?handout=`, 0 or 1. Raises `UnprocessableEntity` naming the allowed values."""
    value = request.args.get("handout", "0")
    if value not in _HANDOUT:
        raise UnprocessableEntity(f"handout must be one of {', '.join(_HANDOUT)}, not {value!r}")
    return _HANDOUT[value]


_ANSWER = {kind: media_answer(t, f"The {kind.upper()}", binary=True) for kind, t in _TYPES.items()}


@blueprint.route("/api/export/<filename>", methods=["GET", "HEAD"])
@documented(
    {
        200: {
            "description": "The export: PPTX, PDF or ZIP, by the name's suffix",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in _TYPES.values()
            },
        },
        206: "One range of the export",
        416: "Range not satisfiable",
        **CONDITIONAL_ANSWERS,
        422: "Bad handout value (0 or 1)",
    },
    params=(
        header_param("Range", "bytes=START-END, one range"),
        header_param("If-Range"),
        *CONDITIONAL_PARAMS,
        query_param("handout", {"type": "string", "enum": list(_HANDOUT)}, "PDF: narration pages"),
    ),
    not_found="Export not found: <filename> (unknown, unfinished or another user's)",
    head=True,
)
async def export(filename: str) -> Response:
    """`<id>.pptx`, `<id>.pdf` or `<id>.zip`, whole (200) or one range (206); 416 when the
    range cannot be served. Raises `ExportNotFound` (404) as the video route does."""
    handout = _handout()
    registry = app_state().require_registry()
    found = await registry.export(filename, handout=handout, caller=current_caller())
    kind = filename.rsplit(".", 1)[1]
    disposition = {"Content-Disposition": _disposition(filename)}
    if isinstance(found, Bundle):
        bundle = found
        return ranged_response(
            size=bundle.size,
            etag=bundle.etag,
            mtime=bundle.mtime,
            content_type=_TYPES[kind],
            chunks=functools.partial(_bundle_chunks, bundle),
            headers=disposition,
        )
    return await stored_response(
        registry.files,
        found,
        content_type=_TYPES[kind],
        presign=registry.config.storage_presign,
        headers=disposition,
    )
