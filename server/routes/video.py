"""`GET`/`HEAD /api/video/{filename}`: finished videos with byte ranges (RFC 9110 §14).

Only a completed generation's file is ever served (the encoder writes under another name and
renames after verification). Bodies stream from disk in large chunks, so memory stays flat
whatever the size, and carry no response timeout.
"""

from __future__ import annotations

import email.utils
from typing import TYPE_CHECKING, Final

import trio
from quart import Blueprint, Response, request

from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import documented, header_param, media_answer
from videogen.server.http.errors import error
from videogen.server.http.ranges import ByteSpan, Unsatisfiable, resolve
from videogen.server.state import app_state

if TYPE_CHECKING:
    import os
    from collections.abc import AsyncIterator
    from pathlib import Path

__all__ = ["blueprint", "file_chunks"]

blueprint = Blueprint("video", __name__)

CHUNK_BYTES: Final = 512 * 1024


async def file_chunks(path: Path, start: int, length: int) -> AsyncIterator[bytes]:
    """`length` bytes of `path` from `start`, in `CHUNK_BYTES` reads off the Trio thread."""
    async with await trio.open_file(path, "rb") as f:
        await f.seek(start)
        remaining = length
        while remaining > 0:
            chunk = await f.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk


def _validators(stat: os.stat_result) -> tuple[str, str]:
    etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
    return etag, email.utils.formatdate(stat.st_mtime, usegmt=True)


def _if_range_matches(etag: str, last_modified: str) -> bool:
    """RFC 9110 §13.1.5: honour Range only if the validator still names this file."""
    value = request.headers.get("If-Range")
    if value is None:
        return True
    value = value.strip()
    if value.startswith(('"', "W/")):
        return value == etag  # a weak tag never matches (strong comparison)
    return value == last_modified


def _range(size: int, etag: str, last_modified: str) -> ByteSpan | None:
    if not _if_range_matches(etag, last_modified):
        return None
    return resolve(request.headers.get("Range"), size)


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
    size = stat.st_size
    etag, last_modified = _validators(stat)
    headers = {
        "Content-Type": "video/mp4",
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": last_modified,
        # Private: with keys a video is one user's, and a shared cache must not hand it on.
        "Cache-Control": "private, max-age=3600",
    }
    try:
        span = _range(size, etag, last_modified)
    except Unsatisfiable as exc:
        return error(416, f"Range not satisfiable: {exc}", {"Content-Range": f"bytes */{size}"})
    start, length, status = 0, size, 200
    if span is not None:
        start, length, status = span.start, span.length, 206
        headers["Content-Range"] = span.content_range(size)
    headers["Content-Length"] = str(length)
    if request.method == "HEAD":
        body: AsyncIterator[bytes] | bytes = b""
    else:
        body = file_chunks(path, start, length)
    response = Response(body, status=status, headers=headers)
    response.timeout = None
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(length)
    return response
