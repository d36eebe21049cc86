"""`GET /static/<path>`: the web page's scripts and styles (the page itself is served at `/`)."""

from __future__ import annotations

import os
from typing import Final

from quart import Blueprint, Response, send_from_directory

__all__ = ["blueprint"]

blueprint = Blueprint("static_files", __name__)

_STATIC: Final = os.path.join(os.path.dirname(__file__), "static")


@blueprint.get("/static/<path:path>")
async def static_file(path: str) -> Response:
    """A file under `server/static/`; `..` and absolute paths are refused (404)."""
    response = await send_from_directory(_STATIC, path)
    response.headers["Cache-Control"] = "no-cache"
    return response
