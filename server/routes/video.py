"""`GET`/`HEAD /api/video/{filename}`: finished videos with byte ranges (RFC 9110 §14).

Only a completed generation's file is ever served (the encoder writes under another name and
renames after verification). Bodies stream from disk in large chunks, so memory stays flat
whatever the size, and carry no response timeout.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import trio
from quart import Blueprint, Response

from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import documented, header_param, media_answer
from videogen.server.http.ranged import file_chunks, ranged_response, validators
from videogen.server.state import app_state

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

__all__ = ["blueprint", "file_chunks"]

blueprint = Blueprint("video", __name__)


_VIDEO = media_answer("video/mp4", "The video", binary=True)


@blueprint.route("/api/video/<filename>", methods=["GET", "HEAD"])
@documented(
    {200: _VIDEO, 206: _VIDEO, 416: "Range not satisfiable"},
    params=(header_param("Range", "bytes=START-END, one range"), header_param("If-Range")),
    not_found="Video not found: <filename> (unknown, unfinished or another user's)",
    head=True,
)
async def video(filename: str) -> Response:
    """The video, whole (200) or one range (206); 416 when the range cannot be served.

    Raises `VideoNotFound` (404) for anything but a finished video the caller may see.
    """
    path = await app_state().require_registry().video(filename, caller=current_caller())
    stat = await trio.Path(path).stat()
    etag, last_modified = validators(stat.st_size, stat.st_mtime, stat.st_mtime_ns)
    chunks: functools.partial[AsyncIterator[bytes]] = functools.partial(file_chunks, path)
    return ranged_response(
        size=stat.st_size,
        etag=etag,
        last_modified=last_modified,
        content_type="video/mp4",
        chunks=chunks,
    )
