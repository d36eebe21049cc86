"""A body served whole or by one byte range (RFC 9110 §14), with its validators and HEAD.

`ranged_response` is what `/api/video/` and `/api/export/` answer: 200 with the whole body, 206
with one range, 416 when none can be served; 304 and 412 when the request's preconditions say
so (`conditional`: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since, then
If-Range); HEAD sends the headers of the GET without Range (GET is the only method ranges are
defined for, §14.2). The body comes from the caller (`chunks(start, length)`), so a file on
disk and a ZIP streamed from several files are served alike. Ranges are resolved by
`ranges.resolve`.
"""

from __future__ import annotations

import email.utils
from typing import TYPE_CHECKING, Final

import trio
from quart import Response, request

from videogen.server.http.conditional import Outcome, evaluate, if_range_holds
from videogen.server.http.errors import error
from videogen.server.http.ranges import ByteSpan, Unsatisfiable, resolve

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

    from videogen.actors.adapters.object_store import ArtifactStore, StoredFile

__all__ = ["CHUNK_BYTES", "file_chunks", "ranged_response", "stored_response"]

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


def _range(size: int, etag: str, mtime: float) -> ByteSpan | None:
    if request.method != "GET":  # §14.2: a HEAD answers as the GET without Range would
        return None
    if not if_range_holds(request.headers.get("If-Range"), etag, mtime):
        return None
    return resolve(request.headers.get("Range"), size)


# What a 304 carries of the 200's fields (§15.4.5); the body's own metadata stays out.
_NOT_MODIFIED_FIELDS: Final = ("ETag", "Cache-Control", "Vary", "Content-Location", "Expires")


def _not_modified(fields: dict[str, str]) -> Response:
    response = Response(b"", status=304)
    for name in _NOT_MODIFIED_FIELDS:
        if name in fields:
            response.headers[name] = fields[name]
    # A 304 has no content, so none of its metadata (a default `text/html` would be wrong);
    # §8.6: no Content-Length unless it is the 200's, and none at all is as right.
    del response.headers["Content-Type"]
    del response.headers["Content-Length"]
    return response


def ranged_response(
    *,
    size: int,
    etag: str,
    mtime: float,
    content_type: str,
    chunks: Callable[[int, int], AsyncIterator[bytes]],
    headers: dict[str, str] | None = None,
) -> Response:
    """The answer to the current GET or HEAD for a body of `size` bytes whose strong `etag`
    and modification time `mtime` are its validators; `chunks(start, length)` streams the
    bytes asked for. The response has no timeout (bodies may be long)."""
    fields = {
        "Content-Type": content_type,
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
        # Private: with keys a generation is one user's, and a shared cache must not hand it on.
        "Cache-Control": "private, max-age=3600",
        **(headers or {}),
    }
    outcome = evaluate(request.headers, request.method, etag, mtime)
    if outcome is Outcome.NOT_MODIFIED:
        return _not_modified(fields)
    if outcome is Outcome.FAILED:
        return error(412, "Precondition failed: the file is not the one the request names")
    try:
        span = _range(size, etag, mtime)
    except Unsatisfiable as exc:
        return error(416, f"Range not satisfiable: {exc}", {"Content-Range": f"bytes */{size}"})
    start, length, status = 0, size, 200
    if span is not None:
        start, length, status = span.start, span.length, 206
        fields["Content-Range"] = span.content_range(size)
    fields["Content-Length"] = str(length)
    if request.method == "HEAD":
        body: AsyncIterator[bytes] | bytes = b""
    else:
        body = chunks(start, length)
    response = Response(body, status=status, headers=fields)
    response.timeout = None
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(length)
    return response


async def stored_response(
    files: ArtifactStore,
    stored: StoredFile,
    *,
    content_type: str,
    presign: bool = False,
    headers: dict[str, str] | None = None,
) -> Response:
    """`ranged_response` for a file in the artifact store: size and validators from its HEAD,
    the bytes asked for as one ranged read of the object (never the whole file first).

    With `presign` (`--storage-presign`) and a store that signs, a 307 to the object's presigned URL
    instead (it answers Range, HEAD and ETag itself); the redirect is private and short-lived
    like the URL. Raises `ArtifactStoreFailed` (503) when the store does not answer.
    """
    if presign:
        disposition = (headers or {}).get("Content-Disposition")
        url = await files.presign(stored.key, content_type=content_type, disposition=disposition)
        if url is not None:
            response = Response("", status=307, headers={"Location": url})
            response.headers["Cache-Control"] = "private, no-store"
            return response
    info = stored.info

    def chunks(start: int, length: int) -> AsyncIterator[bytes]:
        return files.chunks(stored.key, start, length)

    return ranged_response(
        size=info.size,
        etag=info.etag,
        mtime=info.mtime,
        content_type=content_type,
        chunks=chunks,
        headers=headers,
    )
