"""The user's documents read into `Document`s: Markdown and text, PDFs the tests write by hand,
and the entry point that tells the kinds apart (media.knowledge.documents)."""

from __future__ import annotations

import codecs
import importlib.util
import time

import pytest

from tests.pdfs import encrypted_pdf, image_only_pdf, outlined_pdf, text_pdf
from videogen.media.knowledge.documents.pdf import read_pdf
from videogen.media.knowledge.documents.read import read_document
from videogen.media.knowledge.documents.text import MAX_TEXT_CHARS, read_text_document
from videogen.media.knowledge.errors import DocumentError
from videogen.media.knowledge.model import Picture, Section

USER = "provided by the user"

MARKDOWN = """\
# The water cycle

The water cycle *describes* how water
moves on, above and below the surface of the Earth. ![A diagram](cycle.png)

Evaporation
-----------

- Heat from the **Sun** turns water
  into vapour.
- Plants release vapour: [transpiration](https://example.org/t).
  - Forests add the most.

```
not = "prose"
```

### Over the oceans

Most evaporation happens over the oceans, 86 % of it.

## Condensation ##

    Vapour cools into droplets around dust.

| Cloud | Height |
|---|---|
| Cirrus | 6 km |
"""


# --- Markdown and text ---------------------------------------------------------------------


def test_markdown_sections_levels_and_paragraphs() -> None:
    doc = read_text_document(MARKDOWN, title=None, origin="notes.md", license=USER)
    # The only `#` heading, first in the file, is the title; its text is the lead.
    assert doc.title == "The water cycle"
    assert doc.origin == "notes.md" and doc.license == USER
    assert doc.sections == (
        Section(
            None,
            (
                "The water cycle describes how water moves on, above and below the surface "
                "of the Earth.",
            ),
        ),
        Section(
            "Evaporation",
            (
                "Heat from the Sun turns water into vapour.",
                "Plants release vapour: transpiration.",
                "Forests add the most.",
            ),
            level=1,
        ),
        Section("Over the oceans", ("Most evaporation happens over the oceans, 86 % of it.",), 2),
        Section(
            "Condensation",
            ("Vapour cools into droplets around dust.", "Cloud: Cirrus; Height: 6 km"),
            level=1,
        ),
    )
    assert doc.pictures == (Picture("cycle.png", "A diagram"),)
    assert "prose" not in doc.text  # the fence is dropped


def test_several_top_headings_keep_their_level_and_the_first_is_the_title() -> None:
    doc = read_text_document(
        "# One\n\nFirst part.\n\n# Two\n\nSecond part.\n\n## Two a\n\nDeeper.\n",
        title=None,
        origin="a.md",
        license=USER,
    )
    assert doc.title == "One"
    assert [(s.heading, s.level) for s in doc.sections] == [("One", 1), ("Two", 1), ("Two a", 2)]


def test_title_argument_wins_and_plain_text_uses_its_first_line() -> None:
    assert read_text_document(
        "# Heading\n\nText.", title="Mine", origin="a", license=USER
    ).title == ("Mine")
    plain = read_text_document(
        "Rivers of the world\nand where they run.\n\nThe Nile is 6,650 km long.\n",
        title=None,
        origin="rivers.txt",
        license=USER,
    )
    assert plain.title == "Rivers of the world"
    assert plain.sections == (
        Section(None, ("Rivers of the world and where they run.", "The Nile is 6,650 km long.")),
    )


def test_numbers_at_a_line_start_are_kept() -> None:
    doc = read_text_document("1990. The year the web began.\n", title="x", origin="a", license=USER)
    assert doc.text == "1990. The year the web began."


def test_cjk_lines_join_without_a_space() -> None:
    doc = read_text_document("水は蒸発して\n雲になる。\n", title="水", origin="a", license=USER)
    assert doc.text == "水は蒸発して雲になる。"


def test_a_very_long_text_is_read_up_to_the_limit_at_a_paragraph_break() -> None:
    paragraph = "Rain falls on the hills and runs down to the sea in streams. " * 10
    text = "\n\n".join(f"## Part {n}\n\n{paragraph}" for n in range(2000))
    assert len(text) > MAX_TEXT_CHARS
    started = time.perf_counter()
    doc = read_text_document(text, title="Rain", origin="rain.md", license=USER)
    elapsed = time.perf_counter() - started
    assert doc.description == f"the first {MAX_TEXT_CHARS} of {len(text)} characters"
    assert 0 < len(doc.text) < MAX_TEXT_CHARS
    assert all(p == paragraph.strip() for s in doc.sections for p in s.paragraphs)  # none cut
    assert elapsed < 2, f"{elapsed:.2f} s"


