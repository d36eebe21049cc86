"""Pictures from sources: checked, named by their content, and handed to the slide renderer.

A picture's bytes come from a source (a ZIM's image entry, an image inline in a document, an
uploaded image) and are checked here by decoding them with Pillow (`checked`): PNG, JPEG or
WebP only, at most `MAX_PICTURE_BYTES` and `MAX_PICTURE_PIXELS`. A slide refers to a picture
by its content name (`picture_name`: the SHA-256 of its bytes and its format's extension), never
by a path: the content is public, and the same bytes give the same name wherever they came from.

The writer stage writes the deck's pictures into the generation's work directory
(`save_pictures`, under `PICTURES_DIR`); the slide renderer, in a worker process, reads them
from there (`load_picture`). A picture that is missing or unreadable there is not drawn: the
slide shows its caption alone (`load_picture` gives None; nothing is raised).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from PIL import Image, UnidentifiedImageError

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

__all__ = [
    "FORMATS",
    "MAX_PICTURE_BYTES",
    "MAX_PICTURE_PIXELS",
    "PICTURES_DIR",
    "PictureError",
    "PictureInfo",
    "checked",
    "identify",
    "inline_picture",
    "load_picture",
    "picture_name",
    "save_pictures",
]

# A picture larger than this is not one a slide needs (a 4K photo as JPEG is about 3 MB).
MAX_PICTURE_BYTES: Final = 8 * 1024 * 1024
# Decoded size bound: a small file can claim a huge canvas (a decompression bomb).
MAX_PICTURE_PIXELS: Final = 40_000_000
# Pillow's format names → the extension a picture's name gets.
FORMATS: Final = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}
# The folder of the generation's work directory the deck's pictures are written to.
PICTURES_DIR: Final = "pictures"
_NAME: Final = re.compile(r"^[0-9a-f]{64}\.(png|jpg|webp)$")
_DATA_URI: Final = re.compile(r"^data:image/(png|jpeg|jpg|webp);base64,(.*)$", re.DOTALL)


class PictureError(ValueError):
    """The bytes are not a picture this project draws: the message says why, in a sentence."""


@dataclass(frozen=True, slots=True)
class PictureInfo:
    """What decoding a picture found: its format ("PNG", "JPEG", "WEBP") and size in pixels."""

    format: str
    width: int
    height: int


def identify(data: bytes) -> PictureInfo:
    """`data`'s format and size from its header alone (no decoding: about a hundredth of
    `checked`'s cost); raises `PictureError` as `checked` does for what the header shows."""
    return _opened(data, decode=False)


def checked(data: bytes) -> PictureInfo:
    """`data` decoded with Pillow; raises `PictureError` when it is not a PNG, JPEG or WebP
    picture within the limits, or does not decode."""
    return _opened(data, decode=True)


def _opened(data: bytes, *, decode: bool) -> PictureInfo:
    if not data:
        raise PictureError("the picture is empty")
    if len(data) > MAX_PICTURE_BYTES:
        raise PictureError(f"the picture is larger than {MAX_PICTURE_BYTES // 1024 // 1024} MiB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                fmt = str(image.format)
                if fmt not in FORMATS:
                    raise PictureError(f"a {fmt} picture; allowed: PNG, JPEG, WebP")
                width, height = image.size
                if width * height > MAX_PICTURE_PIXELS:
                    raise PictureError(f"the picture has more than {MAX_PICTURE_PIXELS} pixels")
                if decode:
                    image.load()  # a truncated or corrupt body fails here, not in the renderer
    except PictureError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError("not a PNG, JPEG or WebP picture") from None
    except (OSError, SyntaxError, ValueError):
        raise PictureError("the picture does not decode") from None
    return PictureInfo(fmt, width, height)


def picture_name(data: bytes, info: PictureInfo) -> str:
    """The content name of an identified picture: "<sha256>.png"."""
    return f"{hashlib.sha256(data).hexdigest()}.{FORMATS[info.format]}"


def inline_picture(src: str) -> bytes:
    """The bytes of a `data:image/...;base64,` address when they are a picture `checked`
    accepts, else b"" (any other address, or a broken one: the picture is simply not drawn)."""
    match = _DATA_URI.match(src.strip())
    if match is None or len(match.group(2)) > MAX_PICTURE_BYTES * 4 // 3 + 4:
        return b""
    try:
        data = base64.b64decode(match.group(2), validate=False)
        checked(data)
    except (binascii.Error, PictureError):
        return b""
    return data


def save_pictures(pictures: Iterable[tuple[str, bytes]], workdir: Path) -> int:
    """Write each (name, bytes) to `workdir/PICTURES_DIR/name` (once per name); how many were
    written. Names that are not content names are skipped. Raises OSError when it cannot write."""
    folder = workdir / PICTURES_DIR
    written = 0
    for name, data in pictures:
        if not _NAME.match(name):
            continue
        path = folder / name
        if path.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    return written


def load_picture(folder: Path | None, name: str) -> Image.Image | None:
    """The picture `name` from `folder`, decoded as RGBA; None when there is no folder, the
    name is not a content name, or the file is missing or does not decode."""
    if folder is None or not _NAME.match(name):
        return None
    path = folder / name
    try:
        data = path.read_bytes()
        identify(data)  # the limits and formats, before the one decoding below
        with Image.open(io.BytesIO(data)) as image:
            return image.convert("RGBA")
    except (OSError, SyntaxError, ValueError, PictureError, Image.DecompressionBombError):
        return None
