"""`WikipediaOnline` over real HTTP, against a loopback server that answers like the MediaWiki
API (`action=query`: `list=search`, and `prop=extracts` in the plain-text "wiki" section format
Wikipedia serves); and that nothing loads it without `--online`."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.loopback import serving
from videogen.media.knowledge.errors import KnowledgeError
from videogen.media.knowledge.model import Section
from videogen.media.knowledge.sources.wikipedia_online import (
    LICENSE,
    WikipediaOnline,
    online_sources,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.loopback import Loopback

WATER_CYCLE: Final = (
    "The water cycle is the continuous movement of water on, above and below the surface of "
    "the Earth.\nWater changes between liquid, vapour and ice.\n\n"
    "== Evaporation ==\nHeat from the Sun evaporates water from the oceans.\n\n"
    "=== Transpiration ===\nPlants release water vapour through their leaves.\n\n"
    "== Precipitation ==\nCondensed vapour falls as rain, snow or hail.\n\n"
    "== See also ==\nHydrology\n"
)
PAGES: Final = {
    ("en", "Water cycle"): WATER_CYCLE,
    ("fr", "Cycle de l'eau"): "Le cycle de l'eau est un modèle représentant les flux d'eau.",
}
SEARCHES: Final = {
    ("en", "The water cycle"): ["Water cycle", "Evaporation", "Cloud"],
    ("en", "condensation of vapour"): ["Condensation", "Water cycle"],
}


class Requests:
    """What the server was asked, for the assertions: (language, params, User-Agent)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, str], str]] = []
        self.lock = threading.Lock()


def _mediawiki(requests: Requests) -> Any:
    def handlers(loopback: Loopback) -> type[BaseHTTPRequestHandler]:
        class MediaWiki(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                del format, args

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                language = parts.path.split("/")[1]
                params = {k: v[0] for k, v in parse_qs(parts.query).items()}
                with requests.lock:
                    requests.seen.append((language, params, self.headers["User-Agent"]))
                if params.get("titles") == "Slow":
                    loopback.release.wait(30)
                    return
                if params.get("titles") == "Broken":
                    body, status = b"<html>oops</html>", 500
                else:
                    body, status = json.dumps(self._answer(language, params)).encode(), 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _answer(self, language: str, params: dict[str, str]) -> dict[str, Any]:
                assert params["action"] == "query" and params["format"] == "json"
                if params.get("list") == "search":
                    titles = SEARCHES.get((language, params["srsearch"]), [])
                    titles = titles[: int(params.get("srlimit", "10"))]
                    found = [{"ns": 0, "title": t, "pageid": i + 1} for i, t in enumerate(titles)]
                    return {"query": {"searchinfo": {"totalhits": len(found)}, "search": found}}
                title = params["titles"].replace("_", " ")
                assert params["prop"] == "extracts" and params["explaintext"] == "1"
                text = PAGES.get((language, title))
                if text is None:
                    return {"query": {"pages": {"-1": {"ns": 0, "title": title, "missing": ""}}}}
                page = {"pageid": 77, "ns": 0, "title": title, "extract": text}
                return {"query": {"pages": {"77": page}}}

        return MediaWiki

    return handlers


@pytest.fixture
def requests() -> Requests:
    return Requests()


@pytest.fixture
def wiki(requests: Requests) -> Iterator[WikipediaOnline]:
    with (
        serving(_mediawiki(requests)) as server,
        WikipediaOnline(api_url=f"{server.base}/{{language}}/w/api.php", timeout=0.5) as wiki,
    ):
        yield wiki


def test_suggest_finds_the_article_for_a_topic(wiki: WikipediaOnline, requests: Requests) -> None:
    hits = wiki.suggest("The water cycle", "english", 2)
    assert [h.title for h in hits] == ["Water cycle", "Evaporation"]
    assert hits[0].score > hits[1].score
    [(language, params, agent)] = requests.seen
    assert (language, params["list"], params["srlimit"]) == ("en", "search", "2")
    assert agent.startswith("videogen/")  # Wikimedia's User-Agent policy
    assert [h.title for h in wiki.search("condensation of vapour", "english", 5)] == [
        "Condensation",
        "Water cycle",
    ]
    assert wiki.search("nothing like it", "english", 5) == []


def test_article_comes_with_its_sections_url_and_licence(
    wiki: WikipediaOnline, requests: Requests
) -> None:
    doc = wiki.article("Water cycle", "english")
    assert doc is not None
    assert doc.title == "Water cycle"
    assert doc.origin == "https://en.wikipedia.org/wiki/Water_cycle"
    assert doc.license == LICENSE == "CC BY-SA 4.0"
    assert doc.language == "english"
    assert doc.sections == (
        Section(
            None,
            (
                "The water cycle is the continuous movement of water on, above and below the "
                "surface of the Earth.",
                "Water changes between liquid, vapour and ice.",
            ),
        ),
        Section("Evaporation", ("Heat from the Sun evaporates water from the oceans.",), 1),
        Section("Transpiration", ("Plants release water vapour through their leaves.",), 2),
        Section("Precipitation", ("Condensed vapour falls as rain, snow or hail.",), 1),
    )  # "See also" is a list of other articles, not text
    assert len(requests.seen) == 1  # one request for the whole article


def test_other_languages_go_to_their_own_wikipedia(wiki: WikipediaOnline) -> None:
    doc = wiki.article("Cycle de l'eau", "french")
    assert doc is not None
    assert doc.origin == "https://fr.wikipedia.org/wiki/Cycle_de_l'eau"
    assert wiki.covers("hindi") and not wiki.covers("klingon")
    assert wiki.article("Water cycle", "klingon") is None


def test_a_missing_article_is_none(wiki: WikipediaOnline) -> None:
    assert wiki.article("No such article", "english") is None


def test_a_server_that_fails_or_stalls_is_a_knowledge_error(wiki: WikipediaOnline) -> None:
    with pytest.raises(KnowledgeError, match=r"Wikipedia \(online\) did not answer"):
        wiki.article("Broken", "english")
    with pytest.raises(KnowledgeError, match="did not answer"):
        wiki.article("Slow", "english")  # the 0.5 s read timeout, no retries


def test_without_online_there_is_no_online_source() -> None:
    assert online_sources(False) == ()
    [source] = online_sources(True)
    assert isinstance(source, WikipediaOnline)
    source.close()


def test_without_the_extra_it_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "wikipediaapi", None)  # what `import` finds when absent
    with pytest.raises(KnowledgeError, match=r"needs the online extra"):
        WikipediaOnline().search("Water cycle", "english", 3)


def test_a_server_without_online_never_loads_the_client(tmp_path: Any) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from videogen.server.app import create_app\n"
        "from videogen.server.settings import Settings\n"
        "from videogen.media.knowledge.sources import wikipedia_online\n"
        f"app = create_app(Settings(data_dir=Path({str(tmp_path)!r})))\n"
        "assert wikipedia_online.online_sources(False) == ()\n"
        "print('wikipediaapi' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "False"
