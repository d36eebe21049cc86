"""HTML to a Document: title, sections with levels, paragraphs, pictures; chrome skipped."""

from __future__ import annotations

import pytest

from videogen.media.knowledge.documents.html import read_html
from videogen.media.knowledge.errors import DocumentError
from videogen.media.knowledge.model import Picture, Section

ARTICLE = """<!DOCTYPE html>
<html><head><title>Water cycle</title><meta charset="utf-8">
<style>p { color: red }</style><script>var tracking = "do not read me";</script></head>
<body>
<header><a href="/">Home</a></header>
<nav><ul><li>Main page</li><li>Random article</li></ul></nav>
<h1>Water cycle</h1>
<div id="toc" class="toc"><h2>Contents</h2><ul><li>1 Processes</li></ul></div>
<p>The water   cycle is
   <b>continuous</b>.<sup class="reference">[1]</sup> It moves water&nbsp;around.</p>
<figure><img src="./I/Water_cycle.png" alt="Diagram of the water cycle">
<figcaption>The water cycle.</figcaption></figure>
<img src="data:image/png;base64,AAAA" alt="inline">
<h2>Processes <span class="mw-editsection">[edit]</span></h2>
<ul><li>Evaporation</li><li>Condensation<li>Precipitation</ul>
<h3>Evaporation</h3>
<p>Water turns into vapour[2].</p>
<div>Loose text in a div.</div>
<blockquote>A quoted line.</blockquote>
<dl><dt>Runoff</dt><dd>Water flowing over land.</dd></dl>
<table><tr><th>Reservoir</th><td>Oceans</td></tr></table>
<h2>References</h2>
<ol class="references"><li>A book, 2001.</li></ol>
<aside>Related: something else</aside>
<footer>Text is available under CC BY-SA 4.0</footer>
</body></html>"""


def test_an_article_becomes_sections_paragraphs_and_pictures() -> None:
    document = read_html(ARTICLE, origin="water.zim/Water_cycle", license="CC BY-SA 4.0")
    assert document.title == "Water cycle"
    assert document.origin == "water.zim/Water_cycle"
    assert document.license == "CC BY-SA 4.0"
    assert document.sections == (
        # The figure's caption names its picture: it is not a paragraph of the lead.
        Section(None, ("The water cycle is continuous. It moves water around.",), 1),
        Section("Processes", ("Evaporation", "Condensation", "Precipitation"), 1),
        Section(
            "Evaporation",
            (
                "Water turns into vapour.",
                "Loose text in a div.",
                "A quoted line.",
                "Runoff",
                "Water flowing over land.",
                "Reservoir",
                "Oceans",
            ),
            2,
        ),
    )
    assert document.pictures == (
        Picture("./I/Water_cycle.png", "Diagram of the water cycle", caption="The water cycle."),
    )
    text = document.text
    for chrome in ("tracking", "Main page", "Contents", "[edit]", "A book", "Related", "CC BY-SA"):
        assert chrome not in text


def test_the_title_falls_back_to_h1_then_the_given_title() -> None:
    page = "<body><h1>Volcano</h1><p>A vent in the crust.</p></body>"
    assert read_html(page, origin="o", license="l").title == "Volcano"
    bare = "<p>Just a paragraph.</p>"
    assert read_html(bare, origin="o", license="l", title="Given").title == "Given"
    assert read_html(bare, origin="o", license="l").title == "Untitled"


def test_language_and_a_lead_without_headings() -> None:
    document = read_html(
        "<p>Un volcan.</p><p>Il crache.</p>", origin="o", license="l", language="french"
    )
    assert document.language == "french"
    assert document.sections == (Section(None, ("Un volcan.", "Il crache."), 1),)


def test_heading_levels_are_relative_to_the_top_one() -> None:
    page = "<h1>T</h1><p>lead</p><h3>A</h3><p>a</p><h4>B</h4><p>b</p><h3>C</h3><p>c</p>"
    document = read_html(page, origin="o", license="l")
    assert [(s.heading, s.level) for s in document.sections] == [
        (None, 1),
        ("A", 1),
        ("B", 2),
        ("C", 1),
    ]


def test_a_heading_after_text_is_a_section_even_if_h1() -> None:
    page = "<title>Page</title><p>intro</p><h1>Part one</h1><p>one</p>"
    document = read_html(page, origin="o", license="l")
    assert [s.heading for s in document.sections] == [None, "Part one"]


def test_unclosed_and_stray_tags_are_tolerated() -> None:
    page = "<div><p>first<p>second</span></div></i><ul><li>x<li>y"
    document = read_html(page, origin="o", license="l")
    assert document.sections[0].paragraphs == ("first", "second", "x", "y")


def test_hidden_and_role_navigation_blocks_are_skipped() -> None:
    page = (
        '<p>kept</p><div hidden><p>hidden</p></div><div aria-hidden="true">aria</div>'
        '<div role="navigation">menu</div><div class="navbox">box</div><noscript>ns</noscript>'
    )
    assert read_html(page, origin="o", license="l").text == "kept"


@pytest.mark.parametrize(
    "page",
    [
        "",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<script>alert(1)</script><style>p{}</style>",
        "<nav>menu</nav><footer>foot</footer>",
        "<h1>Heading only</h1>",
        '<img src="a.png" alt="a picture">',
    ],
)
def test_no_text_is_a_document_error(page: str) -> None:
    with pytest.raises(DocumentError, match="no text"):
        read_html(page, origin="o", license="l")
