"""PDFs the document tests make: written by hand, byte by byte, so each test knows exactly what
is in its file (a text layer in Helvetica, several pages, an info dictionary), plus the kinds a
server must refuse: encrypted (pypdf's own writer), image-only (Pillow's PDF writer), truncated.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pypdf.generic import IndirectObject

__all__ = ["Lines", "encrypted_pdf", "image_only_pdf", "outlined_pdf", "text_pdf"]

Lines: TypeAlias = "Sequence[str | tuple[str, int]]"
"""One page's lines, top down; a (text, size) pair sets that line's font size (11 otherwise)."""

# US Letter, and where the first line of a page goes.
_WIDTH, _HEIGHT = 612, 792
_LEFT, _TOP, _LEADING = 72, 720, 16


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")  # Helvetica's WinAnsiEncoding
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _content(lines: Sequence[str | tuple[str, int]]) -> bytes:
    """A content stream showing `lines` top-down; a (text, size) pair sets its font size."""
    out = [b"BT", f"{_LEFT} {_TOP} Td".encode()]
    for line in lines:
        text, size = (line, 11) if isinstance(line, str) else line
        out.append(f"/F1 {size} Tf".encode())
        out.append(b"(" + _escape(text) + b") Tj")
        out.append(f"0 -{_LEADING} Td".encode())
    out.append(b"ET")
    return b"\n".join(out)


def text_pdf(
    pages: Sequence[Lines], *, title: str | None = None, jpegs: Mapping[int, bytes] | None = None
) -> bytes:
    """A valid PDF 1.4 whose page n shows the lines `pages[n]` in Helvetica (an empty line is a
    blank line), with `title` in its info dictionary; `jpegs[n]` (JPEG bytes) is drawn on page
    n below its text, as an image XObject."""
    objects: list[bytes] = []
    n_pages = len(pages)
    jpegs = jpegs or {}
    # The images' objects come last: after the pages, their streams and the info dictionary.
    image_ref = {
        page: 4 + 2 * n_pages + (title is not None) + k for k, page in enumerate(sorted(jpegs))
    }
    # 1 catalog, 2 pages, 3 font, then per page: page object, content stream; then info.
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    )
    for i, lines in enumerate(pages):
        stream = _content(lines)
        xobject = ""
        if i in image_ref:
            stream += b"\nq 200 0 0 100 72 200 cm /Im1 Do Q"
            xobject = f" /XObject << /Im1 {image_ref[i]} 0 R >>"
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {_WIDTH} {_HEIGHT}] "
            f"/Resources << /Font << /F1 3 0 R >>{xobject} >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
    info_ref = ""
    if title is not None:
        objects.append(b"<< /Title (" + _escape(title) + b") /Producer (tests) >>")
        info_ref = f" /Info {len(objects)} 0 R"
    for page in sorted(jpegs):
        from PIL import Image

        data = jpegs[page]
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
        objects.append(
            f"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} "
            f"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode "
            f"/Length {len(data)} >>\nstream\n".encode()
            + data
            + b"\nendstream"
        )
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def outlined_pdf(
    pages: Sequence[Lines],
    outline: Sequence[tuple[str, int, int]],
    *,
    title: str | None = None,
) -> bytes:
    """`text_pdf` with an outline (bookmarks): (title, page index, depth) items, depth 0 at the
    top and each deeper one under the item before it, written by pypdf's writer."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(pages, title=title))))
    parents: list[IndirectObject] = []
    for text, page, depth in outline:
        del parents[depth:]
        parent = parents[-1] if parents else None
        parents.append(writer.add_outline_item(title=text, page_number=page, parent=parent))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf(
    pages: Sequence[Sequence[str]], *, user_password: str, owner_password: str = "owner"
) -> bytes:
    """A text PDF encrypted by pypdf's writer (RC4-128 needs no extra package to read)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(pages))))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf(pages: int = 2) -> bytes:
    """A scan: pages that are pictures, with no text layer (Pillow's PDF writer)."""
    from PIL import Image, ImageDraw

    images = []
    for n in range(pages):
        image = Image.new("RGB", (400, 300), "white")
        ImageDraw.Draw(image).text((20, 20), f"Scanned page {n + 1}", fill="black")
        images.append(image)
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:])
    return out.getvalue()
