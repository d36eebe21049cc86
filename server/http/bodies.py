"""How large a request body may be, per route: JSON bodies small, the upload route's a file.

Quart fixes a request's body limit when it builds the request, before any route or hook runs
(`Body` stops storing and fails past it; `MAX_CONTENT_LENGTH` is the app-wide value). So the
limit of `POST /api/uploads` is chosen there, by the app's request class (`request_class_for`):
`max_upload_bytes` plus room for the multipart envelope, while every other route keeps
`max_body_bytes`. Either way Quart never buffers more than the limit: past it the body is
refused (413, see `server.http.error_map`) and not stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from quart_trio.wrappers import TrioRequest

if TYPE_CHECKING:
    from videogen.server.settings import Settings

__all__ = ["MULTIPART_ENVELOPE", "UPLOADS_PATH", "body_limit", "request_class_for"]

UPLOADS_PATH: Final = "/api/uploads"
# What a multipart body carries besides its one file: boundaries and part headers (a browser's
# are some hundreds of bytes; a long file name a few more).
MULTIPART_ENVELOPE: Final = 16 * 1024


def body_limit(method: str, path: str, settings: Settings) -> int:
    """The most bytes a body of `method path` may have."""
    if method == "POST" and path == UPLOADS_PATH:
        return settings.max_upload_bytes + MULTIPART_ENVELOPE
    return settings.max_body_bytes


def request_class_for(settings: Settings) -> type[TrioRequest]:
    """The app's request class: Quart-Trio's, with each request's body limit `body_limit`."""

    class BoundedRequest(TrioRequest):
        def __init__(self, method: str, scheme: str, path: str, *args: Any, **kwargs: Any) -> None:
            limit = body_limit(method, path, settings)
            kwargs["max_content_length"] = limit
            super().__init__(method, scheme, path, *args, **kwargs)
            # The multipart parser checks the request's own limit again: the same one.
            self.max_content_length = limit

    return BoundedRequest
