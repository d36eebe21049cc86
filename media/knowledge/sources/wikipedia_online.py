"""Wikipedia over its API, for servers run with `--online`: `WikipediaOnline`.

Through `wikipedia-api` (the optional `online` extra, MIT), imported only when the first
client is made, so a server without `--online` never loads it (`online_sources(False)` is
empty). Every language videogen speaks has a Wikipedia; the language's BCP 47 tag is its
subdomain.

Limits: each call makes one request (a search, or one article's plain-text extract), each
bounded by `timeout` seconds for connecting and for every read, with no retries (a retry
would double the wait of a writer that has an offline fallback). A source that does not
answer raises `KnowledgeError`; a search that finds nothing is an empty list.

The text is Wikipedia's, CC BY-SA 4.0: decks credit the article's URL and that licence.
"""

from __future__ import annotations

import importlib
import threading
import urllib.parse
from typing import TYPE_CHECKING, Any, Final

from videogen.media.knowledge.errors import KnowledgeError
from videogen.media.knowledge.model import Document, Hit, KnowledgeSource, Section
from videogen.media.languages import LANGUAGES

__all__ = ["API_URL", "LICENSE", "WikipediaOnline", "online_sources"]

LICENSE: Final = "CC BY-SA 4.0"
# Where each language's API is: `{language}` is its subdomain ("en").
API_URL: Final = "https://{language}.wikipedia.org/w/api.php"
# Seconds to connect, and for each read, of one API request.
DEFAULT_TIMEOUT: Final = 5.0
# Wikimedia asks every client to say who it is (https://meta.wikimedia.org/wiki/User-Agent_policy).
USER_AGENT: Final = "videogen/0.1 (topic-to-video; knowledge source, --online)"
# Sections of an article that are lists of other places, not text about its subject.
_SKIPPED: Final = frozenset(
    {"see also", "references", "external links", "notes", "further reading", "bibliography"}
)

if TYPE_CHECKING:
    from collections.abc import Iterator


def _paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _sections(page: Any) -> Iterator[Section]:
    """The lead and every section below it, depth first, with its level (1 for `==`)."""
    lead = _paragraphs(page.summary)
    if lead:
        yield Section(None, lead)
    stack = list(reversed(page.sections))
    while stack:
        section = stack.pop()
        title = " ".join(str(section.title).split())
        if title.lower() in _SKIPPED:
            continue
        paragraphs = _paragraphs(section.text)
        if paragraphs:
            yield Section(title, paragraphs, level=max(1, int(section.level)))
        stack.extend(reversed(section.sections))


class WikipediaOnline:
    """A `KnowledgeSource` on Wikipedia's API. Thread-safe: one client per language, made on
    first use under a lock (the writer stage calls from worker threads). Whoever makes one
    closes it (`close`, or `with`): its clients keep connections open.

    `api_url` replaces Wikipedia's address (a test's loopback server answering like the
    MediaWiki API); `{language}` in it is the language's subdomain.
    """

    name = "Wikipedia (online)"

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        api_url: str = API_URL,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout = timeout
        self.api_url = api_url
        self.user_agent = user_agent
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def covers(self, language: str) -> bool:
        return language in LANGUAGES

    def close(self) -> None:
        """Close every client's connections (the owner calls it once, at shutdown)."""
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            # The library keeps its httpx.Client here and has no close of its own (0.16.0).
            client._client.close()

    def __enter__(self) -> WikipediaOnline:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _code(self, language: str) -> str:
        return LANGUAGES[language].bcp47

    def _client(self, language: str) -> Any:
        """The language's API client. Raises `KnowledgeError` without the `online` extra."""
        code = self._code(language)
        with self._lock:
            client = self._clients.get(code)
            if client is None:
                client = self._clients[code] = self._new_client(code)
            return client

    def _new_client(self, code: str) -> Any:
        try:
            wikipediaapi = importlib.import_module("wikipediaapi")
        except ImportError:
            raise KnowledgeError(
                "online Wikipedia needs the online extra: pip install 'videogen[online]'"
            ) from None
        api_url = self.api_url
        base: Any = wikipediaapi.Wikipedia

        class Client(base):  # type: ignore[misc]
            # The library builds https://{language}.wikipedia.org/w/api.php here (a static
            # method, in the pinned 0.16.0); ours may point elsewhere.
            @staticmethod
            def _build_url(language: str) -> str:
                return api_url.format(language=language)

        return Client(
            user_agent=self.user_agent,
            language=code,
            extract_format=wikipediaapi.ExtractFormat.WIKI,
            max_retries=0,
            timeout=self.timeout,
        )

    def _call(self, what: str, call: Any) -> Any:
        wikipediaapi = importlib.import_module("wikipediaapi")
        try:
            return call()
        except wikipediaapi.WikipediaException as exc:
            raise KnowledgeError(f"{self.name} did not answer the {what}: {exc}") from None

    def _hits(self, query: str, language: str, limit: int) -> list[Hit]:
        if not query.strip() or limit < 1 or not self.covers(language):
            return []
        client = self._client(language)
        results = self._call("search", lambda: client.search(query, limit=limit))
        titles = list(results.pages)[:limit]
        return [Hit(str(title), 1.0 / (1 + rank)) for rank, title in enumerate(titles)]

    def suggest(self, topic: str, language: str, limit: int) -> list[Hit]:
        """Wikipedia's own search ranks title matches first ("The water cycle" → "Water
        cycle"); its order is the score (1, 1/2, 1/3, ...)."""
        return self._hits(topic, language, limit)

    def search(self, query: str, language: str, limit: int) -> list[Hit]:
        return self._hits(query, language, limit)

    def url(self, title: str, language: str) -> str:
        """The article's address on Wikipedia (what a deck credits)."""
        path = urllib.parse.quote(title.replace(" ", "_"), safe="()_,'")
        return f"https://{self._code(language)}.wikipedia.org/wiki/{path}"

    def article(self, title: str, language: str) -> Document | None:
        """The article as plain text in its sections, or None when there is none."""
        if not title.strip() or not self.covers(language):
            return None
        client = self._client(language)
        page = client.page(title)

        def fetch() -> tuple[bool, tuple[Section, ...]]:
            page.summary  # noqa: B018 - one extracts request: text, sections and page id
            return page.exists(), tuple(_sections(page))

        exists, sections = self._call("article request", fetch)
        if not exists or not sections:
            return None
        found = str(page.title)
        return Document(
            title=found,
            origin=self.url(found, language),
            license=LICENSE,
            sections=sections,
            language=language,
        )


def online_sources(online: bool, **options: Any) -> tuple[KnowledgeSource, ...]:
    """The online sources a server has: none without `--online` (nothing is imported), else
    Wikipedia (`options` go to `WikipediaOnline`)."""
    if not online:
        return ()
    return (WikipediaOnline(**options),)
