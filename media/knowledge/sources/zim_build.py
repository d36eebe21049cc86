"""Writes a ZIM file from documents: a folder of the user's own notes as a knowledge source.

`videogen make-zim DIR OUT.zim` reads every document in DIR (Markdown, text, HTML, PDF) and
writes one article per document, with a title index and a full-text index in the documents'
language, so `--zim OUT.zim` can search it like any Kiwix file. libzim is GPL-3.0+, so it is
imported here only, on use (the optional `zim` extra). Raises `KnowledgeError` when libzim is
missing or the file cannot be written.
"""

from __future__ import annotations

import html
import os
from typing import TYPE_CHECKING, Any

from videogen.media.knowledge.errors import KnowledgeError
from videogen.media.knowledge.sources.zim import ISO_639_3

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from videogen.media.knowledge.model import Document

__all__ = ["article_html", "build_zim"]


def article_html(document: Document) -> str:
    """`document` as an article page: its title, then each section's heading and paragraphs."""
    parts = [f"<h1>{html.escape(document.title)}</h1>"]
    for section in document.sections:
        if section.heading:
            level = min(6, section.level + 1)
            parts.append(f"<h{level}>{html.escape(section.heading)}</h{level}>")
        parts.extend(f"<p>{html.escape(paragraph)}</p>" for paragraph in section.paragraphs)
    title = html.escape(document.title)
    return f"<html><head><title>{title}</title></head><body>{''.join(parts)}</body></html>"


def _code(language: str) -> str:
    """The ISO 639-3 code of a project language name ("english" → "eng")."""
    for code, name in ISO_639_3.items():
        if name == language and len(code) == 3:
            return code
    raise KnowledgeError(f"no ZIM language code for {language!r}")


def _path_of(title: str, used: set[str]) -> str:
    base = "_".join(title.split()).replace("/", "_") or "article"
    path, n = base, 1
    while path in used:
        n += 1
        path = f"{base}_{n}"
    used.add(path)
    return path


def build_zim(
    out: Path,
    documents: Sequence[Document],
    *,
    language: str,
    title: str,
    license: str,
) -> int:
    """Write `documents` to the ZIM file `out` (replaced when it exists: written under a
    temporary name, then renamed); the number of articles written."""
    try:
        from libzim.writer import Creator, Hint, Item, StringProvider
    except ImportError:
        raise KnowledgeError("make-zim needs the zim extra: pip install 'videogen[zim]'") from None

    class Article(Item):  # type: ignore[misc]
        def __init__(self, path: str, document: Document) -> None:
            super().__init__()
            self._path, self._document = path, document

        def get_path(self) -> str:
            return self._path

        def get_title(self) -> str:
            return self._document.title

        def get_mimetype(self) -> str:
            return "text/html"

        def get_contentprovider(self) -> Any:
            return StringProvider(article_html(self._document))

        def get_hints(self) -> dict[Any, int]:
            return {Hint.FRONT_ARTICLE: True}

    code = _code(language)
    partial = out.with_name(out.name + ".part")
    used: set[str] = set()
    try:
        creator = Creator(str(partial))
        creator.config_indexing(True, code)
        with creator as zim:
            zim.set_mainpath(_path_of(documents[0].title, set()) if documents else "")
            for key, value in (
                ("Title", title),
                ("Language", code),
                ("License", license),
                ("Description", f"{len(documents)} documents"),
            ):
                zim.add_metadata(key, value)
            for document in documents:
                zim.add_item(Article(_path_of(document.title, used), document))
        os.replace(partial, out)
    except (OSError, RuntimeError) as exc:
        partial.unlink(missing_ok=True)
        raise KnowledgeError(f"cannot write {out.name}: {exc}") from None
    return len(documents)
