"""A PDF's text layer read into a `Document`, through pypdf.

What comes out:

- title: the info dictionary's /Title when it is a real one (not "Microsoft Word - x.docx",
  not a file name), else the first heading or line of the first page, else the file's name;
- sections: at the outline's entries (bookmarks) when the PDF has an outline, each found on its
  page by its words (else at the top of that page); without one, at lines set clearly larger
  than the body text that read as headings (short, no closing punctuation), deeper for smaller;
- paragraphs: lines joined, a word hyphenated across a line end joined again, breaks where the
  gap between lines is wider than the body's leading, the font size changes, or a short line
  ends a sentence; a paragraph cut by a page break is joined again. Page numbers and the
  headers and footers repeated on most pages are dropped;
- pictures: on a page with caption lines ("Figure 2: A lava flow"), its embedded images
  (pypdf's `page.images`) matched to those lines in order, with the caption and the heading
  of the caption's section; at most `MAX_PICTURES`. Images on pages without a caption are not
  kept (a logo, a rule, a background: nothing says what they show), nor is where a caption
  sits on the page weighed: a page with two figures and their captions in another order than
  its images' pairs them wrongly.

Refused with `DocumentError`: not a PDF or corrupt (truncated); encrypted with a password (a
PDF encrypted only against copying or printing opens with the empty user password, as in every
viewer, and is read); encrypted with AES (pypdf needs the `cryptography` package for it, which
is not installed); no text layer (a scan); no pages.

Only the first `MAX_PAGES` pages are read (the description says so): a book's first chapters
are material enough for a deck, and extraction time grows with pages.
"""

from __future__ import annotations

import io
import itertools
import logging
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Final

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from videogen.media.knowledge.errors import DocumentError
from videogen.media.knowledge.model import Document, Picture, Section
from videogen.media.pictures import PictureError, checked
from videogen.media.writer.sentences import TERMINAL

if TYPE_CHECKING:
    from pypdf import PageObject

__all__ = ["MAX_PAGES", "read_pdf"]

log = logging.getLogger("videogen.media.knowledge")

