"""`GET /static/<path>`: the web page's scripts and styles (the page itself is served at `/`)."""

from __future__ import annotations

from pathlib import Path
from typing import Final

from quart import Blueprint, Response, send_from_directory

from videogen.server.api.apidoc import documented, media_answer
from videogen.server.http.errors import error

__all__ = ["STATIC_DIR", "blueprint"]

blueprint = Blueprint("static_files", __name__)

# The page's files, shipped as package data of videogen.server.
STATIC_DIR: Final = Path(__file__).resolve().parent.parent / "static"


@blueprint.get("/static/<path:path>")
@documented({200: media_answer("*/*", "The file", binary=True)})
async def static_file(path: str) -> Response:
    """A file under `server/static/`; `..` and absolute paths are refused (404).

    So is any name the file system cannot even look up (too long, a NUL byte): no such file.
    """
    try:
        response = await send_from_directory(STATIC_DIR, path)
    except (OSError, ValueError):
        return error(404, "Not found")
    response.headers["Cache-Control"] = "no-cache"
    return response
