"""ZIM files for the tests, written with libzim's own `Creator` from the shipped summaries.

`write_zim` puts each article in an HTML page (title, an `<h1>`, the summary as the lead, an
optional section and picture) and can add picture entries, redirects, metadata and a full-text
index. A few
articles take about 0.1-0.3 s to write.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from libzim.writer import Creator, Hint, Item, StringProvider

from videogen.media.knowledge.sources.encyclopedia import FILES, _data_folder

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from pathlib import Path

__all__ = ["Page", "page_of", "summaries", "write_zim"]


@dataclass(frozen=True)
class Page:
    title: str
    html: str

    @property
    def path(self) -> str:
        return self.title.replace(" ", "_")


class _Image(Item):  # type: ignore[misc]
    """A picture entry (an "I/..." path, as Kiwix files hold them)."""

    def __init__(self, path: str, mimetype: str, data: bytes) -> None:
        super().__init__()
        self.path, self.mimetype, self.data = path, mimetype, data

    def get_path(self) -> str:
        return self.path

    def get_title(self) -> str:
        return ""

    def get_mimetype(self) -> str:
        return self.mimetype

    def get_contentprovider(self) -> StringProvider:
        return StringProvider(self.data)

    def get_hints(self) -> dict[Hint, int]:
        return {Hint.FRONT_ARTICLE: False, Hint.COMPRESS: False}


class _Article(Item):  # type: ignore[misc]
    def __init__(self, page: Page) -> None:
        super().__init__()
        self.page = page

    def get_path(self) -> str:
        return self.page.path

    def get_title(self) -> str:
        return self.page.title

    def get_mimetype(self) -> str:
        return "text/html"

    def get_contentprovider(self) -> StringProvider:
        return StringProvider(self.page.html)

    def get_hints(self) -> dict[Hint, int]:
        return {Hint.FRONT_ARTICLE: True}


def summaries(language: str) -> dict[str, dict[str, str]]:
    """The shipped summaries of `language`, by title."""
    folder = _data_folder()
    assert folder is not None, "the offline encyclopedia data is installed in the test venv"
    raw = json.loads((folder / FILES[language]).read_text(encoding="utf-8"))
    return {value["title"]: value for value in raw.values()}


def page_of(title: str, extract: str, *, section: str = "", picture: str = "") -> Page:
    body = f"<h1>{html.escape(title)}</h1><p>{html.escape(extract)}</p>"
    if picture:
        body += f'<img src="{html.escape(picture)}" alt="{html.escape(title)}">'
    if section:
        body += f"<h2>More</h2><p>{html.escape(section)}</p>"
    head = f"<head><title>{html.escape(title)}</title></head>"
    return Page(title, f"<html>{head}<body>{body}</body></html>")


def write_zim(
    path: Path,
    pages: Sequence[Page],
    *,
    index_language: str | None = "eng",
    metadata: Mapping[str, str] | None = None,
    redirects: Mapping[str, str] | None = None,
    images: Mapping[str, tuple[str, bytes]] | None = None,
) -> Path:
    """Write `pages` to `path`; a full-text index in `index_language` unless None; each
    redirect is title → target title; each image is entry path → (mimetype, bytes)."""
    creator = Creator(path)
    creator.config_indexing(index_language is not None, index_language or "eng")
    with creator as zim:
        for key, value in (metadata or {}).items():
            zim.add_metadata(key, value)
        for page in pages:
            zim.add_item(_Article(page))
        for entry, (mimetype, data) in (images or {}).items():
            zim.add_item(_Image(entry, mimetype, data))
        for title, target in (redirects or {}).items():
            zim.add_redirection(
                title.replace(" ", "_"), title, target.replace(" ", "_"), {Hint.FRONT_ARTICLE: True}
            )
    return path