# Pages read from one PDF: extraction is a few ms per plain page, up to some tens for dense ones.
MAX_PAGES: Final = 200
# Captioned pictures kept from one PDF, at most: a deck shows one a slide, and each costs its
# bytes in the stored upload.
MAX_PICTURES: Final = 6
# A caption line: "Figure 2: ...", "Fig. 3 ...", "Image 1 - ..." (and a few languages' words).
_CAPTION: Final = re.compile(
    r"^(?:figure|fig\.|image|photo|picture|illustration|abbildung|abb\.|figura|imagen|"
    r"рисунок|рис\.)\s*\d+[a-z]?\s*[.:—–-]?\s*(.*)$",
    re.IGNORECASE,
)
# A line this much larger than the body text (and short, unpunctuated) is a heading.
_HEADING_SCALE: Final = 1.15
_HEADING_WORDS: Final = 14
# A gap between lines wider than this many times the body's usual one ends a paragraph.
_GAP_SCALE: Final = 1.4
# A line shorter than this share of the page's long lines that ends a sentence ends a paragraph.
_SHORT_LINE: Final = 0.7
# A first or last line of a page found (digits aside) on this share of pages is a header/footer.
_REPEATED: Final = 0.6
_MIN_PAGES_FOR_REPEATS: Final = 3
_PAGE_NUMBER: Final = re.compile(
    r"^\s*(?:[-–—]\s*)?(?:(?:page|p\.|seite|página|pagina)\s*)?"
    r"(?:\d{1,4}|[ivx]{1,5})(?:\s*(?:/|of|de|von|sur)\s*\d{1,4})?(?:\s*[-–—])?\s*$",
    re.IGNORECASE,
)
_JUNK_TITLE: Final = re.compile(
    r"^(?:untitled|microsoft (?:word|powerpoint) - .*|.*\.(?:docx?|pptx?|odt|pdf|tex|dvi|rtf))$",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Line:
    text: str
    y: float
    size: float
    page: int
    heading: int = 0  # its level when it is a heading, else 0


class _Collector:
    """Lines of one page from pypdf's text visitor: runs up to a newline are one line; its
    position is its first run's, its size the largest."""

    def __init__(self, page: int) -> None:
        self.page = page
        self.lines: list[_Line] = []
        self._text = ""
        self._y = 0.0
        self._size = 0.0

    def visit(self, text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        del font
        scale = abs(float(tm[3]) or float(tm[0]) or 1.0) * abs(float(cm[3]) or float(cm[0]) or 1.0)
        y = float(tm[4]) * float(cm[1]) + float(tm[5]) * float(cm[3]) + float(cm[5])
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            if piece.strip():
                if not self._text:
                    self._y = y
                self._text += piece
                self._size = max(self._size, float(size) * scale)
            if index < len(pieces) - 1:
                self.end_line()

    def end_line(self) -> None:
        text = " ".join(self._text.split())
        if text:
            self.lines.append(_Line(text, self._y, self._size, self.page))
        self._text, self._size = "", 0.0


def _open(data: bytes) -> PdfReader:
    if data.lstrip()[:5] != b"%PDF-":
        raise DocumentError("not a PDF (it does not start with %PDF-)")
    try:
        reader = PdfReader(io.BytesIO(data))
        locked = reader.is_encrypted and not reader.decrypt("")
        count = 0 if locked else len(reader.pages)  # reads the page tree: a broken one fails
    except DependencyError:
        raise DocumentError(
            "the PDF is encrypted with AES, which this server cannot read; "
            "save it without encryption"
        ) from None
    except FileNotDecryptedError:
        raise DocumentError("the PDF is encrypted: it needs a password to open") from None
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        # pypdf's own errors, and what malformed objects make its parser raise
        log.info("unreadable PDF: %r", exc)
        raise DocumentError("the PDF is corrupt or truncated: it cannot be read") from None
    if locked:
        raise DocumentError("the PDF is encrypted: it needs a password to open")
    if not count:
        raise DocumentError("the PDF has no pages")
    return reader


def _page_lines(page: PageObject, index: int) -> list[_Line]:
    collector = _Collector(index)
    try:
        page.extract_text(visitor_text=collector.visit)
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        log.info("unreadable PDF page %d: %r", index + 1, exc)
        raise DocumentError(f"the PDF is corrupt: page {index + 1} cannot be read") from None
    collector.end_line()
    return collector.lines


def _shape(text: str) -> str:
    """A header or footer's text with its numbers masked ("Report — page 3" ~ "page 4")."""
    return re.sub(r"\d+", "#", text.lower())


def _drop_furniture(pages: list[list[_Line]], body: float) -> list[list[_Line]]:
    """Pages without their page numbers and the headers and footers most pages repeat (at
    most two lines at either end of a page). A line set as a heading is never furniture: a
    book whose every page opens with "Chapter n" has its chapters there."""
    repeated: set[str] = set()
    if len(pages) >= _MIN_PAGES_FOR_REPEATS:
        edges = Counter(
            shape
            for lines in pages
            for shape in {_shape(line.text) for line in lines[:2] + lines[-2:]}
        )
        repeated = {shape for shape, n in edges.items() if n >= _REPEATED * len(pages)}

    def furniture(line: _Line) -> bool:
        if body and line.size >= body * _HEADING_SCALE:
            return False
        return bool(_PAGE_NUMBER.match(line.text)) or _shape(line.text) in repeated

    cleaned = []
    for lines in pages:
        kept = list(lines)
        for _ in range(2):
            if kept and furniture(kept[0]):
                kept.pop(0)
        for _ in range(2):
            if kept and furniture(kept[-1]):
                kept.pop()
        cleaned.append(kept)
    return cleaned


def _body_size(lines: list[_Line]) -> float:
    weighted = Counter[float]()
    for line in lines:
        weighted[round(line.size, 1)] += len(line.text)
    return weighted.most_common(1)[0][0] if weighted else 0.0


def _reads_as_heading(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= _HEADING_WORDS and text[-1] not in TERMINAL | {",", ";", ":"}


def _mark_by_size(lines: list[_Line], body: float) -> None:
    """Headings without an outline: larger than the body, short, unpunctuated."""
    candidates = [
        line
        for line in lines
        if body and line.size >= body * _HEADING_SCALE and _reads_as_heading(line.text)
    ]
    sizes = sorted({round(line.size, 1) for line in candidates}, reverse=True)
    for line in candidates:
        line.heading = sizes.index(round(line.size, 1)) + 1


def _normal(text: str) -> str:
    """A heading's words, for matching an outline entry to its line: "2.1 Oceans:" → "oceans"."""
    words = " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())
    return re.sub(r"^[\d\s]+(?=\D)", "", words)


def _outline(reader: PdfReader) -> list[tuple[str, int, int]]:
    """The outline as (title, level, page index), in reading order; [] when none or broken."""
    found: list[tuple[str, int, int]] = []

    def walk(items: Any, level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
                continue
            title = " ".join(str(getattr(item, "title", "") or "").split())
            try:
                page = reader.get_destination_page_number(item)
            except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
                continue
            if title and page is not None and page >= 0:
                found.append((title, level, page))

    try:
        walk(reader.outline, 1)
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return []
    return found


def _mark_by_outline(pages: list[list[_Line]], outline: list[tuple[str, int, int]]) -> None:
    """Each outline entry marks the line of its page that shows its title, else a new empty
    heading line at the top of that page (appended, so the page's text follows it)."""
    for title, level, page in outline:
        if page >= len(pages):
            continue
        lines = pages[page]
        wanted = _normal(title)
        for line in lines:
            if not line.heading and wanted and _normal(line.text) == wanted:
                line.heading = level
                line.text = title
                break
        else:
            top = lines[0].y if lines else 0.0
            lines.insert(0, _Line(title, top, 0.0, page, heading=level))


def _joined(paragraph: str, line: str) -> str:
    """`line` added to `paragraph`: a word hyphenated at the line end is joined again."""
    if not paragraph:
        return line
    if re.search(r"\w-$", paragraph) and line[:1].islower():
        return paragraph[:-1] + line
    return f"{paragraph} {line}"


def _breaks(lines: list[_Line], body: float) -> list[bool]:
    """Whether a paragraph ends after each line (on its page)."""
    gaps = [
        a.y - b.y
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and a.y > b.y and not a.heading and not b.heading
    ]
    leading = statistics.median(gaps) if gaps else 0.0
    long_line = max((len(line.text) for line in lines), default=0)
    ends = []
    for a, b in itertools.pairwise(lines):
        if a.page != b.page:
            ends.append(a.text[-1] in TERMINAL)
            continue
        gap = a.y - b.y
        ends.append(
            (leading > 0 and gap > leading * _GAP_SCALE)
            or abs(a.size - b.size) > max(body * 0.1, 0.5)
            or (a.text[-1] in TERMINAL and len(a.text) < _SHORT_LINE * long_line)
        )
    return [*ends, True]


def _sections(lines: list[_Line], body: float) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    level = 1
    paragraphs: list[str] = []
    current = ""

    def close_section() -> None:
        if paragraphs:
            sections.append(Section(heading, tuple(paragraphs), level=level))

    for line, ends in zip(lines, _breaks(lines, body), strict=True):
        if line.heading:
            if current:
                paragraphs.append(current)
            close_section()
            heading, level, paragraphs, current = line.text, line.heading, [], ""
            continue
        current = _joined(current, line.text)
        if ends:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    close_section()
    shallowest = min((s.level for s in sections if s.heading), default=1)
    return [
        Section(s.heading, s.paragraphs, level=max(1, s.level - shallowest + 1)) for s in sections
    ]


def _title(reader: PdfReader, lines: list[_Line], filename: str) -> str:
    try:
        meta = reader.metadata
        raw = meta.title if meta is not None else None
    except (PyPdfError, ValueError, TypeError, KeyError, AttributeError):
        raw = None
    title = " ".join(str(raw or "").split())
    if len(title) >= 2 and not _JUNK_TITLE.match(title):
        return title
    first_page = [line for line in lines if line.page == lines[0].page] if lines else []
    if first_page:
        biggest = max(first_page, key=lambda line: line.size)
        if _reads_as_heading(biggest.text):
            return biggest.text
        return first_page[0].text[:120]
    return PurePath(filename).stem or filename


def read_pdf(
    data: bytes,
    *,
    filename: str,
    origin: str,
    license: str,
) -> Document:
    """The text of the PDF `data` as a Document (see the module's docstring).

    Raises `DocumentError` for what cannot be read: not a PDF, corrupt, encrypted with a
    password, no text layer, no pages.
    """
    reader = _open(data)
    total = len(reader.pages)
    pages = [_page_lines(reader.pages[n], n) for n in range(min(total, MAX_PAGES))]
    if not any(pages):
        raise DocumentError(
            "the PDF has no text layer (a scan or pictures only): it cannot be read as text"
        )
    body = _body_size([line for lines in pages for line in lines])
    pages = _drop_furniture(pages, body)
    outline = _outline(reader)
    if outline:
        _mark_by_outline(pages, outline)
    lines = [line for lines in pages for line in lines]
    if not outline:
        _mark_by_size(lines, body)
    title = _title(reader, lines, filename)
    sections = _sections(lines, body)
    if not sections:
        raise DocumentError("the PDF has no text layer: it cannot be read as text")
    description = f"the first {MAX_PAGES} of {total} pages" if total > MAX_PAGES else ""
    return Document(
        title=title,
        origin=origin,
        license=license,
        sections=tuple(sections),
        description=description,
        pictures=_pictures(reader, lines),
    )


def _captions(lines: list[_Line]) -> dict[int, list[tuple[str, str | None]]]:
    """The caption lines ("Figure 2: A lava flow") of each page, in reading order, each with
    the heading of the section it is in (None: before the first heading)."""
    heading: str | None = None
    found: dict[int, list[tuple[str, str | None]]] = {}
    for line in lines:
        if line.heading:
            heading = line.text
            continue
        match = _CAPTION.match(line.text)
        if match:
            found.setdefault(line.page, []).append((match.group(1).strip() or line.text, heading))
    return found


def _picture_bytes(image: Any) -> bytes:
    """An embedded image's bytes as PNG or JPEG (pypdf gives either, or a PIL image to save);
    b"" when it cannot be had or `media.pictures.checked` refuses it."""
    try:
        data = bytes(image.data)
        if not str(image.name).lower().endswith((".png", ".jpg", ".jpeg")):
            out = io.BytesIO()
            image.image.convert("RGB").save(out, format="PNG")
            data = out.getvalue()
        checked(data)
    except PictureError:
        return b""
    except Exception as exc:  # pypdf and Pillow raise many kinds for an odd image
        log.info("unreadable PDF image: %r", exc)
        return b""
    return data


def _pictures(reader: PdfReader, lines: list[_Line]) -> tuple[Picture, ...]:
    """The pictures of the pages that caption one: a page's images matched to its caption
    lines in order (the first image to the first caption), at most `MAX_PICTURES` in all. An
    image without a caption on its page is not kept: nothing says what it shows (a logo, a
    rule, a background)."""
    pictures: list[Picture] = []
    for page, captions in sorted(_captions(lines).items()):
        if len(pictures) >= MAX_PICTURES:
            break
        try:
            images = list(reader.pages[page].images)
        except Exception as exc:  # a broken resource dictionary: the text is still good
            log.info("PDF page %d images unreadable: %r", page + 1, exc)
            continue
        for (caption, section), image in zip(captions, images, strict=False):
            data = _picture_bytes(image)
            if data and len(pictures) < MAX_PICTURES:
                pictures.append(
                    Picture(
                        f"page {page + 1}", caption, caption=caption, section=section, data=data
                    )
                )
    return tuple(pictures)
