"""`GET /static/<path>`: the web page's scripts and styles (the page itself is served at `/`)."""

from __future__ import annotations

import os
from typing import Final

from quart import Blueprint, Response, send_from_directory

from server.http_errors import error

__all__ = ["blueprint"]

blueprint = Blueprint("static_files", __name__)

_STATIC: Final = os.path.join(os.path.dirname(__file__), "static")


@blueprint.get("/static/<path:path>")
async def static_file(path: str) -> Response:
    """A file under `server/static/`; `..` and absolute paths are refused (404).

    So is any name the file system cannot even look up (too long, a NUL byte): no such file.
    """
    try:
        response = await send_from_directory(_STATIC, path)
    except (OSError, ValueError):
        return error(404, "Not found")
    response.headers["Cache-Control"] = "no-cache"
    return response
