"""What every knowledge source hands the writers: documents, the passages in them, and credits.

A `Document` is text with its structure kept (a title, sections under headings, paragraphs,
pictures): an encyclopedia summary, a ZIM article, a user's PDF or Markdown file, a web page.
A `SourceRef` is how a deck credits one (`content.sources`); its `origin` is a URL or a
document/ZIM name, never a path on this server. `Grounding` is what retrieval found for one
request, best first; an empty one means "nothing known": the writer says so and falls back.

Everything here is immutable and plain (no I/O): sources build these objects, writers read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final, Protocol

__all__ = [
    "NO_GROUNDING",
    "Document",
    "Found",
    "Grounding",
    "Hit",
    "KnowledgeSource",
    "Picture",
    "Section",
    "SourceRef",
]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One source a deck drew on, as `content.sources` lists it."""

    id: str
    """Short and unique within one deck ("s1", "s2", ...); slides cite sources by it."""
    title: str
    origin: str
    """A URL, or a document or ZIM file's name; never a server path."""
    license: str
    """"CC BY-SA 4.0" for Wikipedia text; "provided by the user" for the user's own material."""


@dataclass(frozen=True, slots=True)
class Picture:
    """A picture a document shows: its address in the document, its alt text and caption, the
    heading of the section it sits in (None: the lead), and its bytes when the source could
    read them (a ZIM's image entry, an uploaded or inline image; checked by
    `media.pictures.checked`). Only a picture with bytes is drawn."""

    src: str
    alt: str = ""
    caption: str = ""
    section: str | None = None
    data: bytes = field(default=b"", repr=False)

    @property
    def what(self) -> str:
        """What the picture shows, in words: its caption, else its alt text."""
        return self.caption or self.alt


@dataclass(frozen=True, slots=True)
class Section:
    """A heading (None for the lead before the first heading) and its paragraphs of plain text."""

    heading: str | None
    paragraphs: tuple[str, ...]
    level: int = 1
    """1 for a top heading (`#`, `<h2>` under a page's `<h1>`), 2 below it, and so on."""


@dataclass(frozen=True, slots=True)
class Document:
    """A text and its structure, from one source."""

    title: str
    origin: str
    license: str
    sections: tuple[Section, ...]
    language: str | None = None
    """The project's language name ("english") when the source knows it."""
    description: str = ""
    """A one-line description, when the source has one ("Biogeochemical cycle ...")."""
    pictures: tuple[Picture, ...] = ()

    @property
    def text(self) -> str:
        """Every paragraph, one per line."""
        return "\n".join(p for section in self.sections for p in section.paragraphs)


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result of one source: an article's title and how well it matches (higher is
    better; comparable within one source's answer only)."""

    title: str
    score: float


class KnowledgeSource(Protocol):
    """An offline or online body of articles, searchable by topic.

    Sync and thread-safe: the writer stage calls it from worker threads. `search` and
    `article` raise `KnowledgeError` (`media.knowledge.errors`) when the source itself is broken,
    never for "nothing found" (that is an empty list, or None).
    """

    name: str
    """Shown in progress messages and `/api/options` ("Wikipedia (offline summaries)")."""

    def covers(self, language: str) -> bool:
        """Whether the source has articles in `language` (a project language name)."""
        ...

    def suggest(self, topic: str, language: str, limit: int) -> list[Hit]:
        """Articles whose title matches `topic` best ("The water cycle" → "Water cycle")."""
        ...

    def search(self, query: str, language: str, limit: int) -> list[Hit]:
        """Articles whose text matches `query` best (full text)."""
        ...

    def article(self, title: str, language: str) -> Document | None:
        """The article of that exact title, or None."""
        ...


@dataclass(frozen=True, slots=True)
class Found:
    """A document retrieval chose for a deck, with the credit the deck gives it."""

    ref: SourceRef
    document: Document
    relevance: float
    """1.0 for the main article and for the user's own documents; lower for related ones."""
    main: bool = False


@dataclass(frozen=True, slots=True)
class Grounding:
    """What a request's deck may say: the documents found, best first.

    `searched` names the sources looked in ("Wikipedia (offline summaries)"); `note` says in a
    sentence what was found, or why nothing was ("no article about X in ...", "the offline
    encyclopedia has no Hindi articles"), for the progress stream and the fallback.
    """

    found: tuple[Found, ...] = ()
    searched: tuple[str, ...] = ()
    note: str = ""
    passages_ms: float = field(default=0.0, compare=False)
    """How long retrieval took, for the bench and the progress message."""

    @property
    def grounded(self) -> bool:
        return bool(self.found)

    @property
    def has_text(self) -> bool:
        """Whether any document found has text to write from (uploaded pictures have none)."""
        return any(found.document.sections for found in self.found)

    @property
    def sources(self) -> tuple[SourceRef, ...]:
        return tuple(found.ref for found in self.found)


NO_GROUNDING: Final = Grounding()
