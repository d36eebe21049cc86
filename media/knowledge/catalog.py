"""The knowledge sources a server runs with, and how `/api/options` describes them.

`configured_sources` is called once at startup: the shipped encyclopedia first (when its data is
installed), then each `--zim` file, opened now so that a missing or corrupt file stops the
server at once with one line naming it (`KnowledgeError`), not at the first generation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .sources.encyclopedia import Encyclopedia
from .sources.zim import ZimSource

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from .model import KnowledgeSource

__all__ = ["configured_sources", "describe"]


def configured_sources(zim_paths: Sequence[Path]) -> tuple[KnowledgeSource, ...]:
    """The shipped encyclopedia (if installed) and the ZIM files, in that order. Raises
    `KnowledgeError` for the first ZIM file that cannot be opened."""
    sources: list[KnowledgeSource] = []
    shipped = Encyclopedia.shipped()
    if shipped is not None:
        sources.append(shipped)
    sources.extend(ZimSource.open(path) for path in zim_paths)
    return tuple(sources)


def describe(sources: Sequence[KnowledgeSource]) -> list[dict[str, object]]:
    """One entry per source for `/api/options`: name, kind ("encyclopedia", "zim" or
    "online"), languages (a list, or "any") and licence."""
    described: list[dict[str, object]] = []
    for source in sources:
        languages: object
        if isinstance(source, Encyclopedia):
            kind, languages, license = "encyclopedia", list(source.languages), "CC BY-SA 4.0"
        elif isinstance(source, ZimSource):
            kind, license = "zim", source.license
            languages = "any" if source.languages is None else sorted(source.languages)
        else:
            # Another kind (online Wikipedia): it says what it is, or is taken to be online.
            kind = str(getattr(source, "kind", "online"))
            found = getattr(source, "languages", None)
            languages = "any" if found is None else sorted(found)
            license = str(getattr(source, "license", "as stated by the source"))
        described.append(
            {"name": source.name, "kind": kind, "languages": languages, "license": license}
        )
    return described
