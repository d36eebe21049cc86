"""A Kiwix ZIM file as a knowledge source (`--zim PATH`), through `libzim` (the `zim` extra).

libzim is GPL and optional: it is imported here only, inside `ZimSource.open`, so the core runs
without it and says how to install it when a ZIM is configured. Titles come from the archive's
title index (`SuggestionSearcher`), full text from its Xapian index (`Searcher`) when the file
has one (else from the suggestions), articles from their HTML through `read_html`, redirects
followed. Credits: the origin is "<file name>/<entry path>" (never a server path), the licence
the file's "License" metadata or "as stated by <file name>"; the language is the file's
"Language" metadata (ISO 639-3, "eng", "fra"; several may be listed), and `covers` answers for
those languages only; a file without it covers any.

Thread-safety: libzim's `Archive` is safe to read from several threads, its searchers are not
(libzim issue 673): `ZimSource` owns one archive and one searcher of each kind, and holds its
lock around every call into libzim (each takes about a millisecond).

`ZimSource.open` raises `KnowledgeError` naming the file (by its name only) when it is missing,
unreadable or not a ZIM, or when libzim is not installed; later reads raise it when the file
turns out corrupt.
"""

from __future__ import annotations

import posixpath
import threading
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, urlsplit

from ...languages import LANGUAGES
from ...pictures import MAX_PICTURE_BYTES, PictureError, identify
from ..documents.html import read_html
from ..errors import DocumentError, KnowledgeError
from ..model import Document, Hit, Picture
from ..words import content, without_article

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

__all__ = ["ISO_639_3", "ZimSource"]

INSTALL_HINT: Final = "install the zim extra: pip install 'videogen[zim]'"
# Redirects followed before an entry is taken as broken (libzim resolves chains itself; this
# only guards against a loop in a hand-made file).
MAX_REDIRECTS: Final = 8
# HTML past this size is cut before parsing: a ZIM article is rarely past a megabyte, and a
# deck needs only its first sections.
MAX_ARTICLE_BYTES: Final = 2_000_000
# An article's pictures read from the file, at most: a deck shows one per slide, and each read
# costs the picture's bytes in memory.
MAX_PICTURES: Final = 6
_IMAGE_TYPES: Final = ("image/png", "image/jpeg", "image/webp")

# ZIM "Language" metadata (ISO 639-3; the bibliographic codes too) → the project's names.
ISO_639_3: Final[dict[str, str]] = {
    "eng": "english",
    "hin": "hindi",
    "kan": "kannada",
    "tel": "telugu",
    "tam": "tamil",
    "ben": "bengali",
    "guj": "gujarati",
    "mal": "malayalam",
    "mar": "marathi",
    "ori": "odia",
    "ory": "odia",
    "pan": "punjabi",
    "spa": "spanish",
    "fra": "french",
    "fre": "french",
    "deu": "german",
    "ger": "german",
    "por": "portuguese",
    "rus": "russian",
    "zho": "chinese",
    "chi": "chinese",
    "cmn": "chinese",
    "jpn": "japanese",
    "ara": "arabic",
    "arb": "arabic",
}
_BCP47: Final = {language.bcp47: name for name, language in LANGUAGES.items()}


def _languages(metadata: str) -> frozenset[str] | None:
    """The project languages a "Language" metadata value names; None when it names none we know
    of or is empty (then the file is taken to cover any language)."""
    codes = [code.strip().casefold() for code in metadata.replace(";", ",").split(",")]
    names = {ISO_639_3.get(code) or _BCP47.get(code.split("-")[0]) for code in codes if code}
    names.discard(None)
    return frozenset(n for n in names if n is not None) or None


