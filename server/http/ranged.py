"""A body served whole or by one byte range (RFC 9110 §14), with its validators and HEAD.

`ranged_response` is what `/api/video/` and `/api/export/` answer: 200 with the whole body, 206
with one range, 416 when none can be served; `If-Range` is honoured, HEAD sends the headers
only. The body comes from the caller (`chunks(start, length)`), so a file on disk and a ZIP
streamed from several files are served alike. Ranges are resolved by `ranges.resolve`.
"""

from __future__ import annotations

import email.utils
from typing import TYPE_CHECKING, Final

import trio
from quart import Response, request

from videogen.server.http.errors import error
from videogen.server.http.ranges import ByteSpan, Unsatisfiable, resolve

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable
    from pathlib import Path

    from videogen.actors.adapters.object_store import ArtifactStore, StoredFile

__all__ = ["CHUNK_BYTES", "file_chunks", "ranged_response", "stored_response", "validators"]

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


def validators(size: int, mtime: float, mtime_ns: int) -> tuple[str, str]:
    """The strong `ETag` and the `Last-Modified` of a file of `size` changed at `mtime`."""
    return f'"{size:x}-{mtime_ns:x}"', email.utils.formatdate(mtime, usegmt=True)


def _if_range_matches(etag: str, last_modified: str) -> bool:
    """RFC 9110 §13.1.5: honour Range only if the validator still names this body."""
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


def ranged_response(
    *,
    size: int,
    etag: str,
    last_modified: str,
    content_type: str,
    chunks: Callable[[int, int], AsyncIterator[bytes]],
    headers: dict[str, str] | None = None,
) -> Response:
    """The answer to the current GET or HEAD for a body of `size` bytes; `chunks(start,
    length)` streams the bytes asked for. The response has no timeout (bodies may be long)."""
    fields = {
        "Content-Type": content_type,
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": last_modified,
        # Private: with keys a generation is one user's, and a shared cache must not hand it on.
        "Cache-Control": "private, max-age=3600",
        **(headers or {}),
    }
    try:
        span = _range(size, etag, last_modified)
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
        last_modified=info.last_modified,
        content_type=content_type,
        chunks=chunks,
        headers=headers,
    )