@pytest.mark.parametrize("text", ["", "   \n\n", "```\ncode only\n```\n", "# Just a heading\n"])
def test_a_document_without_text_is_refused(text: str) -> None:
    with pytest.raises(DocumentError, match="no text"):
        read_text_document(text, title=None, origin="a.md", license=USER)


# --- PDF ------------------------------------------------------------------------------------


def _report_pages(n: int) -> list[list[str | tuple[str, int]]]:
    """Pages of a report: a running header, a heading, two paragraphs (the second one's last
    line hyphenated across the line end, the last one running onto the next page), a page
    number."""
    pages: list[list[str | tuple[str, int]]] = []
    times = ("morning", "evening", "week", "month", "season")
    for i in range(1, n + 1):
        pages.append(
            [
                "Annual water report",
                (f"Part {i}: river number {i}", 16),
                f"River {i} carries water from the hills down to the sea, and in spring its",
                f"flow is {i * 10} cubic metres a second, fed by melting snow and heavy",
                "rain.",
                "",
                f"Its valley holds {i + 2} towns and the farms around them; the water is used",
                "for drinking and for the fields, and the engineers who manage it meas-",
                f"ure the level every {times[i % len(times)]} of the {i}th year.",
                f"{i}",
            ]
        )
    return pages


def test_pdf_paragraphs_headings_and_furniture() -> None:
    doc = read_pdf(
        text_pdf(_report_pages(3), title="Rivers 2026"),
        filename="rivers.pdf",
        origin="rivers.pdf",
        license=USER,
    )
    assert doc.title == "Rivers 2026"
    assert [s.heading for s in doc.sections] == [
        "Part 1: river number 1",
        "Part 2: river number 2",
        "Part 3: river number 3",
    ]
    first = doc.sections[0].paragraphs
    assert first[0] == (
        "River 1 carries water from the hills down to the sea, and in spring its flow is 10 "
        "cubic metres a second, fed by melting snow and heavy rain."
    )
    # de-hyphenated; the running header and the page numbers are gone
    assert first[1].endswith(
        "the engineers who manage it measure the level every evening of the 1th year."
    )
    assert "Annual water report" not in doc.text
    assert not any(p.strip().isdigit() for p in doc.text.splitlines())


def test_pdf_paragraph_cut_by_a_page_break_is_joined() -> None:
    pages: list[list[str | tuple[str, int]]] = [
        ["The delta is wide and the river splits into many arms that run"],
        ["slowly to the sea.", "", "A new paragraph starts here."],
    ]
    doc = read_pdf(text_pdf(pages), filename="d.pdf", origin="d.pdf", license=USER)
    assert doc.sections[0].paragraphs == (
        "The delta is wide and the river splits into many arms that run slowly to the sea.",
        "A new paragraph starts here.",
    )
    assert doc.title == "The delta is wide and the river splits into many arms that run"


def test_pdf_outline_gives_the_sections() -> None:
    pages: list[list[str | tuple[str, int]]] = [
        ["Front matter text.", "Introduction", "Water covers most of the planet."],
        ["Oceans hold almost all of it."],
        ["Ice", "Glaciers store fresh water."],
    ]
    outline = [("Introduction", 0, 0), ("Oceans", 1, 1), ("Ice", 2, 0)]
    doc = read_pdf(
        outlined_pdf(pages, outline, title="Microsoft Word - water.docx"),
        filename="water.pdf",
        origin="water.pdf",
        license=USER,
    )
    assert [(s.heading, s.level, s.paragraphs) for s in doc.sections] == [
        (None, 1, ("Front matter text.",)),
        ("Introduction", 1, ("Water covers most of the planet.",)),
        ("Oceans", 2, ("Oceans hold almost all of it.",)),
        ("Ice", 1, ("Glaciers store fresh water.",)),
    ]
    assert doc.title == "Front matter text."  # a word processor's file name is no title


def test_pdf_encrypted_with_a_password_is_refused() -> None:
    data = encrypted_pdf([["Secret text."]], user_password="secret")
    with pytest.raises(DocumentError, match="encrypted: it needs a password"):
        read_pdf(data, filename="s.pdf", origin="s.pdf", license=USER)