def _entry_path(article: str, src: str) -> str | None:
    """The entry path a picture's `src` names, relative to the article at `article`
    ("../I/rain.png" from "A/Rain" → "I/rain.png"); None for an address on another site.
    Files written without namespaces keep the old pages' "../I/..." links, which climb above
    the root: those steps are dropped."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(article), unquote(parts.path)))
    while joined.startswith("../"):
        joined = joined[3:]
    return None if joined in {"", ".", ".."} else joined.lstrip("/")


def _import_libzim() -> tuple[Any, Any, Any, Any]:
    try:
        # GPL and optional: imported only when a ZIM file is configured.
        from libzim.reader import Archive
        from libzim.search import Query, Searcher
        from libzim.suggestion import SuggestionSearcher
    except ImportError:
        return (None, None, None, None)
    return (Archive, Query, Searcher, SuggestionSearcher)


class ZimSource:
    """One opened ZIM file (see the module docstring). Build it with `ZimSource.open`."""

    def __init__(self, path: Path, archive: Any, libzim: tuple[Any, Any, Any, Any]) -> None:
        self._file = path.name
        self._archive = archive
        _, self._query, searcher, suggester = libzim
        self._lock = threading.Lock()
        self._suggester = suggester(archive)
        self._searcher = searcher(archive) if archive.has_fulltext_index else None
        meta = set(archive.metadata_keys)
        self.license = self._meta("License", meta) or f"as stated by {self._file}"
        self.languages = _languages(self._meta("Language", meta))
        title = self._meta("Title", meta)
        self.name = f"{title} ({self._file})" if title and title != self._file else self._file

    @classmethod
    def open(cls, path: Path) -> ZimSource:
        """Open `path`; raises `KnowledgeError` naming the file when it cannot be used."""
        libzim = _import_libzim()
        if libzim[0] is None:
            raise KnowledgeError(f"{path.name}: ZIM files need libzim; {INSTALL_HINT}")
        if not path.is_file():
            raise KnowledgeError(f"{path.name}: no such ZIM file")
        try:
            with path.open("rb"):
                pass
            archive = libzim[0](path)
            return cls(path, archive, libzim)
        except KnowledgeError:
            raise
        except PermissionError as exc:
            raise KnowledgeError(f"{path.name}: the ZIM file is not readable") from exc
        except Exception as exc:  # libzim raises RuntimeError and others for a bad file
            raise KnowledgeError(f"{path.name}: not a readable ZIM file") from exc

    @property
    def file_name(self) -> str:
        return self._file

    @property
    def has_fulltext(self) -> bool:
        return self._searcher is not None

    def _meta(self, key: str, keys: set[str]) -> str:
        if key not in keys:
            return ""
        try:
            return bytes(self._archive.get_metadata(key)).decode("utf-8", "replace").strip()
        except Exception:  # a metadata entry that does not read: as if absent
            return ""

    def covers(self, language: str) -> bool:
        return self.languages is None or language in self.languages

    def _titled(self, paths: Iterator[str], limit: int) -> list[Hit]:
        hits: list[Hit] = []
        seen: set[str] = set()
        for path in paths:
            entry = self._archive.get_entry_by_path(path)
            if entry.title in seen:
                continue
            seen.add(entry.title)
            # libzim gives no score: rank order, 1.0 for the first.
            hits.append(Hit(entry.title, 1.0 / (1 + len(hits))))
            if len(hits) >= limit:
                break
        return hits

    def suggest(self, topic: str, language: str, limit: int) -> list[Hit]:
        """Title suggestions for `topic`, also without its leading article ("The water cycle"
        finds nothing in a title index; "water cycle" does)."""
        if not self.covers(language) or limit <= 0:
            return []
        bare = without_article(topic, language)
        # The title index matches every word: a topic that says more than a title ("the human
        # heart") is also looked up word by word, each word given a share of the answer.
        words = list(dict.fromkeys(content(topic, language)))
        share = -(-limit // max(1, len(words)))
        queries = [(q, limit) for q in dict.fromkeys((topic.strip(), bare)) if q]
        queries += [(word, share) for word in words if word not in dict(queries)]
        hits: list[Hit] = []
        try:
            with self._lock:
                for query, most in queries:
                    if len(hits) >= limit:
                        break
                    results = self._suggester.suggest(query).getResults(0, limit)
                    added = 0
                    for hit in self._titled(iter(results), limit):
                        if added < most and all(h.title != hit.title for h in hits):
                            hits.append(Hit(hit.title, 1.0 / (1 + len(hits))))
                            added += 1
        except Exception as exc:
            raise KnowledgeError(f"{self._file}: the title index does not read") from exc
        return hits[:limit]

    def search(self, query: str, language: str, limit: int) -> list[Hit]:
        """Articles matching any of the words of `query`, best first (the file's full-text
        index; the title suggestions for the query when it has none)."""
        if not self.covers(language) or limit <= 0:
            return []
        words = [w for w in dict.fromkeys(content(query, language)) if w]
        if self._searcher is None:
            return self.suggest(query, language, limit)
        if not words:
            return []
        # Xapian's default operator is AND here; ranking by "any of" is what related needs.
        text = " OR ".join(words)
        try:
            with self._lock:
                results = self._searcher.search(self._query().set_query(text)).getResults(0, limit)
                return self._titled(iter(results), limit)
        except Exception as exc:
            raise KnowledgeError(f"{self._file}: the full-text index does not read") from exc

    def article(self, title: str, language: str) -> Document | None:
        """The article titled `title` (redirects followed), or None."""
        if not self.covers(language):
            return None
        try:
            with self._lock:
                entry = self._find(title)
                if entry is None:
                    return None
                item = entry.get_item()
                if not str(item.mimetype).startswith("text/html"):
                    return None
                html = bytes(item.content)[:MAX_ARTICLE_BYTES].decode("utf-8", "replace")
                path, name = entry.path, entry.title
        except Exception as exc:
            raise KnowledgeError(f"{self._file}: the entry {title!r} does not read") from exc
        page_language = language if self.languages is not None else None
        try:
            document = read_html(
                html,
                origin=f"{self._file}/{path}",
                license=self.license,
                title=name,
                language=page_language,
            )
        except DocumentError:
            return None
        document = replace(document, pictures=self._pictures(document, path))
        # The entry's title is the article's name; a page's <title> may add a site suffix.
        return document if document.title == name else replace(document, title=name)

    def _pictures(self, document: Document, path: str) -> tuple[Picture, ...]:
        """The article's pictures, each with its bytes when the file holds it as a PNG, JPEG or
        WebP entry (its `src` resolved against the article's path); at most `MAX_PICTURES` are
        read. A picture that is not in the file, or does not decode, keeps no bytes."""
        pictures: list[Picture] = []
        read = 0
        for picture in document.pictures:
            if picture.data or read >= MAX_PICTURES:
                pictures.append(picture)
                continue
            target = _entry_path(path, picture.src)
            data = b""
            if target is not None:
                try:
                    with self._lock:
                        data = self._image(target)
                    if data:
                        identify(data)  # its header: a deck decodes only the pictures it shows
                        read += 1
                except (PictureError, KnowledgeError):
                    data = b""
            pictures.append(replace(picture, data=data) if data else picture)
        return tuple(pictures)

    def _image(self, path: str) -> bytes:
        """The bytes of the image entry at `path`, b"" when there is none or it is too large.
        The caller holds the lock."""
        try:
            if not self._archive.has_entry_by_path(path):
                return b""
            item = self._archive.get_entry_by_path(path).get_item()
            if str(item.mimetype) not in _IMAGE_TYPES or int(item.size) > MAX_PICTURE_BYTES:
                return b""
            return bytes(item.content)
        except Exception as exc:
            raise KnowledgeError(f"{self._file}: the picture {path!r} does not read") from exc

    def has_title(self, title: str, language: str) -> str | None:
        """The title of the article called `title` (a redirect's target's), or None
        (`retrieve.TitleLookup`: no HTML is read)."""
        if not self.covers(language):
            return None
        try:
            with self._lock:
                entry = self._find(title)
                return None if entry is None else str(entry.title)
        except Exception as exc:
            raise KnowledgeError(f"{self._file}: the entry {title!r} does not read") from exc

    def share(self, word: str, language: str) -> float | None:
        """The share of articles whose text has `word` (`retrieve.WordShares`), from the
        full-text index's estimate; None without one."""
        if self._searcher is None or not self.covers(language) or not word.strip():
            return None
        try:
            with self._lock:
                search = self._searcher.search(self._query().set_query(word))
                matches = int(search.getEstimatedMatches())
                total = max(1, int(self._archive.article_count))
        except Exception as exc:
            raise KnowledgeError(f"{self._file}: the full-text index does not read") from exc
        return min(1.0, matches / total)

    def _find(self, title: str) -> Any:
        """The entry titled `title` (or at its path), redirects followed; None when there is
        none. The caller holds the lock."""
        archive = self._archive
        path = title.replace(" ", "_")
        if archive.has_entry_by_title(title):
            entry = archive.get_entry_by_title(title)
        elif archive.has_entry_by_path(path):
            entry = archive.get_entry_by_path(path)
        else:
            return None
        for _ in range(MAX_REDIRECTS):
            if not entry.is_redirect:
                break
            entry = entry.get_redirect_entry()
        return entry
