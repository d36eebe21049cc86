"""`GET`/`HEAD /api/video/{filename}`: finished videos with byte ranges (RFC 9110 §14).

Only a completed generation's file is ever served (the encoder writes under another name and
renames after verification, and it is published to the artifact store before `completed` is
recorded). Bodies stream from the store (a file, or ranged GETs of an S3 object) in large
chunks, so memory stays flat whatever the size, and carry no response timeout; with
`--storage-presign` the answer is a redirect to a presigned URL of the object.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quart import Blueprint

from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import (
    CONDITIONAL_ANSWERS,
    CONDITIONAL_PARAMS,
    documented,
    header_param,
    media_answer,
)
from videogen.server.http.ranged import file_chunks, stored_response
from videogen.server.state import app_state

if TYPE_CHECKING:
    from quart import Response

__all__ = ["blueprint", "file_chunks"]

blueprint = Blueprint("video", __name__)


_VIDEO = media_answer("video/mp4", "The video", binary=True)


@blueprint.route("/api/video/<filename>", methods=["GET", "HEAD"])
@documented(
    {200: _VIDEO, 206: _VIDEO, 416: "Range not satisfiable", **CONDITIONAL_ANSWERS},
    params=(
        header_param("Range", "bytes=START-END, one range"),
        header_param("If-Range"),
        *CONDITIONAL_PARAMS,
    ),
    not_found="Video not found: <filename> (unknown, unfinished or another user's)",
    head=True,
)
async def video(filename: str) -> Response:
    """The video, whole (200) or one range (206); 416 when the range cannot be served, 304
    or 412 when the request's preconditions say so.

    Raises `VideoNotFound` (404) for anything but a finished video the caller may see.
    """
    registry = app_state().require_registry()
    video = await registry.video(filename, caller=current_caller())
    presign = registry.config.storage_presign
    return await stored_response(registry.files, video, content_type="video/mp4", presign=presign)
