"""Plain text and Markdown read into a `Document`: sections at headings, paragraphs, pictures.

Parsed with markdown-it-py (CommonMark, plus tables), so ATX (`## Heading`) and setext
(underlined) headings, lists, fences and inline markup are read the way every Markdown viewer
reads them; plain text is Markdown without markup and comes out as its paragraphs.

- A section starts at every heading; its `level` is the heading's, counted from the top one:
  a document that opens with its only `#` heading has that as its title, its `##` sections at
  level 1 (as an HTML page's `<h2>` under its `<h1>`); otherwise `#` is level 1.
- A paragraph is a paragraph's text with its line breaks joined, inline markup (emphasis, links,
  code spans, HTML tags) stripped; each list item is a paragraph of its own; a table row is
  one paragraph, "header: cell; header: cell".
- Fenced code and HTML blocks are dropped: they are not prose a slide can quote. Indented
  lines are not code here: in plain text, indentation is layout.
- Images become `pictures` (their address and alt text), not text.

Raises `DocumentError` when nothing readable is left.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Final

from markdown_it import MarkdownIt

from videogen.media.knowledge.errors import DocumentError
from videogen.media.knowledge.model import Document, Picture, Section
from videogen.media.pictures import inline_picture
from videogen.media.writer.timing import is_cjk

if TYPE_CHECKING:
    from collections.abc import Sequence

    from markdown_it.token import Token

__all__ = ["MAX_TEXT_CHARS", "MAX_TITLE_CHARS", "plain_inline", "read_text_document"]

# A title taken from the first line of a document without headings is cut (at a word) to this.
MAX_TITLE_CHARS: Final = 120
# Characters of one document that are read: some 80,000 words, far more than a deck can use.
# Markdown parsing costs up to about a second per MB for text dense with headings and lists
# (measured: 1.1 s for 1 MB of them), in a worker thread that cannot be cancelled.
MAX_TEXT_CHARS: Final = 500_000
# An "ordered list item" numbered at least this is a line that starts with a year or a figure
# ("1990. The year the ..."): its number is text, and kept ("numbers kept exactly").
_NUMBER_IS_TEXT: Final = 100


def _parser() -> MarkdownIt:
    # Indented code blocks off: in plain text, indentation is layout, not code.
    return MarkdownIt("commonmark").enable("table").disable("code")


def _glue(left: str, right: str) -> str:
    """Two pieces of one line: CJK text joins without a space, the rest with one."""
    if not left or not right:
        return left + right
    if is_cjk(left[-1]) and is_cjk(right[0]):
        return left + right
    return f"{left} {right}"


def plain_inline(children: Sequence[Token], *, first_line: bool = False) -> str:
    """The text of an inline token's children: markup dropped, line breaks joined.

    `first_line` stops at the first line break (a title taken from a paragraph's first line).
    Links keep their text (a "text" child); images, inline HTML and emphasis markers drop.
    """
    lines = [""]
    for child in children:
        if child.type in ("text", "code_inline"):
            lines[-1] += child.content
        elif child.type in ("softbreak", "hardbreak"):
            if first_line:
                break
            lines.append("")
    text = ""
    for line in lines:
        text = _glue(text, " ".join(line.split()))
    return text


def _pictures(children: Sequence[Token], section: str | None) -> list[Picture]:
    found = []
    for child in children:
        if child.type == "image":
            src = str(child.attrs.get("src", ""))
            alt = plain_inline(child.children or ())
            data = inline_picture(src)
            if src and (data or not src.startswith("data:")):
                found.append(
                    Picture(src="inline" if data else src, alt=alt, section=section, data=data)
                )
    return found


@dataclass(slots=True)
class _Heading:
    text: str
    level: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Walk:
    """What a walk over the tokens collects: the lead, the headed sections, the pictures and
    the first line (a title for a document with no heading)."""

    lead: list[str] = field(default_factory=list)
    headed: list[_Heading] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    first_line: str = ""

    def add(self, paragraph: str) -> None:
        if not paragraph:
            return
        (self.headed[-1].paragraphs if self.headed else self.lead).append(paragraph)


def _table_rows(tokens: Sequence[Token], start: int) -> tuple[list[str], int]:
    """The rows of the table opening at `start` as paragraphs, and the index after it."""
    header: list[str] = []
    rows: list[str] = []
    cells: list[str] = []
    index = start
    while index < len(tokens) and tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "inline":
            cells.append(plain_inline(token.children or ()))
        elif token.type == "tr_close":
            if not header:
                header = cells
            else:
                pairs = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=False) if c]
                rows.append("; ".join(pairs))
            cells = []
        index += 1
    return rows, index + 1


def _walk(tokens: Sequence[Token]) -> _Walk:
    walk = _Walk()
    item: list[str] | None = None  # the open list item's text pieces (the innermost)
    stack: list[list[str] | None] = []  # outer items, while a nested one is open
    index = 0
    while index < len(tokens):
        token = tokens[index]
        kind = token.type
        if kind == "table_open":
            rows, index = _table_rows(tokens, index)
            for row in rows:
                walk.add(row)
            continue
        if kind == "heading_open":
            inline = tokens[index + 1]
            text = plain_inline(inline.children or ()).rstrip(":：").strip()
            walk.pictures += _pictures(inline.children or (), text)
            walk.first_line = walk.first_line or text
            walk.headed.append(_Heading(text, int(token.tag[1:])))
            index += 3
            continue
        if kind == "list_item_open":
            if item:  # a nested list: its parent's text so far comes first
                walk.add(" ".join(item))
                item.clear()
            stack.append(item)
            number = token.info
            item = [f"{number}{token.markup}"] if number and int(number) >= _NUMBER_IS_TEXT else []
        elif kind == "list_item_close":
            walk.add(" ".join(item or ()))
            item = stack.pop()
        elif kind == "inline":
            children = token.children or ()
            walk.pictures += _pictures(children, walk.headed[-1].text if walk.headed else None)
            if not walk.first_line:
                walk.first_line = plain_inline(children, first_line=True)
            text = plain_inline(children)
            if item is not None:
                item.append(text)
            else:
                walk.add(text)
        index += 1
    return walk


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return f"{head}…"


def read_text_document(
    text: str,
    *,
    title: str | None,
    origin: str,
    license: str,
    language: str | None = None,
) -> Document:
    """`text` (plain or Markdown) as a Document; see the module's docstring for the rules.

    The title is `title` when given, else the document's first `#` heading, else its first
    line (cut at a word to `MAX_TITLE_CHARS`). Only the first `MAX_TEXT_CHARS` are read (cut
    at a paragraph break; the description says so). Raises `DocumentError` when it has no
    text.
    """
    description = ""
    if len(text) > MAX_TEXT_CHARS:
        cut = text.rfind("\n\n", 0, MAX_TEXT_CHARS)
        description = f"the first {MAX_TEXT_CHARS} of {len(text)} characters"
        text = text[: cut if cut > 0 else MAX_TEXT_CHARS]
    walk = _walk(_parser().parse(text))
    headed = walk.headed
    lead = list(walk.lead)
    top = [h for h in headed if h.level == 1]
    own_title = top[0].text if top else ""
    pictures = walk.pictures
    if headed and headed[0].level == 1 and len(top) == 1 and not lead:
        # The document's own title heading: its paragraphs are the lead, the rest move up.
        lead = headed[0].paragraphs
        pictures = [replace(p, section=None) if p.section == own_title else p for p in pictures]
        headed = headed[1:]
    shallowest = min((h.level for h in headed), default=1)
    sections = []
    if lead:
        sections.append(Section(None, tuple(lead)))
    sections += [
        Section(h.text or None, tuple(h.paragraphs), level=h.level - shallowest + 1)
        for h in headed
        if h.paragraphs
    ]
    if not sections:
        raise DocumentError("the document has no text")
    chosen = (title or "").strip() or own_title or _cut(walk.first_line, MAX_TITLE_CHARS)
    return Document(
        title=chosen,
        origin=origin,
        license=license,
        sections=tuple(sections),
        language=language,
        description=description,
        pictures=tuple(pictures),
    )
