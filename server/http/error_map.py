"""Every error a request can end in, mapped to its HTTP answer once, here.

Routes raise; they never build an error response for a failure another layer knows about:

    actors.errors.NotFound            404  its message ("Generation ID not found", "Content not
                                           found", "Video not found: <name>", …)
    actors.errors.NotOwner            403
    actors.errors.AlreadyFinished     409  "Generation already <status>"
    actors.errors.WrongState          409  what the status allows instead ("use POST …/revisions")
    actors.errors.VersionConflict     409  + `version` (the current one) and its ETag
    actors.errors.EditRejected        422  one item naming the edit's field:
                                           ["body", "narration"], ["body", "edits", 0, "title"]
    actors.errors.SourceRejected      422  one item naming the source's field (FastAPI's shape):
                                           ["body", "sources", 0, "url"], ["body", "file"]
    actors.errors.UploadTooLarge      413  naming the upload limit
    actors.errors.AdmissionRefused    503  + Retry-After (queue full, shutting down, storage)
    actors.errors.StoreUnavailable    503  + Retry-After
    actors.errors.ArtifactStoreFailed 503  + Retry-After (the bucket or shared directory failed)
    server.ratelimit.RateLimited      429  + Retry-After
    server.jsonbody.InvalidJSON       400
    InvalidBody                       422  one item per invalid field (FastAPI's shape)
    werkzeug HTTPException            its status: 404 (naming a video under /api/video/), 405 +
                                           Allow, 413 (+ Connection: close; the upload
                                           limit on /api/uploads), 401 +
                                           WWW-Authenticate, 415, 422 …
    anything else                     500  "Internal server error", logged with its traceback

The WebSocket answers the same exceptions with `{"type": "error", "detail": str(exc)}` (see
`server.routes.ws`): the same words, no HTTP in between.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from quart import current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, Unauthorized

from videogen.actors.errors import (
    AdmissionRefused,
    AlreadyFinished,
    ArtifactStoreFailed,
    EditRejected,
    NotFound,
    NotOwner,
    SourceRejected,
    StoreUnavailable,
    UploadTooLarge,
    VersionConflict,
    WrongState,
)
from videogen.actors.limits import ARTIFACT_STORE_RETRY_AFTER
from videogen.server.access.ratelimit import RateLimited
from videogen.server.http.bodies import UPLOADS_PATH
from videogen.server.http.errors import error, field_error, validation_error
from videogen.server.http.jsonbody import InvalidJSON
from videogen.server.state import app_state

if TYPE_CHECKING:
    from pydantic import ValidationError
    from quart import Response
    from quart_trio import QuartTrio

__all__ = ["InvalidBody", "register"]

log = logging.getLogger("videogen.server")


class InvalidBody(Exception):
    """A request body parsed as JSON but does not fit its model: 422 naming each field."""

    def __init__(self, cause: ValidationError) -> None:
        super().__init__(str(cause))
        self.cause = cause


# Routes whose 404 names the file asked for, as their own handlers do.
_NAMED_FILES: Final = (("/api/video/", "Video"), ("/api/export/", "Export"))


def _retry_after(seconds: int) -> dict[str, str]:
    return {"Retry-After": str(seconds)}


def _http_error(exc: HTTPException) -> Response:
    code = exc.code or 500
    if code == 404:
        # A name the route's pattern cannot take (a slash in it): the route's own 404.
        for prefix, what in _NAMED_FILES:
            if request.path.startswith(prefix):
                return error(404, f"{what} not found: {request.path.removeprefix(prefix)}")
        return error(404, "Not found")
    if code == 405 and isinstance(exc, MethodNotAllowed):
        allowed = ", ".join(sorted(exc.valid_methods or ()))
        detail = f"Method {request.method} not allowed; allowed: {allowed}"
        return error(405, detail, {"Allow": allowed})  # RFC 9110 §15.5.6: Allow is required
    if code == 413:
        settings = app_state().settings
        uploading = request.path == UPLOADS_PATH
        limit = settings.max_upload_bytes if uploading else settings.max_body_bytes
        # The rest of the body is never read, so the connection cannot carry another request:
        # say so, and `closing.close_after_response` makes Hypercorn really close it.
        what = "File" if uploading else "Request body"
        detail = f"{what} too large (limit {limit} bytes)"
        declared = request.content_length
        if uploading and declared is not None and declared <= limit:
            # Within the size: the multipart parser refused the form's shape instead.
            config = current_app.config
            detail = (
                f"The form is refused: at most {config['MAX_FORM_PARTS']} parts, and "
                f"{config['MAX_FORM_MEMORY_SIZE']} bytes in a field other than 'file'"
            )
        closing = {"Connection": "close"} if request.http_version < "2" else {}  # h2 forbids it
        return error(413, detail, closing)
    if isinstance(exc, Unauthorized):
        return error(401, "Not authenticated", {"WWW-Authenticate": "Bearer"})
    return error(code, exc.description or exc.name)


def register(app: QuartTrio) -> None:
    """Install the handlers on `app`. Quart picks the most specific class of an exception."""

    @app.errorhandler(HTTPException)
    async def http_error(exc: HTTPException) -> Response:
        return _http_error(exc)

    @app.errorhandler(NotFound)
    async def not_found(exc: NotFound) -> Response:
        return error(404, str(exc))

    @app.errorhandler(NotOwner)
    async def not_owner(exc: NotOwner) -> Response:
        return error(403, str(exc))

    @app.errorhandler(AlreadyFinished)
    async def already_finished(exc: AlreadyFinished) -> Response:
        return error(409, str(exc))

    @app.errorhandler(WrongState)
    async def wrong_state(exc: WrongState) -> Response:
        return error(409, str(exc))

    @app.errorhandler(VersionConflict)
    async def version_conflict(exc: VersionConflict) -> Response:
        response = jsonify({"detail": str(exc), "version": exc.current})
        response.status_code = 409
        response.headers["ETag"] = f'"{exc.current}"'
        return response

    @app.errorhandler(EditRejected)
    async def edit_rejected(exc: EditRejected) -> Response:
        return field_error(exc.field, exc.message, exc.kind)

    @app.errorhandler(SourceRejected)
    async def source_rejected(exc: SourceRejected) -> Response:
        return field_error(("body", *exc.field), exc.message, exc.kind)

    @app.errorhandler(UploadTooLarge)
    async def upload_too_large(exc: UploadTooLarge) -> Response:
        return error(413, str(exc))

    @app.errorhandler(AdmissionRefused)
    async def refused(exc: AdmissionRefused) -> Response:
        return error(503, str(exc), _retry_after(exc.retry_after))

    @app.errorhandler(StoreUnavailable)
    async def store_unavailable(exc: StoreUnavailable) -> Response:
        # A database locked by another process (or full): the request may well work shortly.
        return error(503, f"Storage unavailable: {exc}", _retry_after(exc.retry_after))

    @app.errorhandler(ArtifactStoreFailed)
    async def artifact_store_failed(exc: ArtifactStoreFailed) -> Response:
        # The bucket did not answer or refused: the files are there, this try could not read.
        return error(503, str(exc), _retry_after(ARTIFACT_STORE_RETRY_AFTER))

    @app.errorhandler(RateLimited)
    async def rate_limited(exc: RateLimited) -> Response:
        return error(429, str(exc), _retry_after(exc.retry_after))

    @app.errorhandler(InvalidJSON)
    async def invalid_json(exc: InvalidJSON) -> Response:
        return error(400, str(exc))

    @app.errorhandler(InvalidBody)
    async def invalid_body(exc: InvalidBody) -> Response:
        return validation_error(exc.cause)

    @app.errorhandler(Exception)
    async def unexpected(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error(500, "Internal server error")