def test_pdf_encrypted_with_the_empty_password_opens_like_in_every_viewer() -> None:
    data = encrypted_pdf([["Open to read, closed to copy."]], user_password="")
    doc = read_pdf(data, filename="s.pdf", origin="s.pdf", license=USER)
    assert doc.text == "Open to read, closed to copy."


def test_pdf_without_a_text_layer_is_refused() -> None:
    with pytest.raises(DocumentError, match="no text layer"):
        read_pdf(image_only_pdf(), filename="scan.pdf", origin="scan.pdf", license=USER)


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_truncated_pdf_is_refused(cut: float) -> None:
    data = text_pdf(_report_pages(3))
    with pytest.raises(DocumentError, match="corrupt"):
        read_pdf(data[: int(len(data) * cut)], filename="t.pdf", origin="t.pdf", license=USER)


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(DocumentError, match="not a PDF"):
        read_pdf(b"hello", filename="t.pdf", origin="t.pdf", license=USER)


def test_twenty_pages_read_well_under_a_second() -> None:
    data = text_pdf(_report_pages(20) * 1, title="Rivers")
    started = time.perf_counter()
    doc = read_pdf(data, filename="r.pdf", origin="r.pdf", license=USER)
    elapsed = time.perf_counter() - started
    assert len(doc.sections) == 20
    assert elapsed < 0.5, f"20 pages took {elapsed:.3f} s"


# --- one entry point --------------------------------------------------------------------------


def test_pdf_is_told_by_its_bytes_whatever_its_name() -> None:
    data = text_pdf([["Hello from a PDF."]])
    doc = read_document(data, filename="notes.txt", content_type="text/plain", origin="notes.txt")
    assert doc.text == "Hello from a PDF."
    assert doc.license == USER


def test_the_bytes_decide_over_the_name() -> None:
    doc = read_document(b"Just text.", filename="x.pdf", content_type="application/pdf", origin="x")
    assert doc.text == "Just text."
    # binary and called a PDF: the answer says it is no PDF rather than "not text"
    with pytest.raises(DocumentError, match="not a PDF"):
        read_document(b"\x00\x01binary", filename="x.pdf", content_type=None, origin="x.pdf")


@pytest.mark.parametrize(
    "data",
    [
        b"# Rain\n\nRain falls.",
        codecs.BOM_UTF8 + b"# Rain\n\nRain falls.",
        "# Rain\n\nRain falls.".encode("utf-16"),  # with its byte-order mark
        codecs.BOM_UTF16_BE + "# Rain\n\nRain falls.".encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-be"],
)
def test_markdown_in_every_accepted_encoding(data: bytes) -> None:
    doc = read_document(data, filename="rain.md", content_type=None, origin="rain.md")
    assert doc.title == "Rain"
    assert doc.text == "Rain falls."


def test_a_declared_charset_is_believed() -> None:
    data = "Café au lait.".encode("latin-1")
    doc = read_document(
        data, filename="page", content_type="text/plain; charset=ISO-8859-1", origin="u"
    )
    assert doc.text == "Café au lait."


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n\t ", "empty"),
        # A PNG's signature makes it a picture upload: refused as a picture, not as text.
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a usable picture"),
        ("Café".encode("latin-1"), "not text"),  # not UTF-8, and no charset said otherwise
        (b"text\x00with a NUL", "not text"),
    ],
    ids=["empty", "blank", "png", "latin-1", "nul"],
)
def test_empty_and_binary_files_are_refused(data: bytes, reason: str) -> None:
    with pytest.raises(DocumentError, match=reason):
        read_document(data, filename="f.md", content_type=None, origin="f.md")


_HTML = importlib.util.find_spec("videogen.media.knowledge.documents.html") is not None


@pytest.mark.skipif(not _HTML, reason="html.py (read_html) is another helper's; not merged yet")
@pytest.mark.parametrize(
    ("filename", "content_type", "data"),
    [
        ("page.html", None, b"<p>The Nile is long.</p>"),
        ("page", "text/html; charset=utf-8", b"<p>The Nile is long.</p>"),
        ("upload.txt", None, b"<!DOCTYPE html><html><body><p>The Nile is long.</p></body></html>"),
    ],
    ids=["by-name", "by-type", "by-bytes"],
)
def test_html_goes_to_the_html_reader(filename: str, content_type: str | None, data: bytes) -> None:
    doc = read_document(data, filename=filename, content_type=content_type, origin=filename)
    assert "The Nile is long." in doc.text
