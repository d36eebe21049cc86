"""`POST /api/uploads`: a user's document (Markdown, text, PDF, HTML) or picture (PNG, JPEG,
WebP), parsed (a picture: decoded with Pillow) and kept; or an audio file (MP3, WAV, OGG/Opus,
M4A/AAC, FLAC) for background music, checked with ffmpeg and kept as it came.

Multipart with exactly one file, in the field `file`. Answers 201 `{"upload_id", "filename",
"bytes", "title"}`; a request then names it as a source, `{"type": "upload", "upload_id"}`.
The same access rules as `POST /api/generate`: the key and Origin checks of `server.access`
(every `/api/` route that changes something), and the per-client rate limit.

The body is limited before it is read (`server.http.bodies`: `max_upload_bytes` plus the
multipart envelope, 413 past it); the file itself to `max_upload_bytes` (413). No file, two
files, an empty file → 422 naming `file`; a file that is no readable document (encrypted,
scanned or corrupt PDF, binary) or no usable picture (not PNG, JPEG or WebP, past the size
limits, not decoding) → 422 with the reader's reason. A file whose type, extension or first
bytes say audio (`media.music.looks_like_audio`) is checked as audio: not audio ffmpeg reads,
over `MAX_MUSIC_BYTES` or `MAX_MUSIC_SECONDS` → 422 naming `file`; a request then names it as
`music: {"upload_id"}`. A picture, named as a source, goes on a
slide of the deck (`media.writer.pictures`). What either raises is answered
in `server.http.error_map`; nothing is stored for a refused upload.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

import trio
from quart import Blueprint, Response, jsonify, request
from werkzeug.exceptions import UnsupportedMediaType

from videogen.actors.errors import SourceRejected, UploadTooLarge
from videogen.media.knowledge.errors import DocumentError
from videogen.media.music import AudioError, looks_like_audio
from videogen.server.access.checks import current_caller
from videogen.server.api.apidoc import documented, json_answer
from videogen.server.api.schemas import UploadResponse, ValidationErrorResponse
from videogen.server.api.views import client_id
from videogen.server.http.bodies import UPLOADS_PATH
from videogen.server.state import app_state

if TYPE_CHECKING:
    from werkzeug.datastructures import FileStorage

__all__ = ["FILE_FIELD", "blueprint"]

blueprint = Blueprint("uploads", __name__)

FILE_FIELD = "file"


_UNREADABLE: Final = (
    "; if you sent one, the body could not be read: check its boundary, the closing boundary,"
    " and that part headers are UTF-8"
)


def _refuse(message: str, kind: str = "file_invalid") -> SourceRejected:
    return SourceRejected((FILE_FIELD,), message, kind=kind)


async def _the_file() -> FileStorage:
    """The request's one file. Raises `UnsupportedMediaType` or `SourceRejected`."""
    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Content-Type must be multipart/form-data")
    files = await request.files
    chosen = files.getlist(FILE_FIELD)
    others = [name for name in files if name != FILE_FIELD]
    if len(chosen) != 1 or others:
        for storage in files.values():
            storage.close()
        found = len(chosen) + sum(len(files.getlist(name)) for name in others)
        # Quart's parser answers a body it cannot read with no parts at all, never an error.
        hint = "" if found else _UNREADABLE
        raise _refuse(
            f"send exactly one file, in the multipart field {FILE_FIELD!r} (got {found}){hint}",
            "file_missing" if not found else "file_invalid",
        )
    return chosen[0]


@blueprint.post(UPLOADS_PATH)
@documented(
    {
        201: json_answer(UploadResponse, "Stored: name it as a source by its upload_id"),
        413: "The file is larger than the server's upload limit (the limit is named)",
        415: "Content-Type is not multipart/form-data",
        422: json_answer(
            ValidationErrorResponse,
            "No file, several files, an empty file, no readable document (encrypted, "
            "scanned or corrupt PDF, binary), no usable picture (PNG, JPEG, WebP) or no "
            "usable music (not audio, over 20 MB or an hour); loc names `file`",
        ),
        429: "Rate limited (Retry-After)",
    },
    file_field=FILE_FIELD,
    summary="Upload a document (Markdown, text, PDF, HTML) or a picture (PNG, JPEG, WebP) "
    "to use as a source, or audio (MP3, WAV, OGG/Opus, M4A/AAC, FLAC) as background music",
)
async def upload() -> Response:
    """Parse and store one document; 201 with its id."""
    state = app_state()
    current_caller()  # a keyed server's 401 (the access checks passed it already)
    await state.limiter.admit(client_id())
    storage = await _the_file()
    try:
        limit = state.settings.max_upload_bytes
        # The file was spooled to disk past a small size: read it off the event loop.
        data = await trio.to_thread.run_sync(storage.stream.read, limit + 1)
    finally:
        storage.close()
    if len(data) > limit:
        raise UploadTooLarge(limit)
    if not data.strip():
        raise _refuse("the file is empty", "file_empty")
    filename = storage.filename or "upload"
    try:
        if looks_like_audio(data[:16], filename, storage.content_type):
            info = await state.uploads.save_audio(filename, data, storage.content_type)
        else:
            info = await state.uploads.save(filename, data, storage.content_type)
    except DocumentError as exc:
        raise _refuse(str(exc), "document_unreadable") from None
    except AudioError as exc:
        raise _refuse(f"not usable as music: {exc}", "audio_unusable") from None
    body = UploadResponse(
        upload_id=info.upload_id,
        filename=info.filename,
        bytes=info.bytes,
        title=info.title,
        kind=info.kind,
        seconds=info.seconds,
    )
    response = jsonify(body.model_dump(mode="json"))
    response.status_code = 201
    return response
