"""HTML to a `Document`: title, sections at the headings, paragraphs, pictures.

Used for HTML uploads, fetched web pages and ZIM articles alike, with the standard library's
`html.parser` (lenient: unclosed tags and stray end tags are fine). The title is the page's
`<title>`, else its first `<h1>`, else the caller's `title`. Each `<h1>`-`<h6>` opens a section
(`level` 1 for the page's top heading level, 2 below it, ...); text before the first heading is
the lead (heading None). Paragraphs come from `p`, `li` (each item its own paragraph),
`blockquote`, `dd`, `td`, `th`, `figcaption` and `pre`; text outside them (a bare `<div>`'s)
is kept as a paragraph too. Page chrome is skipped: scripts, styles, navigation, headers and
footers, asides, forms, and the blocks Wikipedia and Kiwix mark as tables of contents,
references, infobox-like navigation boxes, edit links and hidden text. `<img src alt>` become
`Picture`s, with the heading of their section and the text of their `<figcaption>` as caption
(that text is then not a paragraph); an image inline as a `data:` address keeps its bytes (when
`media.pictures.checked` accepts them). Whitespace is collapsed.

`read_html` raises `DocumentError` when no text is left.
"""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Final

from videogen.media.pictures import inline_picture

from ..errors import DocumentError
from ..model import Document, Picture, Section

__all__ = ["read_html"]

_HEADINGS: Final = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose text is a paragraph of its own.
_BLOCKS: Final = frozenset({"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre"})
# Elements that end the paragraph being gathered (any other block-level element).
_BREAKS: Final = _BLOCKS | frozenset(
    {"div", "section", "article", "main", "ul", "ol", "dl", "table", "tr", "br", "hr", "figure"}
)
# Elements skipped with everything in them.
_SKIPPED: Final = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "nav",
        "footer",
        "header",
        "aside",
        "form",
        "button",
        "select",
        "svg",
        "math",
    }
)
# Elements without an end tag: never pushed on the stack.
_VOID: Final = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Classes and ids of chrome inside the content (Wikipedia, MediaWiki and Kiwix pages).
_CHROME: Final = re.compile(
    r"(^|[\s_-])(toc|mw-editsection|reference|references|reflist|refbegin|navbox|navigation|"
    r"catlinks|mw-jump-link|sidebar|metadata|noprint|printfooter|hatnote|mw-empty-elt|"
    r"footnotes?|citation|breadcrumbs?|cookie|banner|menu|share|comments?)($|[\s_-])",
    re.IGNORECASE,
)
_SPACE: Final = re.compile(r"\s+")
# Bracketed reference marks left in Wikipedia text: [1], [12], [a], [citation needed].
_REF_MARK: Final = re.compile(r"\[(?:\d+|[a-z]|citation needed|note \d+)\]")


def _clean(text: str) -> str:
    text = _REF_MARK.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return text.replace(" ,", ",").replace(" .", ".")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped here)
        self.skipping = 0
        self.page_title = ""
        self.in_title = False
        self.first_h1 = ""
        self.heading: list[str] | None = None
        self.heading_level = 0
        self.buffer: list[str] = []
        # (heading, raw level, paragraphs) in document order.
        self.sections: list[tuple[str | None, int, list[str]]] = [(None, 0, [])]
        self.pictures: list[Picture] = []
        # The text of a <figcaption> being read: the caption of the figure's last picture;
        # and how many pictures there were when the open <figure> began.
        self.caption: list[str] | None = None
        self.figure_from: int | None = None

    def _skips(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in _SKIPPED:
            return True
        values = dict(attrs)
        if "hidden" in values or values.get("aria-hidden") == "true":
            return True
        if values.get("role") in {"navigation", "banner", "contentinfo", "search", "note"}:
            return True
        marks = f"{values.get('class') or ''} {values.get('id') or ''}"
        return bool(marks.strip()) and _CHROME.search(marks) is not None

    def _flush(self) -> None:
        text = _clean("".join(self.buffer))
        self.buffer = []
        if text:
            self.sections[-1][2].append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.skipping:
            self.in_title = True
        if tag == "img" and not self.skipping:
            values = dict(attrs)
            src = (values.get("src") or "").strip()
            data = inline_picture(src)
            if src and (data or not src.startswith("data:")):
                self.pictures.append(
                    Picture(
                        "inline" if data else src,
                        _clean(values.get("alt") or ""),
                        section=self.sections[-1][0],
                        data=data,
                    )
                )
            return
        if tag == "figure":
            self.figure_from = len(self.pictures)
        if tag == "figcaption" and not self.skipping:
            # Only a figure's own picture takes its caption (a table's figure has none).
            figure_from = self.figure_from
            if figure_from is not None and len(self.pictures) > figure_from:
                self.caption = []
        if tag in _VOID:
            if tag in _BREAKS and self.heading is None:
                self._flush()
            return
        skip = self.skipping > 0 or self._skips(tag, attrs)
        self.stack.append((tag, skip and self.skipping == 0))
        if skip:
            self.skipping += 1
            return
        if tag in _HEADINGS:
            self._flush()
            self.heading = []
            self.heading_level = _HEADINGS[tag]
        elif tag in _BREAKS and self.heading is None:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "figure":
            self.figure_from = None
        if tag == "figcaption" and self.caption is not None:
            text, self.caption = _clean("".join(self.caption)), None
            if text and not self.pictures[-1].caption:
                self.pictures[-1] = replace(self.pictures[-1], caption=text)
        if tag in _VOID or not any(open_tag == tag for open_tag, _ in self.stack):
            return  # a stray end tag
        while self.stack:
            open_tag, _ = self.stack.pop()
            if self.skipping:
                self.skipping -= 1
            elif open_tag in _HEADINGS and self.heading is not None:
                self._end_heading()
            elif open_tag in _BREAKS:
                self._flush()
            if open_tag == tag:
                break

    def _end_heading(self) -> None:
        text = _clean("".join(self.heading or []))
        self.heading = None
        if not text:
            return
        if self.heading_level == 1 and not self.first_h1:
            self.first_h1 = text
            if not any(paragraphs for _, _, paragraphs in self.sections):
                return  # the page's own title, not a section
        self.sections.append((text, self.heading_level, []))

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.page_title += data
            return
        if self.skipping:
            return
        if self.caption is not None:
            # A caption names the picture; it is not a fact of the section's text.
            self.caption.append(data)
            return
        if self.heading is not None:
            self.heading.append(data)
        else:
            self.buffer.append(data)

    def close(self) -> None:
        super().close()
        if self.heading is not None:
            self._end_heading()
        self._flush()


def read_html(
    html: str,
    *,
    origin: str,
    license: str,
    title: str | None = None,
    language: str | None = None,
) -> Document:
    """The text of `html` as a `Document` (see the module docstring); `title` is used when the
    page has no `<title>` or `<h1>`. Raises `DocumentError` when the page has no text."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    levels = sorted({level for _, level, paragraphs in reader.sections if level and paragraphs})
    rank = {level: n + 1 for n, level in enumerate(levels)}
    sections = tuple(
        Section(heading, tuple(paragraphs), rank.get(level, 1))
        for heading, level, paragraphs in reader.sections
        if paragraphs
    )
    if not sections:
        raise DocumentError("the HTML page has no text")
    name = _clean(reader.page_title) or reader.first_h1 or (title or "").strip() or "Untitled"
    return Document(
        title=name,
        origin=origin,
        license=license,
        sections=sections,
        language=language,
        pictures=tuple(reader.pictures),
    )
