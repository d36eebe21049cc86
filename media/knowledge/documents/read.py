"""One entry point for a user's file or a fetched page: which kind it is, then its reader.

The kind is told by the bytes first, then the name and the declared type:

    PDF    starts with `%PDF-` (after at most some whitespace)              → `pdf.read_pdf`
           (bytes that are not text, named `.pdf` or typed `application/pdf`, go there too,
           to be refused as "not a PDF" rather than "not text")
    HTML   text with a `text/html`/`application/xhtml+xml` type, an `.html`/`.htm`/`.xhtml`
           name, or that opens with a doctype, `<html`, `<head` or `<body`  → `html.read_html`
    text   any other text: Markdown and plain text                          → `read_text_document`
    picture  PNG, JPEG or WebP bytes, or an `image/*` type, or a `.png`/`.jpg`/`.jpeg`/`.webp`
           name                                                           → `read_picture`
           (a document with no text and one picture, checked by decoding it with Pillow)

Text is UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark; a
`charset` the declared type names (a fetched page's `Content-Type`) is believed first. NUL bytes
or bytes that do not decode are a binary file: refused ("not text"), as is an empty one.
"""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath
from typing import Final

from videogen.media.knowledge.documents.html import read_html
from videogen.media.knowledge.documents.pdf import read_pdf
from videogen.media.knowledge.documents.text import read_text_document
from videogen.media.knowledge.errors import DocumentError
from videogen.media.knowledge.model import Document, Picture
from videogen.media.pictures import PictureError, checked

__all__ = [
    "USER_LICENSE",
    "decode_text",
    "is_pdf",
    "is_picture",
    "read_document",
    "read_picture",
    "sniff_kind",
]

USER_LICENSE: Final = "provided by the user"
# How far into a file its PDF signature may be (PDF readers allow some leading junk) and its HTML
# opening tags are looked for.
_SNIFF_BYTES: Final = 1024
_HTML_TYPES: Final = frozenset({"text/html", "application/xhtml+xml"})
_HTML_NAMES: Final = frozenset({".html", ".htm", ".xhtml"})
_HTML_START: Final = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_PICTURE_NAMES: Final = frozenset({".png", ".jpg", ".jpeg", ".webp"})
_PICTURE_MAGIC: Final = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """`text/html; charset=ISO-8859-1` → ("text/html", "iso-8859-1")."""
    if not content_type:
        return "", None
    kind, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return kind.strip().lower(), charset


def _known(charset: str | None) -> str | None:
    """Python's name for `charset`, or None when it has none."""
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def decode_text(data: bytes, charset: str | None = None) -> str:
    """`data` as text: its byte-order mark's encoding, else `charset` when Python knows it,
    else UTF-8. Raises `DocumentError` ("not text") for NUL bytes or bytes that do not decode."""
    marked = [encoding for bom, encoding in _BOMS if data.startswith(bom)]
    encoding = marked[0] if marked else _known(charset) or "utf-8"
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise DocumentError(f"not text: the file does not decode as {encoding}") from None
    text = text.removeprefix("\ufeff")
    if "\0" in text:
        raise DocumentError("not text: the file is binary (it holds NUL bytes)")
    return text


def is_pdf(data: bytes) -> bool:
    """Whether `data` carries a PDF's signature (after at most some whitespace)."""
    return data[:_SNIFF_BYTES].lstrip()[:5] == b"%PDF-"


def is_picture(data: bytes, *, filename: str, content_type: str | None) -> bool:
    """Whether `data` is (or says it is) a picture: PNG, JPEG or WebP bytes, an `image/*`
    type, or a picture's file name."""
    if data.startswith(_PICTURE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return True
    kind, _ = _media_type(content_type)
    return kind.startswith("image/") or PurePath(filename).suffix.lower() in _PICTURE_NAMES


def read_picture(data: bytes, *, filename: str, origin: str, license: str) -> Document:
    """An uploaded picture as a document: no text, one picture (its bytes, its name as alt
    text), titled and credited by its file name. Raises `DocumentError` when it is no PNG,
    JPEG or WebP picture within `media.pictures`' limits."""
    try:
        checked(data)
    except PictureError as exc:
        raise DocumentError(f"not a usable picture: {exc}") from None
    name = PurePath(filename).name or "picture"
    alt = PurePath(name).stem.replace("_", " ").replace("-", " ").strip() or name
    return Document(
        title=name,
        origin=origin,
        license=license,
        sections=(),
        pictures=(Picture(src=name, alt=alt, data=data),),
    )


def sniff_kind(data: bytes, text: str | None, *, filename: str, content_type: str | None) -> str:
    """ "pdf", "html" or "text" (see the module's docstring); `text` is `data` decoded (None
    when it does not decode). Raises nothing."""
    kind, _ = _media_type(content_type)
    suffix = PurePath(filename).suffix.lower()
    if is_pdf(data) or (text is None and (kind == "application/pdf" or suffix == ".pdf")):
        return "pdf"  # binary and called a PDF but not one: read_pdf says what is wrong
    if kind in _HTML_TYPES or suffix in _HTML_NAMES:
        return "html"
    if text is not None and _HTML_START.match(text[:_SNIFF_BYTES]):
        return "html"
    return "text"


def read_document(
    data: bytes,
    *,
    filename: str,
    content_type: str | None,
    origin: str,
    license: str = USER_LICENSE,
) -> Document:
    """The document in `data`, whatever its kind; `origin` is what the deck credits (the file's
    name or the page's URL, never a server path).

    Raises `DocumentError`: empty, binary, or unreadable as its kind (a picture that does not
    decode, or is not PNG, JPEG or WebP).
    """
    if not data.strip():
        raise DocumentError("the file is empty")
    if is_picture(data, filename=filename, content_type=content_type):
        return read_picture(data, filename=filename, origin=origin, license=license)
    text: str | None = None
    failure: DocumentError | None = None
    if not is_pdf(data):
        try:
            text = decode_text(data, _media_type(content_type)[1])
        except DocumentError as exc:
            failure = exc
    kind = sniff_kind(data, text, filename=filename, content_type=content_type)
    if kind == "pdf":
        return read_pdf(data, filename=filename, origin=origin, license=license)
    if text is None:
        assert failure is not None
        raise failure
    if kind == "html":
        return read_html(text, origin=origin, license=license)
    return read_text_document(text, title=None, origin=origin, license=license)
